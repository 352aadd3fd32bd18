"""What the integration API keeps for itself: hashed access tokens and idempotency answers."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.fields import EncryptedJSONField, EncryptedTextField

TOKEN_PREFIX = "hmr_"  # noqa: S105 - a label, not a secret


def hash_token(raw: str) -> str:
    # Tokens are 256 random bits, so a plain SHA-256 is enough (no salt or slow hash needed):
    # nothing in the database can be replayed as a credential.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A bearer token for an integration, owned by one user. Only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    # The first characters of the token, shown in lists so the owner can tell tokens apart.
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"API token #{self.pk} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user, name: str = "") -> tuple[ApiToken, str]:
        """Create a token; the raw value is returned once and never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=raw[:10],
            key_hash=hash_token(raw),
            expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS),
        )
        return token, raw

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class IdempotencyRecord(models.Model):
    """The answer to one create request sent with an Idempotency-Key, replayed on a retry."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # SHA-256 of method, path and canonical body: the same key with another request is a 409.
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    # Encrypted: a create's answer carries the migrant's phone and names for the 24 hours kept.
    response_body = EncryptedJSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            # One answer per client key: a concurrent duplicate fails here and is rolled back.
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_unique"),
        ]

    def __str__(self) -> str:
        return f"Idempotency record #{self.pk}"


def _new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    """An organisation's endpoint for signed event POSTs (optional; set up by an administrator)."""

    class Event(models.TextChoices):
        CASE_CREATED = "case.created", _("Case created")
        CASE_STATUS_CHANGED = "case.status_changed", _("Case status changed")
        DEADLINE_OVERDUE = "deadline.overdue", _("Deadline overdue")

    organisation = models.ForeignKey(
        "cases.Organisation", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(_("URL"), max_length=500)
    # Signs each body (HMAC-SHA256); the receiver holds the same value. Encrypted at rest.
    secret = EncryptedTextField(_("signing secret"), default=_new_webhook_secret)
    events = models.JSONField(_("events"), default=list, help_text=_("Event names to send."))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "id"]

    def __str__(self) -> str:
        return f"Webhook #{self.pk}"


class WebhookDelivery(models.Model):
    """One event for one webhook: the row is the source of truth, Celery only carries it."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=32, choices=Webhook.Event)
    # What the event is about, e.g. "timeline:42" or "deadline:7:2026-06-19"; one delivery each.
    object_key = models.CharField(max_length=100)
    payload = models.JSONField(default=dict)
    state = models.CharField(max_length=8, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # An event is queued once per webhook, however often the overdue scan runs.
            models.UniqueConstraint(
                fields=["webhook", "event", "object_key"], name="webhook_delivery_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Webhook delivery #{self.pk} ({self.event})"
