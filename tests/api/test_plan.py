"""Checklist items, deadlines, reminders and deliveries through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import ChecklistItem, Deadline
from tests.api.conftest import add_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(case_a):
    return add_plan(case_a)


def test_case_checklist_lists_current_items(api, case_a, plan):
    item, _ = plan
    ChecklistItem.objects.create(
        case=case_a, key="old", document_code="old_form", retired_at=timezone.now()
    )
    response = api.get(f"/api/v1/cases/{case_a.pk}/checklist/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [item.pk]
    assert response.json()[0]["document_code"] == "registration_slip"
    assert api.get(f"/api/v1/checklist-items/{item.pk}/").json()["state"] == "missing"


def test_set_state_rejects_unknown_states(api, plan):
    item, _ = plan
    response = api.post(f"/api/v1/checklist-items/{item.pk}/state/", {"state": "?"}, format="json")
    assert response.status_code == 400
    assert "state" in response.json()["errors"]


def test_tick_and_untick_an_item(api, plan, caseworker):
    item, _ = plan
    url = f"/api/v1/checklist-items/{item.pk}/state/"
    ticked = api.post(url, {"state": "have", "note": "copy on file"}, format="json")
    assert ticked.status_code == 200
    item.refresh_from_db()
    assert item.state == "have"
    assert item.updated_by == caseworker
    unticked = api.post(url, {"state": "missing"}, format="json")
    assert unticked.json()["state"] == "missing"


def test_case_deadlines_and_deadline_list(api, case_a, plan):
    _, deadline = plan
    rows = api.get(f"/api/v1/cases/{case_a.pk}/deadlines/").json()
    assert [row["id"] for row in rows] == [deadline.pk]
    assert rows[0]["reminder_offsets"] == [3, 1, 0]
    listed = api.get("/api/v1/deadlines/", {"state": "open", "case": case_a.pk}).json()
    assert [row["id"] for row in listed["results"]] == [deadline.pk]
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert api.get("/api/v1/deadlines/", {"due_after": later}).json()["results"] == []
    assert api.get(f"/api/v1/deadlines/{deadline.pk}/").json()["title"] == "Register your stay"
    assert api.get("/api/v1/deadlines/", {"due_after": "soon"}).status_code == 400


def test_deadline_inputs_are_checked_before_the_service(api, case_a, plan):
    _, deadline = plan
    waive = api.post(f"/api/v1/deadlines/{deadline.pk}/waive/", {}, format="json")
    assert waive.status_code == 400
    assert "reason" in waive.json()["errors"]
    met = api.post(f"/api/v1/deadlines/{deadline.pk}/met/", {"on": "someday"}, format="json")
    assert "on" in met.json()["errors"]
    manual = api.post(
        f"/api/v1/cases/{case_a.pk}/deadlines/", {"title": "Court", "due_date": "x"}, format="json"
    )
    assert manual.status_code == 400
    assert "due_date" in manual.json()["errors"]


def test_mark_met_waive_and_add_manual(api, case_a, plan):
    _, deadline = plan
    met = api.post(f"/api/v1/deadlines/{deadline.pk}/met/", {"note": "done"}, format="json")
    assert met.status_code == 200
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.MET
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    manual = api.post(
        f"/api/v1/cases/{case_a.pk}/deadlines/",
        {"title": "Court hearing", "due_date": due, "reminder_offsets": [2, 0]},
        format="json",
    )
    assert manual.status_code == 201
    assert manual.json()["kind"] == "manual"
    waived = api.post(
        f"/api/v1/deadlines/{manual.json()['id']}/waive/", {"reason": "hearing cancelled"}
    )
    assert waived.status_code == 200
    assert waived.json()["state"] == "waived"


def test_reminders_and_deliveries_are_readable(api, case_a, plan):
    _, deadline = plan
    reminders = api.get("/api/v1/reminders/", {"case": case_a.pk}).json()["results"]
    assert [(r["deadline"], r["case"], r["audience"]) for r in reminders] == [
        (deadline.pk, case_a.pk, "migrant")
    ]
    assert api.get(f"/api/v1/reminders/{reminders[0]['id']}/").status_code == 200
    deliveries = api.get("/api/v1/deliveries/", {"reminder": reminders[0]["id"]}).json()
    assert [d["channel"] for d in deliveries["results"]] == ["sms"]
    delivery_id = deliveries["results"][0]["id"]
    assert api.get(f"/api/v1/deliveries/{delivery_id}/").json()["state"] == "pending"
    assert api.get("/api/v1/reminders/", {"state": "bogus"}).status_code == 400
