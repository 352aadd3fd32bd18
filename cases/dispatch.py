"""The dispatcher: claim due reminders in batches and hand each batch to a send task.

Celery beat runs it every minute (cases.tasks.dispatch_reminders), which passes the send task's
`delay` as `enqueue`; this module knows no task. Claimed rows are `sending` with `claimed_at`;
a claim a dead worker abandoned is taken up again after REMINDER_CLAIM_TIMEOUT_SECONDS.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Reminder

# One logger for the whole reminder pipeline, as docs/operations.md tells operators.
logger = logging.getLogger("cases.reminders")

# At most this many batches per tick (the next tick takes the rest).
MAX_BATCHES_PER_TICK = 200

Enqueue = Callable[[list[int]], object]


@dataclass
class DispatchResult:
    claimed: int = 0
    reclaimed: int = 0
    batches: int = 0
    broker_down: bool = False


def _enqueue_or_release(
    enqueue: Enqueue, ids: list[int], at: datetime, result: DispatchResult
) -> None:
    try:
        enqueue(ids)
    except Exception:  # the broker is down: give the rows back rather than wait for the reclaim
        logger.exception("reminders: could not enqueue a batch of %d; released", len(ids))
        result.broker_down = True
        Reminder.objects.filter(pk__in=ids, state=Reminder.State.SENDING, claimed_at=at).update(
            state=Reminder.State.SCHEDULED, claimed_at=None
        )


def _claim_batch(queryset: QuerySet[Reminder], *, now: datetime, size: int, **changes) -> list[int]:
    """Claim up to `size` rows of `queryset` for this dispatcher.

    Postgres: FOR UPDATE SKIP LOCKED, so concurrent dispatchers take different rows. SQLite
    ignores the lock clause but runs this transaction with BEGIN IMMEDIATE (one writer at a
    time), and the conditional UPDATE re-checks the state either way.
    """
    ids = list(queryset.select_for_update(skip_locked=True).values_list("pk", flat=True)[:size])
    if ids:
        queryset.filter(pk__in=ids).update(claimed_at=now, **changes)
    return ids


def claim_queryset(now: datetime) -> QuerySet[Reminder]:
    return Reminder.objects.filter(state=Reminder.State.SCHEDULED, send_at__lte=now).order_by(
        "send_at"
    )


def dispatch_due(*, enqueue: Enqueue, now: datetime | None = None) -> DispatchResult:
    """Claim due reminders in batches and hand each batch to `enqueue` after commit."""
    now = now or timezone.now()
    size = settings.REMINDER_BATCH_SIZE
    result = DispatchResult()
    stale = Reminder.objects.filter(
        state=Reminder.State.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT_SECONDS),
    ).order_by("claimed_at")
    for queryset, changes, counter in (
        (stale, {}, "reclaimed"),
        (claim_queryset(now), {"state": Reminder.State.SENDING}, "claimed"),
    ):
        if result.broker_down:
            break
        for _batch in range(MAX_BATCHES_PER_TICK):
            with transaction.atomic():
                ids = _claim_batch(queryset, now=now, size=size, **changes)
                if ids:
                    transaction.on_commit(
                        lambda ids=ids: _enqueue_or_release(enqueue, ids, now, result)
                    )
            setattr(result, counter, getattr(result, counter) + len(ids))
            result.batches += 1 if ids else 0
            if len(ids) < size or result.broker_down:
                break  # done, or the broker is down: the next tick tries again
    if result.claimed or result.reclaimed:
        logger.info(
            "reminders: claimed %d, reclaimed %d in %d batches",
            result.claimed,
            result.reclaimed,
            result.batches,
        )
    return result
