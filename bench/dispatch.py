"""Dispatch throughput: N due reminders delivered to the file outbox by one Celery worker.

    python -m bench.dispatch [--count 20000] [--concurrency N (default: cores)]

`run()` is what `make bench` calls. It builds a throw-away database (Django's test-database
machinery: `test_<name>` on PostgreSQL, a file under var/ on SQLite), seeds one case with N
deadlines and one due migrant reminder each, starts ONE worker subprocess (one pool process per
core, Celery's default) on the configured broker (CELERY_BROKER_URL: Redis, or the filesystem
broker by default), plays beat by calling the dispatcher, and waits until every reminder is
sent. It reports reminders/second, checks for duplicates (outbox files, delivery attempts) and
prints the claim query's plan.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    os.environ.setdefault("ALLOW_DEV_SECRETS", "true")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _database_url(settings_dict: dict) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def claim_plan(connection) -> str:
    """EXPLAIN of the dispatcher's claim query (SELECT … FOR UPDATE SKIP LOCKED LIMIT n)."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from cases import dispatch

    queryset = dispatch.claim_queryset(timezone.now()).select_for_update(skip_locked=True)
    queryset = queryset.values_list("pk", flat=True)[: settings.REMINDER_BATCH_SIZE]
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with transaction.atomic(), connection.cursor() as cursor:
        sql, params = queryset.query.sql_with_params()
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    lines = [" ".join(str(c) for c in row) for row in rows]
    return f"{sql}\n  params: {[str(p) for p in params]}\n" + "\n".join(lines)


def _seed(count: int):
    from django.utils import timezone

    from accounts.models import User
    from cases.models import Case, Consent, Deadline, Membership, Migrant, Organisation, Reminder

    org = Organisation.objects.create(
        name="Bench", slug="bench", code="BENCH", quiet_hours_start=0, quiet_hours_end=0
    )
    user = User.objects.create(username="bench", email="bench@example.org")
    Membership.objects.create(user=user, organisation=org)
    migrant = Migrant.objects.create(
        organisation=org, full_name_latin="Bench", citizenship="TJ", phone="+992931234567",
        preferred_language="tg",
    )  # fmt: skip
    Consent.objects.create(migrant=migrant, channel="sms")
    case = Case.objects.create(
        organisation=org, number="BENCH-1", migrant=migrant, problem_type="registration",
        assignee=user,
    )  # fmt: skip
    due = timezone.localdate() + timedelta(days=3)
    later = timezone.now() + timedelta(days=1)
    deadlines = Deadline.objects.bulk_create(
        (Deadline(case=case, key=f"b{i}", title="Bench", due_date=due) for i in range(count + 1)),
        batch_size=2000,
    )
    Reminder.objects.bulk_create(
        (Reminder(deadline=d, audience="migrant", offset_days=3, send_at=later) for d in deadlines),
        batch_size=2000,
    )
    warmup = Reminder.objects.filter(deadline=deadlines[0]).values_list("pk", flat=True)
    return list(warmup)


def _wait(predicate, timeout: float, tick=None, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if tick:
            tick()
        time.sleep(interval)
    return predicate()


# Celery's own default: one pool process per core, as a worker started without --concurrency.
DEFAULT_CONCURRENCY = os.cpu_count() or 1


def _start_worker(queue: str, outbox: Path, concurrency: int) -> subprocess.Popen:
    """One Celery worker on its own queue, writing to the benchmark's outbox."""
    from django.db import connection

    env = os.environ | {
        "DATABASE_URL": _database_url(connection.settings_dict),
        "REMINDER_OUTBOX_DIR": str(outbox),
        "REMINDER_BACKENDS": "sms=outbox,telegram=outbox,email=outbox",
        "ALLOW_DEV_SECRETS": "true",
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "advisor", "worker", "--loglevel", "WARNING",
         "--concurrency", str(concurrency), "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--hostname", f"bench-{os.getpid()}@%h", "--queues", queue],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    return worker


def _measure(
    count: int, warmup: list, queue: str, outbox: Path, concurrency: int, timeout: float
) -> dict:
    """Warm the worker up, make every other reminder due, and time their delivery."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from advisor.celery import app
    from cases import dispatch
    from cases.models import Delivery, Reminder
    from cases.tasks import send_reminders

    def enqueue(ids):
        send_reminders.apply_async((ids,), queue=queue)

    app.conf.update(CELERY_TASK_ALWAYS_EAGER=False)
    tick = lambda: dispatch.dispatch_due(enqueue=enqueue)  # noqa: E731
    Reminder.objects.filter(pk__in=warmup).update(send_at=timezone.now())
    if not _wait(lambda: Reminder.objects.filter(pk__in=warmup, state="sent").exists(), 120,
                 tick):  # fmt: skip
        raise RuntimeError("the worker did not start within 2 minutes")
    rest = Reminder.objects.exclude(pk__in=warmup)
    rest.update(send_at=timezone.now() - timedelta(seconds=1))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_reminder")
    plan = claim_plan(connection)  # with every reminder due, as the first tick sees it
    started = time.monotonic()
    dispatched = tick()
    dispatch_seconds = time.monotonic() - started
    done = _wait(lambda: not rest.exclude(state="sent").exists(), timeout, tick, 0.25)
    elapsed = time.monotonic() - started
    sent = rest.filter(state="sent").count()
    files = list(outbox.glob("*.json"))
    keys = {json.loads(p.read_text())["reminder"] for p in files}
    duplicates = (
        Delivery.objects.filter(attempts__gt=1).count()
        + Delivery.objects.values("reminder").count()
        - len(keys)
    )
    result = {
        "database": connection.vendor,
        "broker": settings.CELERY_BROKER_URL.split("://")[0],
        "reminders": count,
        "sent": sent,
        "complete": done,
        "seconds": round(elapsed, 2),
        "dispatch_seconds": round(dispatch_seconds, 3),
        "batches": dispatched.batches,
        "per_second": round(sent / elapsed, 1) if elapsed else 0.0,
        "outbox_files": len(files),
        "duplicates": duplicates,
        "worker_concurrency": concurrency,
        "claim_plan": plan,
    }
    return result


def _clean_up(worker: subprocess.Popen | None, queue: str, outbox: Path, old_name: str) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import teardown_test_environment

    if worker and worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
    if settings.CELERY_BROKER_URL.startswith("redis") and queue:
        import redis

        client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        client.delete(queue, f"_kombu.binding.{queue}")
        client.close()
    connection.creation.destroy_test_db(old_name, verbosity=0)
    teardown_test_environment()
    for path in outbox.glob("*"):
        path.unlink()
    outbox.rmdir()


def run(
    count: int = 20_000, *, concurrency: int = DEFAULT_CONCURRENCY, timeout: float = 600
) -> dict:
    """Seed, deliver through one worker, measure; returns the figures (also printed)."""
    _setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    from cases import channels

    outbox = Path(tempfile.mkdtemp(prefix="bench-outbox-", dir=settings.VAR_DIR))
    settings.REMINDER_OUTBOX_DIR = outbox
    settings.REMINDER_BACKENDS = {"sms": "outbox", "telegram": "outbox", "email": "outbox"}
    channels.reset()
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
            settings.VAR_DIR / "bench.sqlite3"
        )
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    worker = None
    queue = ""
    try:
        warmup = _seed(count)
        queue = f"bench-dispatch-{os.getpid()}"  # its own queue: a shared broker is untouched
        worker = _start_worker(queue, outbox, concurrency)
        result = _measure(count, warmup, queue, outbox, concurrency, timeout)
    finally:
        _clean_up(worker, queue, outbox, old_name)
    print(
        f"dispatch: {result['sent']}/{count} reminders to the file outbox in {result['seconds']} s "
        f"= {result['per_second']}/s by one worker (concurrency {concurrency}); "
        f"{result['batches']} batches, {result['duplicates']} duplicates, "
        f"{result['database']} + {result['broker']} broker"
    )
    print("claim query plan:\n" + result["claim_plan"])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY)
    args = parser.parse_args(argv)
    result = run(args.count, concurrency=args.concurrency)
    return 0 if result["complete"] and result["duplicates"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
