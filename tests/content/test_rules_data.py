"""The shipped YAML validates against the models, loads idempotently, and bad data is refused."""

from __future__ import annotations

import copy
from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from cases.models import Case
from content import queries, rulesdata, services
from content.models import (
    CitizenshipGroup,
    DeadlineRule,
    DocumentTranslation,
    DocumentType,
    GroupMembership,
    Rule,
)

DATA = rulesdata.read_dir()


def test_shipped_files_are_valid():
    assert services.validate_data(DATA) == []


def test_every_problem_type_has_a_checklist_rule():
    covered = {
        p for r in DATA["rules"] for p in (r.get("problem_types") or Case.ProblemType.values)
    }
    assert covered == set(Case.ProblemType.values)


def test_every_document_is_translated_into_five_languages_and_machine_drafts_are_flagged():
    for doc in DATA["documents"]:
        assert set(doc["texts"]) >= {"en", "ru", "tg", "uz", "ky"}
        for language in ("tg", "uz", "ky"):
            assert doc["texts"][language].get("needs_review") is True


def test_every_deadline_has_a_title_and_advice_in_five_languages():
    for entry in DATA["deadlines"]:
        for language in ("en", "ru", "tg", "uz", "ky"):
            assert entry["texts"][language]["title"] and entry["texts"][language]["advice"]
        assert entry["texts"]["needs_review"] == ["tg", "uz", "ky"]


@pytest.mark.django_db
def test_every_row_passes_model_validation():
    services.import_rules(DATA)
    for model in (Rule, DeadlineRule):
        for row in model.objects.all():
            row.full_clean()  # overlap, vocabulary, problem types
    for row in DocumentTranslation.objects.all():
        row.full_clean()


@pytest.mark.django_db
def test_load_rules_is_idempotent_and_reports_changes():
    out = StringIO()
    call_command("load_rules", stdout=out)
    assert f"rules: {Rule.objects.count()} created" in out.getvalue()
    counts = (Rule.objects.count(), DeadlineRule.objects.count(), GroupMembership.objects.count())
    out = StringIO()
    call_command("load_rules", stdout=out)
    assert "rules: 0 created, 0 updated" in out.getvalue()
    assert "deadlines: 0 created, 0 updated" in out.getvalue()
    assert counts == (
        Rule.objects.count(),
        DeadlineRule.objects.count(),
        GroupMembership.objects.count(),
    )


@pytest.mark.django_db
def test_reload_keeps_an_administrators_verification_unless_the_substance_changes(admin_user):
    services.import_rules(DATA)
    rule = DeadlineRule.objects.get(key="registration.eaeu")
    services.verify(rule=rule, by=admin_user, against="EAEU Treaty, consolidated text of 2024")
    services.import_rules(DATA)
    rule.refresh_from_db()
    assert not rule.needs_review and rule.verified_on and rule.verified_by == admin_user
    changed = copy.deepcopy(DATA)
    entry = next(d for d in changed["deadlines"] if d["key"] == "registration.eaeu")
    entry["amount"] = 31
    report = services.import_rules(changed)
    rule.refresh_from_db()
    assert rule.amount == 31 and rule.needs_review and rule.verified_on is None
    assert "registration.eaeu from 2015-01-01" in report.updated["deadlines"]


@pytest.mark.django_db
def test_export_round_trips():
    services.import_rules(DATA)
    exported = rulesdata.read_text(services.export_yaml())
    assert services.validate_data(exported) == []
    report = services.import_rules(exported)
    assert not report.created and not report.updated


def _broken(section: str, key: str, **changes) -> dict:
    data = copy.deepcopy(DATA)
    entry = next(e for e in data[section] if e.get("key", e.get("code")) == key)
    entry.update(changes)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _broken(
                "rules", "ban.check", conditions=[{"fact": "shoe_size", "op": "equals", "value": 1}]
            ),
            "unknown fact 'shoe_size'",
        ),
        (
            _broken(
                "rules",
                "ban.check",
                conditions=[{"fact": "citizenship", "op": "eval", "value": "x"}],
            ),
            "unknown operator 'eval'",
        ),
        (
            _broken(
                "rules",
                "ban.check",
                conditions=[{"fact": "arrival_date", "op": "before", "value": "soon"}],
            ),
            "needs a date value",
        ),
        (
            _broken("rules", "ban.check", problem_types=["astrology"]),
            "problem_types must be a list",
        ),
        (_broken("rules", "ban.check", group="atlantis"), "unknown group 'atlantis'"),
        (_broken("rules", "ban.check", cite=[]), "a citation (cite: "),
        (_broken("rules", "ban.check", cite=[{"act": "federal_law"}]), "an article is required"),
        (_broken("rules", "ban.check", cite=[{"act": "decree", "article": "1"}]), "act must be"),
        (
            _broken("deadlines", "ban.end", cite=[{"act": "treaty", "article": "3"}]),
            "a treaty needs a title",
        ),
        (_broken("rules", "ban.check", document="nothing"), "unknown document 'nothing'"),
        (_broken("deadlines", "ban.end", basis="citizenship"), "basis must be a date fact"),
        (_broken("deadlines", "ban.end", unit="fortnights"), "unit must be one of"),
        (
            _broken("deadlines", "registration.eaeu", to=date(2014, 1, 1)),
            "'to' must be a date on or after",
        ),
    ],
)
def test_invalid_data_is_refused(data, message):
    errors = services.validate_data(data)
    assert any(message in e for e in errors), errors


def test_overlapping_versions_are_refused():
    data = copy.deepcopy(DATA)
    clone = copy.deepcopy(next(d for d in data["deadlines"] if d["key"] == "registration.eaeu"))
    clone["from"] = date(2020, 1, 1)
    data["deadlines"].append(clone)
    assert any("overlaps the version from 2015-01-01" in e for e in services.validate_data(data))


@pytest.mark.django_db
def test_invalid_files_write_nothing(tmp_path):
    (tmp_path / "bad.yaml").write_text(
        "rules:\n  - key: x\n    from: 2020-01-01\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="invalid"):
        call_command("load_rules", path=str(tmp_path), stdout=StringIO())
    assert not Rule.objects.exists()
    (tmp_path / "bad.yaml").write_text("rules: [unclosed", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid YAML"):
        call_command("load_rules", path=str(tmp_path), stdout=StringIO())


@pytest.mark.django_db
def test_model_validation_refuses_overlap_and_unknown_facts():
    services.import_rules(DATA)
    existing = DeadlineRule.objects.get(key="registration.eaeu")
    clash = DeadlineRule(
        key="registration.eaeu",
        basis_fact="arrival_date",
        amount=30,
        effective_from=date(2020, 1, 1),
        source="test",
        texts={"en": {"title": "x"}},
        conditions=[{"fact": "moon_phase", "op": "equals", "value": "full"}],
    )
    with pytest.raises(ValidationError) as exc:
        clash.full_clean()
    assert "effective_from" in exc.value.message_dict
    assert "unknown fact 'moon_phase'" in " ".join(exc.value.message_dict["conditions"])
    existing.full_clean()  # the version itself does not clash with itself


@pytest.mark.django_db
def test_queries_translate_with_english_fallback():
    services.import_rules(DATA)
    assert queries.document_text("migration_card", "ru").name == "Миграционная карта"
    tajik = queries.document_text("migration_card", "tg")
    assert tajik.name == "Корти муҳоҷиратӣ"
    assert tajik.how_to_obtain.startswith("Онро дар сарҳад")
    # A field left empty in a translation falls back to the English text.
    DocumentTranslation.objects.filter(document__code="migration_card", language="tg").update(
        how_to_obtain=""
    )
    tajik = queries.document_text("migration_card", "tg")
    assert tajik.how_to_obtain.startswith("You get it at the border")
    assert tajik.cost == "Ройгон"
    assert queries.document_text("migration_card", "fr").name == "Migration card"
    assert queries.document_text("unknown_doc", "en").name == "unknown doc"
    text = queries.deadline_text("registration.general", "ru")
    assert text.title == "Встаньте на миграционный учёт" and "7 рабочих дней" in text.advice
    assert "7 иш күнүнүн" in queries.deadline_text("registration.general", "ky").advice
    old = queries.deadline_text("registration.general", "en", on=date(2009, 5, 1))
    assert "within 3 days" in old.advice
    assert DocumentType.objects.count() == len(DATA["documents"])
    assert CitizenshipGroup.objects.get(code="eaeu").memberships.get(
        country="KG"
    ).effective_from == date(2015, 8, 12)
