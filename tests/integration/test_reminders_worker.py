"""Reminders through a real Celery worker on real Redis and PostgreSQL.

The test process plays Celery beat: it calls the dispatcher (cases.dispatch.dispatch_due), which
claims due rows and publishes one send task per batch to Redis; worker subprocesses deliver.
"""

from __future__ import annotations

import json
import signal
import time
import uuid
from datetime import timedelta

import pytest
import redis
from django.db import connection
from django.utils import timezone
from kombu import Connection

from advisor.celery import app as celery_app
from cases import channels, messages, scheduling
from cases.delivery import CHUNK_SIZE
from cases.dispatch import dispatch_due
from cases.models import Consent, Deadline, Delivery, Reminder, Task
from cases.tasks import send_reminders
from tests.integration.reminder_worker import OwnRedis, running_worker, wait_until
from tests.reminder_support import SmsRuStub, make_world
from tests.services import redis_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CLAIM_TIMEOUT = 2  # seconds: how long an abandoned claim waits before it is taken up again


@pytest.fixture
def env(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("integration tests share the database with a worker: PostgreSQL only")
    outbox = tmp_path / "outbox"
    settings.REMINDER_OUTBOX_DIR = outbox
    settings.REMINDER_BACKENDS = {"sms": "outbox", "telegram": "outbox", "email": "outbox"}
    settings.REMINDER_CLAIM_TIMEOUT_SECONDS = CLAIM_TIMEOUT
    settings.REMINDER_BATCH_SIZE = 20
    settings.SITE_URL = "https://hamroh.example"
    channels.reset()
    # Unit tests switch the shared app to eager mode; here tasks must really go to Redis.
    celery_app.conf.update(CELERY_TASK_ALWAYS_EAGER=False)
    broker = redis_url()
    worker_env = {
        "REMINDER_OUTBOX_DIR": str(outbox),
        "REMINDER_BACKENDS": "sms=outbox,telegram=outbox,email=outbox",
        "REMINDER_CLAIM_TIMEOUT_SECONDS": str(CLAIM_TIMEOUT),
        "REMINDER_RETRY_BASE_SECONDS": "1",
        "SITE_URL": "https://hamroh.example",
    }
    queue = f"reminders-test-{uuid.uuid4().hex[:12]}"
    yield {"broker": broker, "env": worker_env, "outbox": outbox, "queue": queue}
    channels.reset()
    # Late duplicates (reclaimed batches nobody needed) may remain in the test's own queue.
    _forget_queue(broker, queue)


def _forget_queue(broker: str, queue: str) -> None:
    """Remove what this test's queue left in Redis: messages, binding, and the unacked
    messages of a killed worker (which kombu would restore into the queue an hour later)."""
    client = redis.Redis.from_url(broker)
    try:
        client.delete(queue, f"_kombu.binding.{queue}")
        for tag, raw in client.hgetall("unacked").items():
            try:
                routing_key = json.loads(raw)[2]
            except (ValueError, IndexError, TypeError):
                continue
            if routing_key == queue:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    finally:
        client.close()


def enqueue_to(url: str, queue: str):
    def enqueue(ids: list[int]) -> None:
        # A connection of its own to `url`: the app's configured transport (the embedded
        # filesystem broker when CELERY_BROKER_URL is unset) must not override the URL's.
        with Connection(url) as conn:
            send_reminders.apply_async((ids,), connection=conn, queue=queue)

    return enqueue


def quiet_world(**kwargs):
    world = make_world(**kwargs)
    world.org.quiet_hours_start = world.org.quiet_hours_end = 0  # tests run at any hour
    world.org.save()
    return world


def due_reminders(world, count: int) -> list[int]:
    """`count` migrant reminders due a minute ago, each on its own deadline three days ahead."""
    due = scheduling.local_today(world.org) + timedelta(days=3)
    start = Deadline.objects.count()
    deadlines = Deadline.objects.bulk_create(
        Deadline(case=world.case, key=f"d{start + i}", title="Register", due_date=due)
        for i in range(count)
    )
    past = timezone.now() - timedelta(minutes=1)
    rows = Reminder.objects.bulk_create(
        Reminder(deadline=d, audience="migrant", offset_days=3, send_at=past) for d in deadlines
    )
    return [r.pk for r in rows]


def outbox_files(folder) -> list[dict]:
    return [json.loads(p.read_text()) for p in folder.glob("*.json")] if folder.exists() else []


def sent_count(ids) -> int:
    return Reminder.objects.filter(pk__in=ids, state="sent").count()


def test_due_reminder_is_delivered_exactly_once_with_language_and_text(env):
    world = quiet_world(language="tg")
    due = scheduling.local_today(world.org) + timedelta(days=3)
    deadline = Deadline.objects.create(
        case=world.case, key="registration", title="Register your stay", due_date=due,
        reminder_offsets=[3],
    )  # fmt: skip
    scheduling.schedule_for_deadline(deadline=deadline)
    Reminder.objects.update(send_at=timezone.now() - timedelta(seconds=5))
    ids = list(Reminder.objects.values_list("pk", flat=True))
    tick = lambda: dispatch_due(enqueue=enqueue_to(env["broker"], env["queue"]))  # noqa: E731
    with running_worker(broker=env["broker"], env=env["env"], queue=env["queue"]):
        tick()
        assert wait_until(lambda: sent_count(ids) == 2, timeout=30)
        tick()  # later ticks find nothing more to do
        time.sleep(1)
    files = outbox_files(env["outbox"])
    assert len(files) == 2
    (sms,) = [f for f in files if f["audience"] == "migrant"]
    assert sms["channel"] == "sms" and sms["language"] == "tg" and sms["to"] == "+992931234567"
    assert sms["body"] == messages.migrant_text(
        language="tg", due=due, days=3, migrant_id=world.migrant.pk
    )
    assert sms["body"].startswith("Hamroh: мӯҳлат пас аз 3 рӯз")
    (email,) = [f for f in files if f["audience"] == "caseworker"]
    assert email["to"] == world.user.email and "Register your stay" in email["body"]
    assert Delivery.objects.filter(state="sent", attempts=1).count() == 2


def test_kill_9_mid_batch_then_a_new_worker_delivers_all_none_twice(env):
    world = quiet_world()
    ids = due_reminders(world, 500)
    tick = lambda: dispatch_due(enqueue=enqueue_to(env["broker"], env["queue"]))  # noqa: E731
    worker = running_worker(broker=env["broker"], env=env["env"], queue=env["queue"], concurrency=2)
    with worker as first:
        tick()
        assert wait_until(lambda: len(list(env["outbox"].glob("*.json"))) >= 60, timeout=60,
                          interval=0.01)  # fmt: skip
        first.kill()
    at_kill = sent_count(ids)
    assert at_kill < 500, "the worker finished before it could be killed"
    with running_worker(broker=env["broker"], env=env["env"], queue=env["queue"]):
        assert wait_until(lambda: sent_count(ids) == 500, timeout=90, interval=0.5, tick=tick)
    files = outbox_files(env["outbox"])
    keys = [f["key"] for f in files]
    assert len(files) == 500 and len(set(keys)) == 500
    assert {f["reminder"] for f in files} == set(ids)
    deliveries = Delivery.objects.filter(reminder_id__in=ids)
    assert deliveries.count() == 500
    assert set(deliveries.values_list("state", flat=True)) == {"sent"}
    # A delivery sent twice would need a second claim; only those in flight at the kill
    # (at most one chunk per pool process) were tried again, under the same key.
    assert deliveries.filter(attempts__gt=1).count() <= 2 * CHUNK_SIZE
    assert not deliveries.filter(attempts__gt=2).exists()


def test_redis_outage_loses_no_reminder(env):
    world = quiet_world()
    own = OwnRedis().start()
    try:
        tick = lambda: dispatch_due(enqueue=enqueue_to(own.url, env["queue"]))  # noqa: E731
        with running_worker(broker=own.url, env=env["env"], queue=env["queue"]) as worker:
            warm = due_reminders(world, 5)
            tick()
            assert wait_until(lambda: sent_count(warm) == 5, timeout=30)
            # Freeze the worker, queue a batch in Redis, and lose Redis with it.
            worker.signal(signal.SIGSTOP)
            queued = due_reminders(world, 40)
            assert tick().claimed == 40
            own.kill()
            worker.signal(signal.SIGCONT)
            # While Redis is down the dispatcher cannot publish: it gives the rows back.
            waiting = due_reminders(world, 40)
            tick()
            assert Reminder.objects.filter(pk__in=waiting, state="scheduled").count() == 40
            assert Reminder.objects.filter(pk__in=queued, state="sending").count() == 40
            own.start()  # same port, empty: the queued batch is gone
            every = warm + queued + waiting
            assert wait_until(lambda: sent_count(every) == 85, timeout=90, interval=0.5, tick=tick)
    finally:
        own.kill()
    files = outbox_files(env["outbox"])
    assert sorted(f["reminder"] for f in files) == sorted(every)


def test_provider_5xx_twice_then_accepted_and_4xx_falls_back(env):
    world = quiet_world()
    Consent.objects.create(migrant=world.migrant, channel="email")
    world.migrant.preferred_channel = "sms"
    world.migrant.save()
    with SmsRuStub() as stub:
        worker_env = env["env"] | {
            "REMINDER_BACKENDS": "sms=smsru,telegram=outbox,email=outbox",
            "SMSRU_API_ID": "integration-key",
            "SMSRU_API_URL": stub.url,
        }
        tick = lambda: dispatch_due(enqueue=enqueue_to(env["broker"], env["queue"]))  # noqa: E731
        with running_worker(broker=env["broker"], env=worker_env, queue=env["queue"]):
            stub.answers.extend([(503, None), (502, None)])
            (retried,) = due_reminders(world, 1)
            assert wait_until(lambda: sent_count([retried]) == 1, timeout=60, tick=tick)
            stub.answers.append((400, {"status": "ERROR", "status_code": 400}))
            (fallback,) = due_reminders(world, 1)
            assert wait_until(lambda: sent_count([fallback]) == 1, timeout=60, tick=tick)
    delivery = Delivery.objects.get(reminder_id=retried)
    assert delivery.channel == "sms" and delivery.state == "sent" and delivery.attempts == 3
    assert Reminder.objects.get(pk=retried).attempts == 3
    assert len([r for r in stub.requests if r["api_id"] == "integration-key"]) == 4
    got = {d.channel: d for d in Delivery.objects.filter(reminder_id=fallback)}
    assert got["sms"].state == "failed" and got["email"].state == "sent"
    files = [f for f in outbox_files(env["outbox"]) if f["reminder"] == fallback]
    assert [f["channel"] for f in files] == ["email"]
    assert not Task.objects.filter(kind="call_migrant").exists()
