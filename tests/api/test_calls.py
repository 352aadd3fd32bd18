"""The call log through the API: log, list, filter, link; another organisation's nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import calls
from cases.models import Call, Task

pytestmark = pytest.mark.django_db

URL = "/api/v1/calls/"


def test_log_an_anonymous_call(api, caseworker, org_a):
    body = {"language": "tg", "outcome": "advice", "topics": ["reentry_ban", "unpaid_wages"]}
    response = api.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["topics"] == ["unpaid_wages", "reentry_ban"]
    assert data["migrant"] is None and data["organisation"] == org_a.pk
    assert data["taken_by"] == caseworker.pk


def test_log_a_call_on_a_case_with_a_follow_up(api, case_a):
    due = (timezone.localdate() + timedelta(days=1)).isoformat()
    body = {
        "case": case_a.pk,
        "language": "ru",
        "outcome": "added_to_case",
        "follow_up": "Send the claim",
        "follow_up_due": due,
    }
    data = api.post(URL, body, format="json").json()
    assert data["migrant"] == case_a.migrant_id and data["case"] == case_a.pk
    assert Task.objects.get(pk=data["follow_up_task"]).case == case_a


def test_errors_are_400s_naming_the_fields(api):
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat()
    body = {"language": "ru", "outcome": "case_opened", "received_at": tomorrow}
    response = api.post(URL, body, format="json")
    assert response.status_code == 400
    assert {"outcome", "received_at"} <= set(response.json()["errors"])  # all at once
    bad = api.post(URL, {"language": "xx", "outcome": "advice", "topics": ["x"]}, format="json")
    assert bad.status_code == 400
    assert not Call.objects.exists()


def test_another_organisations_migrant_or_case_is_refused(api, case_b, org_b):
    for body in ({"case": case_b.pk}, {"migrant": case_b.migrant_id}, {"organisation": org_b.pk}):
        response = api.post(URL, {"language": "ru", "outcome": "advice", **body}, format="json")
        assert response.status_code == 400, body
    assert not Call.objects.exists()


def test_list_filters_and_scope(api, caseworker, other_caseworker, org_a, org_b, case_a):
    ours = calls.log_call(
        organisation=org_a, by=caseworker, language="uz", outcome="callback", topics=["patent"]
    )
    calls.log_call(organisation=org_a, by=caseworker, language="ru", outcome="advice", case=case_a)
    calls.log_call(organisation=org_b, by=other_caseworker, language="uz", outcome="callback")
    listed = api.get(URL).json()["results"]
    assert len(listed) == 2 and all(c["organisation"] == org_a.pk for c in listed)
    by_topic = api.get(URL, {"topic": "patent"}).json()["results"]
    assert [c["id"] for c in by_topic] == [ours.pk]
    anonymous = api.get(URL, {"anonymous": "true", "language": "uz"}).json()["results"]
    assert [c["id"] for c in anonymous] == [ours.pk]
    assert api.get(URL, {"topic": "lottery"}).status_code == 400


def test_link_a_call_to_the_case_opened_from_it(api, caseworker, org_a, case_a):
    call = calls.log_call(
        organisation=org_a, by=caseworker, language="ru", outcome="callback", follow_up="Ring"
    )
    response = api.post(f"{URL}{call.pk}/link/", {"case": case_a.pk, "opened": True})
    assert response.status_code == 200
    data = response.json()
    assert data["case"] == case_a.pk and data["outcome"] == "case_opened"
    assert Task.objects.get(pk=data["follow_up_task"]).title == "Ring"
    again = api.post(f"{URL}{call.pk}/link/", {"case": case_a.pk})
    assert again.status_code == 200 and Task.objects.count() == 1


def test_link_to_another_organisations_case_is_refused(api, caseworker, org_a, case_b):
    call = calls.log_call(organisation=org_a, by=caseworker, language="ru", outcome="advice")
    response = api.post(f"{URL}{call.pk}/link/", {"case": case_b.pk})
    assert response.status_code == 400
    call.refresh_from_db()
    assert call.case is None
