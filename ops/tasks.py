from __future__ import annotations

from celery import shared_task

from ops import health


@shared_task
def heartbeat() -> None:
    health.record_heartbeat()
