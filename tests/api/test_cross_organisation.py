"""Another organisation's objects are unreachable through every operation: 404, nothing changes.

The operation list is checked against the schema, so a new endpoint cannot skip this test.
"""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from api.models import ApiToken
from cases import calls
from cases.models import Call, Case, ChecklistItem, Deadline, Delivery, Migrant, Reminder, Task
from tests.api.conftest import add_plan, client_for

pytestmark = pytest.mark.django_db

# (method, path template, body) — {x} are filled with organisation B's ids.
OBJECT_OPERATIONS = [
    ("get", "/api/v1/migrants/{migrant}/", None),
    ("patch", "/api/v1/migrants/{migrant}/", {"city": "Kazan"}),
    ("post", "/api/v1/migrants/{migrant}/reveal-passport/", None),
    ("get", "/api/v1/migrants/{migrant}/consents/", None),
    ("post", "/api/v1/migrants/{migrant}/consents/", {"channel": "sms", "method": "phone"}),
    ("post", "/api/v1/migrants/{migrant}/consents/withdraw/", {"channel": ""}),
    ("get", "/api/v1/migrants/{migrant}/stays/", None),
    ("post", "/api/v1/migrants/{migrant}/stays/", {"entry_date": "2026-03-01"}),
    ("post", "/api/v1/migrants/{migrant}/stays/exit/", {"exit_date": "2026-03-02"}),
    ("get", "/api/v1/migrants/{migrant}/addresses/", None),
    (
        "post",
        "/api/v1/migrants/{migrant}/addresses/",
        {"address": "A", "arrival_date": "2026-03-01"},
    ),
    ("get", "/api/v1/cases/{case}/", None),
    ("patch", "/api/v1/cases/{case}/", {"employer_name": "X"}),
    ("post", "/api/v1/cases/{case}/status/", {"status": "in_progress"}),
    ("post", "/api/v1/cases/{case}/close/", {"outcome": "resolved"}),
    ("post", "/api/v1/cases/{case}/reopen/", {"reason": "why not"}),
    ("post", "/api/v1/cases/{case}/assign/", {"assignee": None}),
    ("get", "/api/v1/cases/{case}/timeline/", None),
    ("post", "/api/v1/cases/{case}/notes/", {"text": "hello"}),
    ("get", "/api/v1/cases/{case}/checklist/", None),
    ("get", "/api/v1/cases/{case}/deadlines/", None),
    ("post", "/api/v1/cases/{case}/deadlines/", {"title": "T", "due_date": "2030-01-01"}),
    ("get", "/api/v1/cases/{case}/tasks/", None),
    ("post", "/api/v1/cases/{case}/tasks/", {"title": "T"}),
    ("get", "/api/v1/cases/{case}/calculations/", None),
    ("get", "/api/v1/checklist-items/{item}/", None),
    ("post", "/api/v1/checklist-items/{item}/state/", {"state": "have"}),
    ("get", "/api/v1/deadlines/{deadline}/", None),
    ("post", "/api/v1/deadlines/{deadline}/met/", {}),
    ("post", "/api/v1/deadlines/{deadline}/waive/", {"reason": "r"}),
    ("get", "/api/v1/tasks/{task}/", None),
    ("post", "/api/v1/tasks/{task}/complete/", None),
    ("get", "/api/v1/reminders/{reminder}/", None),
    ("get", "/api/v1/deliveries/{delivery}/", None),
    ("get", "/api/v1/calls/{call}/", None),
    ("post", "/api/v1/calls/{call}/link/", {"case": 1}),
    ("delete", "/api/v1/auth/tokens/{token}/", None),
]
# Lists filtered to organisation B's case (or unfiltered) come back without B's rows.
LIST_OPERATIONS = [
    "/api/v1/migrants/",
    "/api/v1/cases/",
    "/api/v1/deadlines/",
    "/api/v1/tasks/",
    "/api/v1/reminders/",
    "/api/v1/deliveries/",
    "/api/v1/calls/",
    "/api/v1/auth/tokens/",
]
# Operations that touch no organisation's object.
NOT_OBJECT_OPERATIONS = {
    ("get", "/api/v1/ping/"),
    ("get", "/api/v1/me/"),
    ("post", "/api/v1/auth/token/"),
    ("get", "/api/v1/rules/preview/"),
    ("get", "/api/v1/document-types/{code}/"),
    ("post", "/api/v1/migrants/"),  # organisation checked: test_migrants
    ("post", "/api/v1/migrants/duplicates/"),  # organisation checked: test_migrants
    ("post", "/api/v1/cases/"),  # migrant checked: test_another_organisations_migrant_…
    ("post", "/api/v1/calls/"),  # migrant, case and organisation checked: test_calls
    # The rules table belongs to no organisation (test_content_api: who may read and write).
    ("get", "/api/v1/document-types/"),
    ("get", "/api/v1/rules/"),
    ("post", "/api/v1/rules/"),
    ("get", "/api/v1/rules/{id}/"),
    ("patch", "/api/v1/rules/{id}/"),
    ("get", "/api/v1/deadline-rules/"),
    ("post", "/api/v1/deadline-rules/"),
    ("get", "/api/v1/deadline-rules/{id}/"),
    ("patch", "/api/v1/deadline-rules/{id}/"),
    # Counts of the caller's organisation only; another organisation is a 404 and nothing of
    # it is counted (test_statistics_api).
    ("get", "/api/v1/statistics/"),
}


def _template(path: str) -> str:
    names = ("migrant", "case", "item", "deadline", "task", "reminder", "delivery", "token", "call")
    for name in names:
        path = path.replace("{" + name + "}", "{id}")
    return path


def test_every_schema_operation_is_covered_here():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    in_schema = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    covered = {(method, _template(path)) for method, path, _ in OBJECT_OPERATIONS}
    covered |= {("get", path) for path in LIST_OPERATIONS}
    covered |= NOT_OBJECT_OPERATIONS
    assert in_schema == covered


@pytest.fixture
def b_objects(case_b, other_caseworker):
    item, deadline = add_plan(case_b)
    task = Task.objects.create(case=case_b, title="B's task")
    reminder = Reminder.objects.get(deadline=deadline)
    ApiToken.issue(user=other_caseworker)
    call = calls.log_call(
        organisation=case_b.organisation, by=other_caseworker, language="ru", outcome="callback"
    )
    return {
        "call": call.pk,
        "migrant": case_b.migrant_id,
        "case": case_b.pk,
        "item": item.pk,
        "deadline": deadline.pk,
        "task": task.pk,
        "reminder": reminder.pk,
        "delivery": Delivery.objects.get(reminder=reminder).pk,
        "token": ApiToken.objects.get(user=other_caseworker).pk,
    }


def _snapshot(case_b):
    case = Case.objects.get(pk=case_b.pk)
    return (
        Migrant.objects.filter(organisation=case.organisation).values_list("updated_at").first(),
        (case.status, case.assignee_id, case.employer_name, case.updated_at),
        case.timeline.count(),
        list(ChecklistItem.objects.filter(case=case).values_list("state", "updated_at")),
        list(Deadline.objects.filter(case=case).values_list("state", "updated_at")),
        list(Task.objects.filter(case=case).values_list("done_at", "title")),
        list(Call.objects.filter(organisation=case.organisation).values_list("case", "updated_at")),
        list(ApiToken.objects.filter(user__memberships__organisation=case.organisation)
             .values_list("revoked_at")),
    )  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body"), OBJECT_OPERATIONS)
@pytest.mark.parametrize("role", ["caseworker", "supervisor", "admin_a"])
def test_other_organisations_object_is_404(request, b_objects, case_b, method, path, body, role):
    client = client_for(request.getfixturevalue(role))
    before = _snapshot(case_b)
    response = getattr(client, method)(path.format(**b_objects), body, format="json")
    assert response.status_code == 404, (method, path, response.content)
    assert response.json() == {"code": "not_found", "message": "Not found."}
    assert _snapshot(case_b) == before


@pytest.mark.parametrize("path", LIST_OPERATIONS)
def test_lists_never_show_other_organisations_rows(api, caseworker, b_objects, path):
    # The caller's own token is the only row any of these lists may show.
    own = [] if "tokens" not in path else [ApiToken.objects.get(user=caseworker).pk]
    unfiltered = api.get(path)
    filtered = api.get(path, {"case": b_objects["case"]})
    assert unfiltered.status_code == 200
    assert [row["id"] for row in unfiltered.json()["results"]] == own
    assert [row["id"] for row in filtered.json()["results"]] == own
