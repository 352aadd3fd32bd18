"""The content administrator's pages: preview, verification queue, import/export, editing."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditEvent
from content import services
from content.models import DeadlineRule, ResyncJob, Rule
from tests.content import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static(settings):
    # Tests run without collectstatic; the manifest storage would fail on admin CSS.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def rules():
    return factories.load_shipped_rules()


def test_preview_answers_what_applies_to_a_tajik_citizen(rules, admin_client):
    response = admin_client.get(
        reverse("admin:content_preview"),
        {
            "citizenship": "tj",
            "arrival_date": "2026-03-03",
            "problem_type": "registration",
            "language": "ru",
            "extra_facts": "{}",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "15 календарных дней после прибытия 3 марта 2026 → 18 марта 2026" in html
    assert "Встаньте на миграционный учёт" in html and "Миграционная карта" in html
    assert "registration_15_days" in html and "visa_free_cis" in html
    assert "[unverified rule]" in html


def test_preview_for_a_kyrgyz_citizen_in_2014_and_2016(rules, admin_client):
    url = reverse("admin:content_preview")
    params = {"citizenship": "KG", "problem_type": "patent", "language": "en", "extra_facts": "{}"}
    old = admin_client.get(url, params | {"arrival_date": "2014-05-05"}).content.decode()
    new = admin_client.get(url, params | {"arrival_date": "2016-05-05"}).content.decode()
    assert "Work permit (before 2015)" in old and "7 working days after arrival" in old
    assert "Work permit (before 2015)" not in new and "30 calendar days after arrival" in new


def test_preview_with_bad_input_shows_form_errors(rules, admin_client):
    response = admin_client.get(
        reverse("admin:content_preview"),
        {
            "citizenship": "Tajik",
            "arrival_date": "yesterday",
            "problem_type": "registration",
            "language": "en",
            "extra_facts": json.dumps({"shoe_size": 42}),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ensure this value has at most 2 characters" in html or "two-letter" in html
    assert "Enter a valid date" in html
    assert "Unknown facts: shoe_size" in html


def test_rules_awaiting_verification_and_verify_action(rules, admin_client, admin_user):
    url = reverse("admin:content_deadlinerule_changelist")
    response = admin_client.get(url, {"needs_review__exact": "1"})
    assert response.status_code == 200 and "registration.eaeu" in response.content.decode()
    rule = DeadlineRule.objects.get(key="registration.eaeu")
    chosen = {"action": "mark_verified", "_selected_action": [rule.pk]}
    asked = admin_client.post(url, chosen)
    assert asked.status_code == 200 and "Checked against" in asked.content.decode()
    rule.refresh_from_db()
    assert rule.needs_review and not rule.verified  # nothing marked before the text is named
    against = "EAEU Treaty as amended 2024, https://www.consultant.ru/document/cons_doc_LAW_163855/"
    response = admin_client.post(url, chosen | {"against": against}, follow=True)
    assert response.status_code == 200
    rule.refresh_from_db()
    assert not rule.needs_review and rule.verified_on == timezone.localdate()
    assert rule.verified_by == admin_user and rule.verified_against == against
    event = AuditEvent.objects.get(action=Action.RULE_VERIFIED)
    assert event.actor == admin_user and event.object_id == str(rule.pk)
    assert (
        event.detail["key"] == "registration.eaeu" and event.detail["verified_against"] == against
    )


def test_export_then_import_round_trip(rules, admin_client):
    exported = admin_client.get(reverse("admin:content_export"))
    assert exported.status_code == 200 and exported["Content-Type"].startswith("application/x-yaml")
    upload = SimpleUploadedFile("rules.yaml", exported.content, content_type="application/x-yaml")
    response = admin_client.post(reverse("admin:content_import"), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and "rules: 0 created, 0 updated" in html


def test_import_of_invalid_yaml_writes_nothing(rules, admin_client):
    before = Rule.objects.count()
    bad = b"rules:\n  - key: new.rule\n    from: 2026-01-01\n    document: ghost\n    source: x\n"
    upload = SimpleUploadedFile("bad.yaml", bad)
    response = admin_client.post(reverse("admin:content_import"), {"file": upload})
    assert response.status_code == 200
    assert "unknown document &#x27;ghost&#x27;" in response.content.decode()
    assert Rule.objects.count() == before
    upload = SimpleUploadedFile("bin.yaml", b"\xff\xfe\x00")
    response = admin_client.post(reverse("admin:content_import"), {"file": upload})
    assert response.status_code == 200 and "not UTF-8" in response.content.decode()


def _change_form_data(rule: DeadlineRule, **changes) -> dict:
    data = {
        "key": rule.key,
        "slot": rule.slot,
        "priority": rule.priority,
        "problem_types": list(rule.problem_types),
        "group": rule.group_id or "",
        "conditions": json.dumps(rule.conditions),
        "effective_from": rule.effective_from.isoformat(),
        "effective_to": rule.effective_to.isoformat() if rule.effective_to else "",
        "citation": json.dumps(rule.citation),
        "source": rule.source,
        "provenance": rule.provenance,
        "note": rule.note,
        "basis_fact": rule.basis_fact,
        "amount": rule.amount,
        "amount_fact": rule.amount_fact,
        "unit": rule.unit,
        "then_amount": rule.then_amount,
        "then_unit": rule.then_unit,
        "recurrence": rule.recurrence,
        "occurrences": rule.occurrences,
        "reminder_offsets": json.dumps(rule.reminder_offsets),
        "texts": json.dumps(rule.texts),
        "needs_review": "on",
    }
    data.update(changes)
    return data


def test_an_edit_clears_a_verification_unless_only_the_note_changed(
    rules, admin_client, admin_user
):
    rule = DeadlineRule.objects.get(key="registration.treaty_15_days")
    services.verify(rule=rule, by=admin_user, against="109-ФЗ, consolidated text of 2025")
    url = reverse("admin:content_deadlinerule_change", args=[rule.pk])
    admin_client.post(url, _change_form_data(rule, note="asked the MVD"), follow=True)
    rule.refresh_from_db()
    assert rule.verified and rule.note == "asked the MVD" and rule.citation
    admin_client.post(url, _change_form_data(rule, amount=14), follow=True)
    rule.refresh_from_db()
    assert rule.amount == 14 and not rule.verified and rule.needs_review
    assert rule.verified_by is None and rule.verified_against == "" and rule.citation


def test_editing_a_rule_resyncs_open_cases_in_the_background(
    rules, admin_client, django_capture_on_commit_callbacks
):
    org = factories.organisation()
    user = factories.member(org)
    case = factories.open_case(org, user, citizenship="UZ", arrival_date=timezone.localdate())
    rule = DeadlineRule.objects.get(key="registration.treaty_15_days")
    url = reverse("admin:content_deadlinerule_change", args=[rule.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(url, _change_form_data(rule, amount=14), follow=True)
    assert response.status_code == 200
    job = ResyncJob.objects.get()
    assert job.total >= 1 and callbacks  # handed to the worker after commit
    assert "Watch progress" in response.content.decode()
    from cases.resync import resync_open_cases

    resync_open_cases.run(job.pk)
    job.refresh_from_db()
    assert job.state == "done" and job.changed == 1
    assert any(event.text.startswith("Rules changed") for event in case.timeline.all())
    progress = admin_client.get(reverse("admin:content_resync_progress", args=[job.pk]))
    assert "1 of 1 open cases re-synced" in progress.content.decode()


def test_admin_refuses_an_overlapping_version_and_unknown_facts(rules, admin_client):
    rule = DeadlineRule.objects.get(key="registration.treaty_15_days")
    data = _change_form_data(
        rule,
        effective_from="2020-01-01",
        conditions=json.dumps([{"fact": "horoscope", "op": "equals", "value": "leo"}]),
    )
    response = admin_client.post(reverse("admin:content_deadlinerule_add"), data)
    html = response.content.decode()
    assert response.status_code == 200  # the form again, with errors
    assert "Overlaps the version" in html and "unknown fact" in html
    assert DeadlineRule.objects.filter(key=rule.key).count() == 1
    assert not ResyncJob.objects.exists()


def test_rule_history_is_kept(rules, admin_client):
    rule = DeadlineRule.objects.get(key="registration.eaeu")
    rule.amount = 29
    rule.save()
    response = admin_client.get(reverse("admin:content_deadlinerule_history", args=[rule.pk]))
    assert response.status_code == 200 and rule.history.count() >= 2


def test_change_forms_render_with_problem_type_checkboxes(rules, admin_client):
    for model, key in ((DeadlineRule, "registration.eaeu"), (Rule, "patent.medical")):
        rule = model.objects.filter(key=key).first()
        url = reverse(f"admin:content_{model._meta.model_name}_change", args=[rule.pk])
        html = admin_client.get(url).content.decode()
        assert 'type="checkbox" name="problem_types" value="unpaid_wages"' in html
        assert "facts conditions may use" in html.lower() and "entry_purpose (text)" in html
