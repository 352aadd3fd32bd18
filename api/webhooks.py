"""Signed event POSTs to an organisation's webhooks: case created, status changed, overdue.

Events are read off the case timeline (every service writes one), so the API, the web UI and
tasks all trigger them without a second copy of any rule. A delivery row is written in the
same transaction as the event and sent after commit by a Celery task with retries.

Receivers check `X-Hamroh-Signature: sha256=<hex>`, the HMAC-SHA256 of
`<X-Hamroh-Timestamp>.<raw body>` under the webhook's secret. Payloads carry ids, codes and
case numbers, never personal data.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import date

from celery import shared_task
from django.db import IntegrityError, transaction
from django.db.models import F as models_F
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from api.models import Webhook, WebhookDelivery
from cases.models import Case, Deadline, TimelineEvent

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
MAX_ATTEMPTS = 6


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def emit(*, organisation_id: int, event: str, object_key: str, payload: dict) -> int:
    """Queue the event for each subscribed webhook of the organisation; returns how many."""
    queued = 0
    hooks = Webhook.objects.filter(organisation_id=organisation_id, is_active=True)
    for hook in hooks:
        if event not in hook.events:
            continue
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    webhook=hook, event=event, object_key=object_key, payload=payload
                )
        except IntegrityError:
            continue  # already queued for this webhook
        transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk))
        queued += 1
    return queued


def _enqueue(delivery_id: int) -> None:
    deliver_webhook.delay(delivery_id)


def _case_payload(case: Case) -> dict:
    return {
        "id": case.pk,
        "number": case.number,
        "organisation": case.organisation_id,
        "problem_type": case.problem_type,
        "status": case.status,
        "outcome": case.outcome,
    }


@receiver(post_save, sender=TimelineEvent, dispatch_uid="api.webhooks.timeline")
def _timeline_event(sender, instance: TimelineEvent, created: bool, **kwargs) -> None:
    if not created or instance.kind not in (TimelineEvent.Kind.OPENED, TimelineEvent.Kind.STATUS):
        return
    case = instance.case
    if not Webhook.objects.filter(organisation_id=case.organisation_id, is_active=True).exists():
        return
    event = (
        Webhook.Event.CASE_CREATED
        if instance.kind == TimelineEvent.Kind.OPENED
        else Webhook.Event.CASE_STATUS_CHANGED
    )
    payload = {
        "event": event,
        "occurred_at": instance.created_at.isoformat(),
        "case": _case_payload(case),
    }
    if instance.kind == TimelineEvent.Kind.STATUS:
        payload["from"] = instance.data.get("from")
        payload["to"] = instance.data.get("to")
    emit(
        organisation_id=case.organisation_id,
        event=event,
        object_key=f"timeline:{instance.pk}",
        payload=payload,
    )


def emit_overdue(*, today: date | None = None) -> int:
    """Queue deadline.overdue for open deadlines past due, once per deadline and due date."""
    today = today or timezone.localdate()
    # Subscriptions are a short JSON list per webhook: filtered here, not in SQL (SQLite's
    # JSON fields have no "contains").
    organisations = {
        hook.organisation_id
        for hook in Webhook.objects.filter(is_active=True).only("organisation_id", "events")
        if Webhook.Event.DEADLINE_OVERDUE in hook.events
    }
    overdue = (
        Deadline.objects.filter(
            state=Deadline.State.OPEN,
            due_date__lt=today,
            case__organisation_id__in=organisations,
        )
        .exclude(case__status__in=Case.CLOSED_STATUSES)
        .select_related("case")
    )
    queued = 0
    for deadline in overdue.iterator():
        payload = {
            "event": Webhook.Event.DEADLINE_OVERDUE,
            "occurred_at": timezone.now().isoformat(),
            "deadline": {
                "id": deadline.pk,
                "key": deadline.key,
                "due_date": deadline.due_date.isoformat(),
            },
            "case": _case_payload(deadline.case),
        }
        with transaction.atomic():
            queued += emit(
                organisation_id=deadline.case.organisation_id,
                event=Webhook.Event.DEADLINE_OVERDUE,
                object_key=f"deadline:{deadline.pk}:{deadline.due_date.isoformat()}",
                payload=payload,
            )
    return queued


def deliver(*, delivery_id: int) -> bool | None:
    """POST one delivery. True: sent; False: failed, retry; None: nothing to do."""
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, state=WebhookDelivery.State.PENDING
    ).update(state=WebhookDelivery.State.SENDING, attempts=models_F("attempts") + 1)
    if claimed != 1:
        return None  # sent already, or another worker has it
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(timezone.now().timestamp()))
    request = urllib.request.Request(  # noqa: S310 - admin-configured http(s) URL
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Hamroh-Webhooks/1",
            "X-Hamroh-Event": delivery.event,
            "X-Hamroh-Delivery": str(delivery.pk),
            "X-Hamroh-Timestamp": timestamp,
            "X-Hamroh-Signature": sign(delivery.webhook.secret, timestamp, body),
        },
    )
    status, error = None, ""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = type(exc).__name__
    ok = status is not None and 200 <= status < 300
    if ok:
        new_state = WebhookDelivery.State.SENT
    elif delivery.attempts >= MAX_ATTEMPTS:
        new_state = WebhookDelivery.State.FAILED
    else:
        new_state = WebhookDelivery.State.PENDING  # claimable again by the retry
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=new_state,
        response_status=status,
        last_error=error[:300],
        sent_at=timezone.now() if ok else None,
    )
    if not ok:
        logger.warning(
            "webhook delivery %s attempt %s failed: %s", delivery.pk, delivery.attempts, error
        )
    return ok if new_state != WebhookDelivery.State.FAILED else None


# Registered under its first name so deliveries queued before the move still run.
@shared_task(name="api.tasks.deliver_webhook", bind=True, acks_late=True, max_retries=MAX_ATTEMPTS)
def deliver_webhook(self, delivery_id: int) -> None:
    if deliver(delivery_id=delivery_id) is False:
        # 30 s, 1 min, 2 min, … between attempts.
        raise self.retry(countdown=30 * 2**self.request.retries)
