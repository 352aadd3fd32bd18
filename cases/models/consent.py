"""A migrant's consent: per purpose and channel, dated, withdrawable."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.people import Migrant


class Consent(models.Model):
    """A dated, structured record of a migrant's consent for one purpose and channel."""

    class Purpose(models.TextChoices):
        CONTACT = "contact", _("Contact about the case")
        SHARE_PARTNER = "share_partner", _("Share with a partner organisation")

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        TELEGRAM = "telegram", _("Telegram")
        EMAIL = "email", _("Email")
        CALL = "call", _("Phone call")
        ANY = "", _("Any")

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        PORTAL = "portal", _("On the portal")
        TELEGRAM = "telegram", _("By Telegram")

    migrant = models.ForeignKey(Migrant, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=16, choices=Purpose, default=Purpose.CONTACT)
    channel = models.CharField(max_length=10, choices=Channel, blank=True)
    method = models.CharField(
        _("how it was given"), max_length=10, choices=Method, default=Method.IN_PERSON
    )
    notice_version = models.CharField(max_length=20, default="2026-1")
    language = models.CharField(max_length=2, default="ru")
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["migrant", "purpose", "channel"], name="consent_lookup")]

    def __str__(self) -> str:
        return f"Consent #{self.pk} ({self.purpose}/{self.channel or 'any'})"


class TelegramStartCode(models.Model):
    """A one-time code for t.me/<bot>?start=<code>: whoever starts the bot with it is this
    migrant's chat. Only its hash is stored; it works once and until `expires_at`."""

    migrant = models.ForeignKey(Migrant, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Telegram start code #{self.pk}"


class TelegramUpdate(models.Model):
    """An update_id already handled: Telegram redelivers until it gets a 200."""

    update_id = models.BigIntegerField(unique=True)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Telegram update {self.update_id}"
