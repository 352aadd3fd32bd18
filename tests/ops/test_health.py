from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ops import health
from ops.models import Heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_is_503_without_a_worker_heartbeat(client):
    response = client.get("/healthz/")
    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["workers"] == {"ok": False, "last_heartbeat": None}


def test_healthz_reports_a_recent_heartbeat(client):
    health.record_heartbeat()
    body = client.get("/healthz/").json()
    assert body["workers"]["ok"] is True
    assert body["workers"]["age_seconds"] < 5


def test_a_stale_heartbeat_means_workers_down(settings):
    Heartbeat.objects.create(
        name=health.WORKER_HEARTBEAT,
        beat_at=timezone.now() - timedelta(seconds=settings.HEARTBEAT_MAX_AGE_SECONDS + 1),
    )
    assert health.check_workers()["ok"] is False


def test_heartbeat_task_records_the_time():
    from ops.tasks import heartbeat

    heartbeat.delay()
    assert Heartbeat.objects.get(name=health.WORKER_HEARTBEAT).beat_at > timezone.now() - timedelta(
        seconds=5
    )
