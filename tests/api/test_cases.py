"""Cases through the API: opened, corrected, moved along, assigned, noted — by the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case, Task, TimelineEvent
from tests.api.conftest import make_case, make_member

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"


def case_url(case, suffix: str = "") -> str:
    return f"{URL}{case.pk}/{suffix}"


def test_caseworker_opens_a_case(api, case_a, caseworker):
    arrival = (timezone.localdate() - timedelta(days=3)).isoformat()
    response = api.post(
        URL,
        {
            "migrant": case_a.migrant_id,
            "problem_type": "unpaid_wages",
            "arrival_date": arrival,
            "employer_name": "OOO Stroy",
            "amount_owed": "85000.00",
            "extra_facts": {"entry_purpose": "work"},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert body["number"] == case.number
    assert case.number.startswith("MSK-")
    assert case.created_by == caseworker
    assert body["status"] == "new"
    assert body["amount_owed"] == "85000.00"
    assert case.extra_facts == {"entry_purpose": "work"}
    assert case.timeline.filter(kind=TimelineEvent.Kind.OPENED).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"problem_type": "nonsense"}, "problem_type"),
        ({"arrival_date": "2999-01-01"}, "arrival_date"),
        ({"amount_owed": "-5"}, "amount_owed"),
        ({"amount_owed": "12345678901234"}, "amount_owed"),
        ({"employer_tax_id": "123"}, "employer_tax_id"),
        ({"ban_duration_years": 99}, "ban_duration_years"),
        ({"extra_facts": ["not", "an", "object"]}, "extra_facts"),
        ({"extra_facts": {"x": "a\x00b"}}, "extra_facts"),
        ({"currency": "rubles"}, "currency"),
        ({"migrant": 10**12}, "migrant"),
    ],
)
def test_invalid_case_input_is_named_and_nothing_is_written(api, case_a, change, field):
    body = {"migrant": case_a.migrant_id, "problem_type": "registration", **change}
    response = api.post(URL, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert Case.objects.count() == 1


def test_another_organisations_migrant_cannot_get_a_case(api, case_b):
    response = api.post(
        URL, {"migrant": case_b.migrant_id, "problem_type": "registration"}, format="json"
    )
    assert response.status_code == 400
    assert "migrant" in response.json()["errors"]
    assert Case.objects.count() == 1


def test_assignee_must_be_a_member(api, case_a, other_caseworker, supervisor):
    body = {"migrant": case_a.migrant_id, "problem_type": "patent"}
    bad = api.post(URL, {**body, "assignee": other_caseworker.pk}, format="json")
    assert bad.status_code == 400
    assert "assignee" in bad.json()["errors"]
    good = api.post(URL, {**body, "assignee": supervisor.pk}, format="json")
    assert good.status_code == 201
    assert good.json()["assignee"] == supervisor.pk


def test_list_is_scoped_filtered_ordered_and_cursor_paginated(api, org_a, caseworker, case_b):
    first = make_case(org_a, caseworker)
    second = make_case(org_a, caseworker)
    services.close_case(case=first, outcome="resolved", by=caseworker)
    ids = [row["id"] for row in api.get(URL).json()["results"]]
    assert sorted(ids) == sorted([first.pk, second.pk])
    assert [r["id"] for r in api.get(URL, {"status": "closed"}).json()["results"]] == [first.pk]
    assert [r["id"] for r in api.get(URL, {"is_open": "true"}).json()["results"]] == [second.pk]
    ordered = api.get(URL, {"ordering": "id"}).json()["results"]
    assert [r["id"] for r in ordered] == [first.pk, second.pk]
    page = api.get(URL, {"ordering": "id", "page_size": 1}).json()
    assert [r["id"] for r in page["results"]] == [first.pk]
    assert "count" not in page
    nxt = api.get(page["next"]).json()
    assert [r["id"] for r in nxt["results"]] == [second.pk]
    assert nxt["next"] is None


def test_bad_filter_and_cursor_values_are_not_500(api, case_a):
    assert api.get(URL, {"status": "sideways"}).status_code == 400
    assert api.get(URL, {"opened_after": "yesterday"}).status_code == 400
    # PostgreSQL refuses offsets beyond ±15:59; the filter hands it UTC.
    far_offset = api.get(URL, {"opened_after": "5040-06-08T02:17:50-22:10"})
    assert far_offset.status_code == 200
    assert api.get(URL, {"opened_before": "9999-12-31T23:00:00-10:00"}).status_code == 400
    assert api.get(URL, {"migrant": "x"}).status_code == 400
    assert api.get(URL, {"cursor": "garbage"}).status_code == 404
    assert api.get(f"{URL}99999999999999999999999/").status_code == 404
    assert api.get(f"{URL}abc/").status_code == 404


def test_retrieve_and_correct_facts(api, case_a):
    assert api.get(case_url(case_a)).json()["number"] == case_a.number
    response = api.patch(case_url(case_a), {"employer_name": "OOO Stroy"}, format="json")
    assert response.status_code == 200
    case_a.refresh_from_db()
    assert case_a.employer_name == "OOO Stroy"
    assert case_a.timeline.filter(kind=TimelineEvent.Kind.FACTS).exists()


def test_closed_case_facts_cannot_change(api, case_a, caseworker):
    services.close_case(case=case_a, outcome="resolved", by=caseworker)
    response = api.patch(case_url(case_a), {"employer_name": "X"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]


def test_status_moves_along_the_workflow(api, case_a):
    response = api.post(case_url(case_a, "status/"), {"status": "in_progress"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "in_progress"
    back = api.post(case_url(case_a, "status/"), {"status": "new"}, format="json")
    assert back.status_code == 400
    assert "status" in back.json()["errors"]
    closing = api.post(case_url(case_a, "status/"), {"status": "closed"}, format="json")
    assert closing.status_code == 400
    assert "outcome" in closing.json()["errors"]
    case_a.refresh_from_db()
    assert case_a.status == "in_progress"


def test_close_needs_an_outcome_and_records_it(api, case_a):
    assert api.post(case_url(case_a, "close/"), {}, format="json").status_code == 400
    response = api.post(
        case_url(case_a, "close/"), {"outcome": "referred", "reason": "to lawyer"}, format="json"
    )
    assert response.status_code == 200
    case_a.refresh_from_db()
    assert (case_a.status, case_a.outcome) == ("closed", "referred")


def test_only_supervisors_reopen(api, supervisor_api, case_a, caseworker):
    services.close_case(case=case_a, outcome="resolved", by=caseworker)
    denied = api.post(case_url(case_a, "reopen/"), {"reason": "new facts"}, format="json")
    assert denied.status_code == 403
    assert denied.json()["code"] == "permission_denied"
    assert supervisor_api.post(case_url(case_a, "reopen/"), {}, format="json").status_code == 400
    blank = supervisor_api.post(case_url(case_a, "reopen/"), {"reason": "  "}, format="json")
    assert blank.status_code == 400
    ok = supervisor_api.post(case_url(case_a, "reopen/"), {"reason": "new facts"}, format="json")
    assert ok.status_code == 200
    case_a.refresh_from_db()
    assert case_a.status == "in_progress"


def test_assignment_by_role(api, supervisor_api, case_a, caseworker, supervisor):
    mine = api.post(case_url(case_a, "assign/"), {"assignee": caseworker.pk}, format="json")
    assert mine.status_code == 200
    assert mine.json()["assignee"] == caseworker.pk
    theirs = api.post(case_url(case_a, "assign/"), {"assignee": supervisor.pk}, format="json")
    assert theirs.status_code == 403
    given = supervisor_api.post(case_url(case_a, "assign/"), {"assignee": None}, format="json")
    assert given.status_code == 200
    case_a.refresh_from_db()
    assert case_a.assignee is None


def test_assignee_outside_the_organisation_is_rejected(supervisor_api, case_a, other_caseworker):
    for assignee in (other_caseworker.pk, 10**9):
        response = supervisor_api.post(
            case_url(case_a, "assign/"), {"assignee": assignee}, format="json"
        )
        assert response.status_code == 400
        assert "assignee" in response.json()["errors"]


def test_notes_and_timeline(api, case_a, caseworker):
    response = api.post(case_url(case_a, "notes/"), {"text": "Called the employer."}, format="json")
    assert response.status_code == 201
    assert response.json()["kind"] == "note"
    assert api.post(case_url(case_a, "notes/"), {"text": "   "}, format="json").status_code == 400
    timeline = api.get(case_url(case_a, "timeline/")).json()["results"]
    assert [e["kind"] for e in timeline] == ["note", "opened"]


def test_tasks_are_added_listed_and_completed(api, case_a, caseworker, other_caseworker):
    created = api.post(
        case_url(case_a, "tasks/"),
        {"title": "Call the employer", "due_date": "2030-01-05", "assignee": caseworker.pk},
        format="json",
    )
    assert created.status_code == 201
    task_id = created.json()["id"]
    bad = api.post(
        case_url(case_a, "tasks/"), {"title": "x", "assignee": other_caseworker.pk}, format="json"
    )
    assert bad.status_code == 400
    assert api.post(case_url(case_a, "tasks/"), {"title": ""}, format="json").status_code == 400
    assert [t["id"] for t in api.get(case_url(case_a, "tasks/")).json()] == [task_id]
    assert [t["id"] for t in api.get("/api/v1/tasks/", {"done": "false"}).json()["results"]] == [
        task_id
    ]
    done = api.post(f"/api/v1/tasks/{task_id}/complete/")
    assert done.status_code == 200
    assert Task.objects.get(pk=task_id).done_at is not None
    assert api.get("/api/v1/tasks/", {"done": "false"}).json()["results"] == []
    assert api.get(f"/api/v1/tasks/{task_id}/").json()["done_at"]


def test_admin_and_supervisor_roles_also_work(org_a, admin_a, case_a):
    from tests.api.conftest import client_for

    client = client_for(admin_a)
    assert client.get(case_url(case_a)).status_code == 200
    assert client.post(case_url(case_a, "notes/"), {"text": "hi"}, format="json").status_code == 201


def test_outsider_sees_no_cases(db, case_a):
    from tests.api.conftest import client_for

    outsider = make_member("outsider", None, "")
    client = client_for(outsider)
    assert client.get(URL).json()["results"] == []
    assert client.get(case_url(case_a)).status_code == 404
