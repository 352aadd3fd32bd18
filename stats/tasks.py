"""Thin Celery tasks: ids in, services do the work."""

from __future__ import annotations

from celery import shared_task

from stats import services


@shared_task(acks_late=True)
def run_export(job_id: str) -> None:
    services.run_export_job(job_id=job_id)


@shared_task
def recover_stalled_exports() -> int:
    return services.recover_stalled_exports(enqueue=run_export.delay)


@shared_task
def expire_exports() -> int:
    return services.expire_exports()
