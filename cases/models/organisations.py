"""Organisations and the people who work in them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    # Case numbers read e.g. MSK-2026-00042.
    code = models.CharField(
        _("case number prefix"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,8}$", _("Two to eight capital Latin letters."))],
    )
    country_of_stay = models.CharField(_("country of stay"), max_length=2, default="RU")
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Moscow")
    # Nothing reaches a migrant between quiet_hours_start and quiet_hours_end (local time).
    quiet_hours_start = models.PositiveSmallIntegerField(
        default=21, validators=[MaxValueValidator(23)]
    )
    quiet_hours_end = models.PositiveSmallIntegerField(
        default=9, validators=[MaxValueValidator(23)]
    )
    hotline_phone = models.CharField(_("hotline phone"), max_length=32, blank=True)
    telegram = models.CharField(_("Telegram"), max_length=64, blank=True)
    email = models.EmailField(_("email"), blank=True)
    require_mfa = models.BooleanField(_("require two-factor authentication"), default=False)
    # Days after the last case closed before a migrant's data is anonymised (empty: RETENTION_DAYS).
    retention_days = models.PositiveIntegerField(
        _("retention period (days)"), null=True, blank=True
    )
    # The last case sequence number handed out in the current year (see services.open_case).
    case_year = models.PositiveSmallIntegerField(default=0)
    case_sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        CASEWORKER = "caseworker", _("Caseworker")
        SUPERVISOR = "supervisor", _("Supervisor")
        ADMIN = "admin", _("Organisation admin")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role, default=Role.CASEWORKER)
    is_active = models.BooleanField(_("active"), default=True)
    # Field-level permissions, granted one by one by an organisation admin (each use is audited).
    can_reveal_identifiers = models.BooleanField(_("may reveal passport numbers"), default=False)
    can_view_trafficking = models.BooleanField(_("may view trafficking details"), default=False)
    can_export_identifiers = models.BooleanField(
        _("may export data with identifiers"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.organisation_id} ({self.role})"


def active_organisations_of(user) -> models.QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__is_active=True)
