"""The rules table through the API: members read it, content admins write it (validated by the
models' clean(), re-syncing open cases as an admin edit does)."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Permission

from cases.models import ChecklistItem
from content.models import (
    DeadlineRule,
    DocumentTranslation,
    DocumentType,
    ResyncJob,
    Rule,
)
from tests.api.conftest import client_for, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def passport(db) -> DocumentType:
    document = DocumentType.objects.create(code="passport", source="Law 115-FZ")
    DocumentTranslation.objects.create(document=document, language="en", name="Passport")
    DocumentTranslation.objects.create(
        document=document, language="ru", name="Паспорт", description="Документ"
    )
    return document


@pytest.fixture
def card(db) -> DocumentType:
    document = DocumentType.objects.create(code="migration_card")
    DocumentTranslation.objects.create(document=document, language="en", name="Migration card")
    return document


@pytest.fixture
def rules(passport, card):
    old = Rule.objects.create(
        key="registration.passport", problem_types=["registration"], document=passport,
        effective_from=date(2020, 1, 1), effective_to=date(2024, 12, 31), source="Old law",
        needs_review=False,
    )  # fmt: skip
    new = Rule.objects.create(
        key="registration.passport", problem_types=["registration"], document=passport,
        effective_from=date(2025, 1, 1), source="New law", needs_review=True,
    )  # fmt: skip
    every = Rule.objects.create(
        key="any.card", problem_types=[], document=card, effective_from=date(2020, 1, 1),
        source="Law", needs_review=False,
    )  # fmt: skip
    patent = Rule.objects.create(
        key="patent.card", problem_types=["patent"], document=card,
        effective_from=date(2020, 1, 1), source="Law",
    )  # fmt: skip
    return {"old": old, "new": new, "every": every, "patent": patent}


def content_admin(username: str, *codenames: str):
    user = make_member(username, None, "")
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def editor(db):
    return content_admin(
        "editor", "add_rule", "change_rule", "add_deadlinerule", "change_deadlinerule"
    )


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# ——— Document types ———


def test_document_types_list_is_translated_with_english_fallback(api, passport, card):
    rows = api.get("/api/v1/document-types/", {"lang": "ru"}).json()
    assert [row["code"] for row in rows] == ["migration_card", "passport"]
    assert rows[1]["name"] == "Паспорт" and rows[1]["description"] == "Документ"
    assert rows[1]["source"] == "Law 115-FZ" and rows[1]["kind"] == "document"
    assert rows[0]["name"] == "Migration card"  # no Russian text: English
    assert api.get("/api/v1/document-types/").json()[1]["name"] == "Passport"


def test_document_type_detail_still_works(api, passport):
    response = api.get("/api/v1/document-types/passport/", {"lang": "ru"})
    assert response.status_code == 200 and response.json()["name"] == "Паспорт"


def test_document_types_bad_language_is_a_field_error(api, passport):
    response = api.get("/api/v1/document-types/", {"lang": "xx"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "lang" in response.json()["errors"]


def test_content_needs_authentication(passport, rules):
    anonymous = client_for(None)
    for path in ("/api/v1/document-types/", "/api/v1/rules/", "/api/v1/deadline-rules/"):
        response = anonymous.get(path)
        assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


# ——— Reading rules ———


def test_rules_list_fields(api, rules):
    response = api.get("/api/v1/rules/", {"key": "registration.passport"})
    rows = response.json()["results"]
    assert [row["effective_from"] for row in rows] == ["2020-01-01", "2025-01-01"]
    first = rows[0]
    assert first["effective_to"] == "2024-12-31" and first["source"] == "Old law"
    assert first["needs_review"] is False and rows[1]["needs_review"] is True
    assert first["document"] == "passport" and first["problem_types"] == ["registration"]


def test_rules_filters(api, rules):
    ids = {name: rule.pk for name, rule in rules.items()}
    by_type = _ids(api.get("/api/v1/rules/", {"problem_type": "registration"}))
    assert by_type == {ids["old"], ids["new"], ids["every"]}  # rules for every type apply too
    assert _ids(api.get("/api/v1/rules/", {"verified": "true"})) == {ids["old"], ids["every"]}
    assert _ids(api.get("/api/v1/rules/", {"verified": "false"})) == {ids["new"], ids["patent"]}
    in_force = _ids(api.get("/api/v1/rules/", {"in_force_on": "2024-06-01"}))
    assert in_force == {ids["old"], ids["every"], ids["patent"]}
    both = {"in_force_on": "2025-06-01", "problem_type": "registration"}
    assert _ids(api.get("/api/v1/rules/", both)) == {ids["new"], ids["every"]}


@pytest.mark.parametrize("query", [{"problem_type": "nonsense"}, {"in_force_on": "2025-13-01"}])
def test_rules_bad_filters_are_field_errors(api, rules, query):
    response = api.get("/api/v1/rules/", query)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(query)


def test_deadline_rules_list(api):
    rule = DeadlineRule.objects.create(
        key="registration.7wd", problem_types=["registration"], basis_fact="arrival_date",
        amount=7, unit="working_days", effective_from=date(2025, 1, 1), source="Law 109-FZ",
        texts={"en": {"title": "Register your stay"}}, reminder_offsets=[3, 1],
    )  # fmt: skip
    rows = _ids(api.get("/api/v1/deadline-rules/", {"in_force_on": "2025-02-01"}))
    assert rows == {rule.pk}
    assert _ids(api.get("/api/v1/deadline-rules/", {"in_force_on": "2024-02-01"})) == set()
    body = api.get(f"/api/v1/deadline-rules/{rule.pk}/").json()
    assert body["unit"] == "working_days" and body["reminder_offsets"] == [3, 1]
    assert body["texts"]["en"]["title"] == "Register your stay" and body["source"] == "Law 109-FZ"


# ——— Writing rules ———

NEW_RULE = {
    "key": "registration.card",
    "problem_types": ["registration"],
    "document": "migration_card",
    "effective_from": "2020-01-01",
    "source": "Law 109-FZ art. 20",
}


def test_content_admin_creates_a_rule_and_open_cases_resync(
    editor, case_a, card, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(editor).post("/api/v1/rules/", NEW_RULE, format="json")
    assert response.status_code == 201, response.content
    rule = Rule.objects.get(pk=response.json()["id"])
    assert rule.document == card and rule.needs_review is True
    job = ResyncJob.objects.get()
    assert job.problem_types == ["registration"] and job.created_by == editor
    assert job.state == ResyncJob.State.DONE and job.changed == 1
    assert ChecklistItem.objects.filter(case=case_a, document_code="migration_card").exists()


def test_content_admin_patches_a_rule_and_the_old_scope_resyncs(
    editor, rules, django_capture_on_commit_callbacks
):
    rule = rules["patent"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(editor).patch(
            f"/api/v1/rules/{rule.pk}/",
            {"problem_types": ["registration"], "needs_review": False},
            format="json",
        )
    assert response.status_code == 200, response.content
    rule.refresh_from_db()
    assert rule.problem_types == ["registration"] and rule.needs_review is False
    # Cases the rule applied to before (patent) are re-synced as well as the new scope.
    assert ResyncJob.objects.get().problem_types == ["patent", "registration"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"effective_to": "2019-01-01"}, "effective_to"),
        ({"key": "registration.passport"}, "effective_from"),  # overlaps an existing version
        ({"conditions": [{"fact": "no_such_fact", "op": "equals", "value": 1}]}, "conditions"),
        ({"document": "no_such_document"}, "document"),
        ({"problem_types": ["nonsense"]}, "problem_types.0"),
        ({"key": "Not A Key!"}, "key"),
        ({"source": ""}, "source"),
        ({"priority": 10**6}, "priority"),
    ],
)
def test_invalid_rule_is_a_field_error_and_nothing_is_saved(editor, rules, change, field):
    before = Rule.objects.count()
    response = client_for(editor).post("/api/v1/rules/", {**NEW_RULE, **change}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert field in response.json()["errors"], response.json()
    assert Rule.objects.count() == before and not ResyncJob.objects.exists()


def test_invalid_patch_changes_nothing(editor, rules):
    rule = rules["old"]
    response = client_for(editor).patch(
        f"/api/v1/rules/{rule.pk}/", {"effective_to": "2026-01-01"}, format="json"
    )  # would overlap the 2025 version
    assert response.status_code == 400 and "effective_from" in response.json()["errors"]
    rule.refresh_from_db()
    assert rule.effective_to == date(2024, 12, 31) and not ResyncJob.objects.exists()


def test_content_admin_creates_a_deadline_rule_and_validation(editor):
    client = client_for(editor)
    body = {
        "key": "registration.7wd", "problem_types": ["registration"],
        "basis_fact": "arrival_date", "amount": 7, "unit": "working_days",
        "effective_from": "2025-01-01", "source": "Law 109-FZ",
        "texts": {"en": {"title": "Register your stay"}}, "reminder_offsets": [3, 1, 0],
    }  # fmt: skip
    bad = client.post("/api/v1/deadline-rules/", {**body, "basis_fact": "citizenship"})
    assert bad.status_code == 400 and "basis_fact" in bad.json()["errors"]
    no_title = client.post("/api/v1/deadline-rules/", {**body, "texts": {}}, format="json")
    assert no_title.status_code == 400 and "texts" in no_title.json()["errors"]
    assert not DeadlineRule.objects.exists()
    response = client.post("/api/v1/deadline-rules/", body, format="json")
    assert response.status_code == 201, response.content
    assert DeadlineRule.objects.get().reminder_offsets == [3, 1, 0]
    assert ResyncJob.objects.count() == 1


# ——— Who may write ———


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "admin_a", "other_caseworker"])
def test_members_of_any_role_may_not_write_rules(request, role, rules, card):
    client = client_for(request.getfixturevalue(role))
    rule = rules["patent"]
    assert client.get("/api/v1/rules/").status_code == 200  # reading is for every member
    created = client.post("/api/v1/rules/", NEW_RULE, format="json")
    patched = client.patch(f"/api/v1/rules/{rule.pk}/", {"source": "X"}, format="json")
    dl = client.post("/api/v1/deadline-rules/", {"key": "x"}, format="json")
    for response in (created, patched, dl):
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "permission_denied"
    rule.refresh_from_db()
    assert rule.source == "Law" and Rule.objects.count() == 4
    assert not ResyncJob.objects.exists()


def test_change_permission_alone_does_not_allow_adding(rules, card):
    client = client_for(content_admin("changer", "change_rule"))
    assert client.post("/api/v1/rules/", NEW_RULE, format="json").status_code == 403
    response = client.patch(f"/api/v1/rules/{rules['patent'].pk}/", {"source": "Newer"})
    assert response.status_code == 200
    # Checklist rule permissions say nothing about deadline rules.
    assert client.patch("/api/v1/deadline-rules/1/", {"source": "Y"}).status_code in (403, 404)


def test_superuser_may_write(db, card):
    root = make_member("root", None, "")
    root.is_superuser = True
    root.save()
    response = client_for(root).post("/api/v1/rules/", NEW_RULE, format="json")
    assert response.status_code == 201, response.content


def test_unknown_rule_is_404_for_everyone(api, editor):
    for client in (api, client_for(editor)):
        response = client.patch("/api/v1/rules/999999/", {"source": "X"}, format="json")
        assert response.status_code == 404 and response.json()["code"] == "not_found"


DEADLINE_RULE = {
    "key": "registration.7wd",
    "basis_fact": "arrival_date",
    "amount": 7,
    "effective_from": "2025-01-01",
    "source": "Law 109-FZ",
    "texts": {"en": {"title": "Register your stay"}},
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {"conditions": [{"fact": "arrival_date", "op": "before", "value": {"a": 1}}]},
            "conditions",
        ),
        ({"conditions": [{}]}, "conditions"),
        ({"conditions": ["x"]}, "conditions.0"),
        ({"texts": {"en": "Register"}}, "texts"),  # was a 500 in the model's clean()
        ({"texts": {"en": {"title": "T\x00"}}}, "texts"),
        ({"texts": {"en": {"title": "T"}, "ru": "Зарегистрируйтесь"}}, "texts"),
        ({"texts": {"en": {"title": "T", "advice": 5}}}, "texts"),
        ({"amount_fact": "arrival_date"}, "amount_fact"),
        ({"then_unit": "fortnights"}, "then_unit"),
        ({"recurrence": "monthly"}, "unit"),
        ({"reminder_offsets": ["soon"]}, "reminder_offsets.0"),
        ({"effective_from": "2025-02-30"}, "effective_from"),
    ],
)
def test_odd_deadline_rule_bodies_are_field_errors(editor, change, field):
    response = client_for(editor).post(
        "/api/v1/deadline-rules/", {**DEADLINE_RULE, **change}, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert not DeadlineRule.objects.exists() and not ResyncJob.objects.exists()
