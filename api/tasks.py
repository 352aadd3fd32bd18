from __future__ import annotations

from celery import shared_task

from api import webhooks


@shared_task(acks_late=True)
def emit_overdue_webhooks() -> int:
    return webhooks.emit_overdue()


@shared_task(acks_late=True)
def purge_idempotency_records() -> int:
    """Forget Idempotency-Key answers older than API_IDEMPOTENCY_TTL_HOURS."""
    from api.idempotency import purge_expired

    return purge_expired()
