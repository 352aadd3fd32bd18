from __future__ import annotations

from celery import shared_task

from api import webhooks


@shared_task(bind=True, acks_late=True, max_retries=webhooks.MAX_ATTEMPTS)
def deliver_webhook(self, delivery_id: int) -> None:
    if webhooks.deliver(delivery_id=delivery_id) is False:
        # 30 s, 1 min, 2 min, … between attempts.
        raise self.retry(countdown=30 * 2**self.request.retries)


@shared_task(acks_late=True)
def emit_overdue_webhooks() -> int:
    return webhooks.emit_overdue()


@shared_task(acks_late=True)
def purge_idempotency_records() -> int:
    """Forget Idempotency-Key answers older than API_IDEMPOTENCY_TTL_HOURS."""
    from api.idempotency import purge_expired

    return purge_expired()
