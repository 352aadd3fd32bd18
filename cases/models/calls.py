"""Hotline and office calls: who called (a known migrant or nobody named), about what, and
what came of it. A call may lead to a case, or be linked to one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.fields import EncryptedCharField
from cases.models.case import Case, Task
from cases.models.organisations import Organisation, active_organisations_of
from cases.models.people import Migrant


class CallQuerySet(models.QuerySet["Call"]):
    def visible_to(self, user) -> CallQuerySet:
        """The only way caseworker code reaches calls: scoped to the user's organisations."""
        return self.filter(organisation__in=active_organisations_of(user))


class Call(models.Model):
    class Line(models.TextChoices):
        HOTLINE = "hotline", _("Hotline")
        OFFICE = "office", _("Office phone")
        WALK_IN = "walk_in", _("Walk-in")

    class Language(models.TextChoices):
        RU = "ru", "Русский"
        TG = "tg", "Тоҷикӣ"
        UZ = "uz", "Oʻzbekcha"
        KY = "ky", "Кыргызча"
        EN = "en", "English"
        OTHER = "other", _("Other language")

    class Outcome(models.TextChoices):
        ADVICE = "advice", _("Advice given")
        CASE_OPENED = "case_opened", _("Case opened")
        ADDED_TO_CASE = "added_to_case", _("Added to an existing case")
        REFERRED = "referred", _("Referred elsewhere")
        CALLBACK = "callback", _("Callback needed")
        DROPPED = "dropped", _("Call dropped / wrong number")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="calls")
    received_at = models.DateTimeField(_("time of the call"), default=timezone.now)
    line = models.CharField(_("line"), max_length=8, choices=Line, default=Line.HOTLINE)
    # Blank: the caller did not give a name, or is not (yet) one of the organisation's migrants.
    migrant = models.ForeignKey(
        Migrant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("caller"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("case"),
    )
    language = models.CharField(_("language"), max_length=5, choices=Language)
    # Problem codes (Case.ProblemType) in the list's order: statistics group by its text.
    topics = models.JSONField(_("topics"), default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome)
    note = EncryptedCharField(_("note"), max_length=500, blank=True)  # free text: encrypted
    # The follow-up asked for; it becomes `follow_up_task` once the call has a case.
    follow_up = EncryptedCharField(_("follow-up task"), max_length=200, blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CallQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            # The recent-calls list and the statistics: an organisation's calls by time.
            models.Index(fields=["organisation", "-received_at"], name="call_org_received"),
        ]

    def __str__(self) -> str:
        return f"Call #{self.pk}"

    @property
    def is_anonymous(self) -> bool:
        return self.migrant_id is None

    def topic_labels(self) -> list[str]:
        labels = dict(Case.ProblemType.choices)
        return [str(labels.get(code, code)) for code in self.topics]
