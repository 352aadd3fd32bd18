"""Legal holds and erasure records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.people import Migrant


class LegalHold(models.Model):
    """A recorded reason to keep a migrant's data (court case, authority request): while active,
    neither erasure on request nor the retention job may touch it (GDPR Art. 17(3))."""

    migrant = models.ForeignKey(Migrant, on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.TextField(_("reason"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            # The erasure and retention checks: does this migrant have an active hold?
            models.Index(
                fields=["migrant"], name="legal_hold_active", condition=Q(released_at=None)
            ),
        ]

    def __str__(self) -> str:
        return f"Legal hold #{self.pk}"


class ErasureRecord(models.Model):
    """The pseudonymous tombstone left when a migrant's data is erased: who, when, on what basis.

    It names the migrant only by a random pseudonym; the anonymised Migrant row keeps the
    same pseudonym so statistics stay whole and a repeated request can be answered.
    """

    class Basis(models.TextChoices):
        REQUEST = "request", _("Request of the person (erasure)")
        RETENTION = "retention", _("Retention period ended")

    migrant = models.OneToOneField(Migrant, on_delete=models.CASCADE, related_name="erasure")
    pseudonym = models.CharField(max_length=32, unique=True)
    basis = models.CharField(max_length=16, choices=Basis)
    reference = models.CharField(_("request reference"), max_length=100, blank=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    erased_at = models.DateTimeField(default=timezone.now)
    removed_export_files = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Erasure {self.pseudonym}"
