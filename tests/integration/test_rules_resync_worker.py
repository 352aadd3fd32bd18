"""A rule change is re-synced by a real Celery worker over Redis (not eager mode)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from cases import resync, services
from content.models import DeadlineRule, ResyncJob
from tests.content import factories
from tests.services import redis_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker():
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can open (PostgreSQL)")
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    env = os.environ | {
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url(),
        "ALLOW_DEV_SECRETS": "true",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "advisor", "worker", "-P", "solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING",
         "-Q", "rules-it"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    yield
    process.terminate()
    process.wait(timeout=30)


def test_rule_change_is_resynced_by_a_worker(worker):
    factories.load_shipped_rules()
    org = factories.organisation()
    user = factories.member(org)
    open_case = factories.open_case(org, user, citizenship="TJ", arrival_date=timezone.localdate())
    closed = factories.open_case(org, user, citizenship="TJ", arrival_date=timezone.localdate())
    services.close_case(case=closed, outcome="resolved", by=user)
    closed_due = closed.deadlines.get(key="registration").due_date
    factories.edit_rules(DeadlineRule.objects.filter(key="registration.treaty_15_days"), amount=21)
    job = ResyncJob.objects.create(
        reason="integration", problem_types=["registration"], total=resync.affected_cases(
            ["registration"]).count()
    )  # fmt: skip
    client = Celery(broker=redis_url())
    client.send_task("cases.resync.resync_open_cases", args=[job.pk], queue="rules-it")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in (ResyncJob.State.DONE, ResyncJob.State.FAILED):
            break
        time.sleep(0.5)
    assert (job.state, job.done, job.changed) == (ResyncJob.State.DONE, 1, 1)
    due = open_case.deadlines.get(key="registration").due_date
    assert (due - timezone.localdate()).days == 21
    texts = [event.text for event in open_case.timeline.all()]  # encrypted: compared here
    assert any(text.startswith("Rules changed: integration") for text in texts)
    assert closed.deadlines.get(key="registration").due_date == closed_due
