"""A migrant's stays in the country (entries and exits) and addresses (arrivals at each place of
stay): the records the stay limits and the re-registration deadlines are counted from
(content.stays, content.engine).

`__str__` never returns personal data: it ends up in logs, admin history and error reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.fields import EncryptedCharField
from cases.models.organisations import active_organisations_of
from cases.models.people import Migrant


class MigrantRecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> MigrantRecordQuerySet:
        """Scoped like Migrant: to the user's organisations, through the migrant."""
        return self.filter(migrant__organisation__in=active_organisations_of(user))


class Stay(models.Model):
    """One stay in the country: the border entry and, once it happened, the exit."""

    migrant = models.ForeignKey(Migrant, on_delete=models.CASCADE, related_name="stays")
    entry_date = models.DateField(_("entry date"))
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    entry_point = models.CharField(_("entry point"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MigrantRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["migrant", "entry_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=F("entry_date")),
                name="stay_exit_not_before_entry",
            ),
            models.UniqueConstraint(fields=["migrant", "entry_date"], name="stay_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"Stay #{self.pk}"

    @property
    def period(self):
        return (self.entry_date, self.exit_date)


class Address(models.Model):
    """A place of stay: each arrival at one starts a new registration deadline."""

    migrant = models.ForeignKey(Migrant, on_delete=models.CASCADE, related_name="addresses")
    address = EncryptedCharField(_("address"), max_length=300)  # encrypted at rest
    arrival_date = models.DateField(_("arrival at the address"))
    end_date = models.DateField(_("left the address on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MigrantRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["migrant", "arrival_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("arrival_date")),
                name="address_end_not_before_arrival",
            ),
        ]

    def __str__(self) -> str:
        return f"Address #{self.pk}"
