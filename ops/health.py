"""Readiness of the parts a deployment needs: database, broker, Celery workers."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from advisor.celery import app as celery_app
from ops.models import Heartbeat

WORKER_HEARTBEAT = "worker"


def record_heartbeat() -> None:
    Heartbeat.objects.update_or_create(name=WORKER_HEARTBEAT, defaults={"beat_at": timezone.now()})


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 — any failure means "down", reported by type only
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor}


def check_broker() -> dict:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            transport = conn.transport_cls
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "transport": str(transport)}


def check_workers() -> dict:
    beat = Heartbeat.objects.filter(name=WORKER_HEARTBEAT).first()
    if beat is None:
        return {"ok": False, "last_heartbeat": None}
    age = timezone.now() - beat.beat_at
    max_age = timedelta(seconds=settings.HEARTBEAT_MAX_AGE_SECONDS)
    return {
        "ok": age <= max_age,
        "last_heartbeat": beat.beat_at.isoformat(),
        "age_seconds": int(age.total_seconds()),
    }


def status() -> dict:
    database = check_database()
    checks = {
        "database": database,
        "broker": check_broker(),
        "workers": check_workers() if database["ok"] else {"ok": False},
    }
    return {"ok": all(check["ok"] for check in checks.values()), **checks}
