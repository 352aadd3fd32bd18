"""A client built only from /api/schema/ does the integration's whole job.

`SchemaClient` knows no URL: it looks operations up by operationId in the served schema and
lets schemathesis (an OpenAPI client) build each request, then checks every response against
the schema. This is what any generated client (openapi-generator, openapi-python-client) does.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone

from cases.models import Case, ChecklistItem
from tests.api.conftest import PASSWORD

pytestmark = pytest.mark.django_db


class SchemaClient:
    def __init__(self, schema, token: str | None = None):
        self.schema = schema
        self.token = token

    def __call__(self, operation_id: str, *, path=None, body=None, query=None, expect=200):
        operation = self.schema.find_operation_by_id(operation_id)
        kwargs = {"path_parameters": path or {}, "query": query or {}}
        if body is not None:
            kwargs["body"] = body
            kwargs["media_type"] = "application/json"
        case = operation.Case(**kwargs)
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        # Status code, content type, body and headers must match the schema; schemathesis also
        # replays authenticated calls without and with bad credentials, expecting a 401.
        response = case.call_and_validate(headers=headers)
        assert response.status_code == expect, response.text
        return response.json()


@pytest.fixture
def served_schema(caseworker):
    # The client keeps the test's database connection open across requests, as Django's
    # test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _intake_to_close(schema, *, tick: bool) -> None:
    anonymous = SchemaClient(schema)
    token = anonymous(
        "auth_token_create",
        body={"username": "cw_a", "password": PASSWORD, "name": "chat bot"},
        expect=201,
    )["token"]
    api = SchemaClient(schema, token)

    migrant = api(
        "migrants_create",
        body={"full_name_latin": "Farrukh Sobirov", "citizenship": "TJ", "phone": "+992935550000"},
        expect=201,
    )
    arrival = (timezone.localdate() - timedelta(days=1)).isoformat()
    case = api(
        "cases_create",
        body={"migrant": migrant["id"], "problem_type": "registration", "arrival_date": arrival},
        expect=201,
    )
    # The rules table is the rules engineer's; give the case one item as sync_plan would.
    ChecklistItem.objects.create(
        case_id=case["id"], key="api.demo", document_code="registration_slip", position=99
    )
    checklist = api("cases_checklist", path={"id": case["id"]})
    deadlines = api("cases_deadlines", path={"id": case["id"]})
    assert any(item["document_code"] == "registration_slip" for item in checklist)
    assert isinstance(deadlines, list)
    if tick:
        item = next(i for i in checklist if i["key"] == "api.demo")
        ticked = api("checklist_items_set_state", path={"id": item["id"]}, body={"state": "have"})
        assert ticked["state"] == "have"
    closed = api("cases_close", path={"id": case["id"]}, body={"outcome": "resolved"})
    assert closed["status"] == "closed"
    assert Case.objects.get(pk=case["id"]).outcome == "resolved"


def test_schema_client_opens_reads_and_closes_a_case(served_schema):
    _intake_to_close(served_schema, tick=False)


def test_schema_client_opens_reads_ticks_and_closes_a_case(served_schema):
    _intake_to_close(served_schema, tick=True)
