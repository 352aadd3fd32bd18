"""Worker and beat are real processes: the heartbeat they run shows on /healthz/."""

from __future__ import annotations

import pytest
import redis

from ops.models import Heartbeat
from tests.integration.conftest import celery_env, wait_for
from tests.services import redis_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _empty_queue():
    redis.Redis.from_url(redis_url()).delete("celery")


def test_beat_schedules_heartbeat_and_worker_runs_it(start_celery, client):
    env = celery_env(HEARTBEAT_INTERVAL_SECONDS="1")
    start_celery("worker", "--pool", "solo", "-l", "WARNING", env=env)
    start_celery("beat", "-l", "WARNING", env=env)

    assert wait_for(lambda: Heartbeat.objects.exists(), timeout=60)

    response = client.get("/healthz/")
    body = response.json()
    assert body["workers"]["ok"] is True
    assert body["database"]["ok"] is True
    assert response.status_code == 200, body
