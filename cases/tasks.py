"""Thin Celery tasks: they take ids and call services (cases.dispatch, cases.delivery).

Both are safe to run twice: the dispatcher claims rows with a lock or conditional UPDATE, and
the send task re-checks each row and its delivery ledger before any provider is called.
"""

from __future__ import annotations

from celery import shared_task

from cases import delivery, dispatch
from cases.privacy import retention


@shared_task(acks_late=True, ignore_result=True)
def dispatch_reminders() -> dict:
    """Every minute (beat): claim due reminders in batches, one send task per batch."""
    result = dispatch.dispatch_due(enqueue=send_reminders.delay)
    return {"claimed": result.claimed, "reclaimed": result.reclaimed}


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_reminders(reminder_ids: list[int]) -> dict:
    """Deliver one batch of claimed reminders."""
    result = delivery.deliver_batch(reminder_ids=reminder_ids)
    return {"sent": result.sent, "retrying": result.retrying, "failed": result.failed}


@shared_task(acks_late=True, ignore_result=True)
def apply_retention() -> dict:
    """Nightly (beat): report, then anonymise migrants whose cases closed past the retention."""
    return retention.run_retention(dry_run=False).as_dict()
