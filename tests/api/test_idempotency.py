"""Idempotency-Key: a retried create returns the first answer and creates nothing new."""

from __future__ import annotations

import pytest

from api.models import IdempotencyRecord
from cases.models import Case, Migrant, TimelineEvent
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def open_case(client, case_a, key: str, problem: str = "patent"):
    return client.post(
        "/api/v1/cases/",
        {"migrant": case_a.migrant_id, "problem_type": problem},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_retry_with_same_key_replays_the_first_response(api, case_a):
    first = open_case(api, case_a, "7f1c-retry")
    second = open_case(api, case_a, "7f1c-retry")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 2  # case_a and exactly one new case
    assert IdempotencyRecord.objects.count() == 1


def test_same_key_with_another_body_is_409(api, case_a):
    open_case(api, case_a, "k1")
    response = open_case(api, case_a, "k1", problem="reentry_ban")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Case.objects.count() == 2


def test_keys_are_per_user(api, supervisor, case_a):
    open_case(api, case_a, "shared")
    response = open_case(client_for(supervisor), case_a, "shared")
    assert response.status_code == 201
    assert Case.objects.count() == 3


def test_without_a_key_each_request_creates(api, case_a):
    api.post("/api/v1/cases/", {"migrant": case_a.migrant_id, "problem_type": "patent"})
    api.post("/api/v1/cases/", {"migrant": case_a.migrant_id, "problem_type": "patent"})
    assert Case.objects.count() == 3
    assert not IdempotencyRecord.objects.exists()


def test_failed_requests_are_not_remembered(api, case_a):
    bad = api.post(
        "/api/v1/cases/", {"migrant": case_a.migrant_id}, HTTP_IDEMPOTENCY_KEY="fix-and-retry"
    )
    assert bad.status_code == 400
    assert open_case(api, case_a, "fix-and-retry").status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve"])
def test_malformed_keys_are_400(api, case_a, key):
    response = open_case(api, case_a, key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert Case.objects.count() == 1


def test_migrant_notes_and_tasks_replay_too(api, case_a):
    body = {"full_name_latin": "Aziz Umarov", "citizenship": "KG"}
    for _ in range(2):
        api.post("/api/v1/migrants/", body, HTTP_IDEMPOTENCY_KEY="m1")
        api.post(f"/api/v1/cases/{case_a.pk}/notes/", {"text": "n"}, HTTP_IDEMPOTENCY_KEY="n1")
        api.post(f"/api/v1/cases/{case_a.pk}/tasks/", {"title": "t"}, HTTP_IDEMPOTENCY_KEY="t1")
    assert Migrant.objects.count() == 2
    assert case_a.timeline.filter(kind=TimelineEvent.Kind.NOTE).count() == 1
    assert case_a.tasks.count() == 1


def test_old_answers_are_forgotten(api, case_a):
    from datetime import timedelta

    from django.utils import timezone

    from api.tasks import purge_idempotency_records

    first = open_case(api, case_a, "old-key")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    # An expired key is a new request again.
    second = open_case(api, case_a, "old-key")
    assert second.json()["id"] != first.json()["id"]
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert purge_idempotency_records() == 1
    assert not IdempotencyRecord.objects.exists()
