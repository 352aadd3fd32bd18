"""A case and what happens in it: the timeline and tasks."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from cases.fields import EncryptedCharField, EncryptedTextField
from cases.models.organisations import Organisation, active_organisations_of
from cases.models.people import Migrant
from cases.models.versioned import Versioned
from content import vocabulary


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user) -> CaseQuerySet:
        """The only way caseworker code reaches cases: scoped to the user's organisations."""
        return self.filter(organisation__in=active_organisations_of(user))

    def open(self) -> CaseQuerySet:
        return self.exclude(status__in=Case.CLOSED_STATUSES)


class Case(Versioned):
    ProblemType = vocabulary.ProblemType  # the law's vocabulary (content)

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING_MIGRANT = "waiting_migrant", _("Waiting on migrant")
        WAITING_AUTHORITY = "waiting_authority", _("Waiting on authority")
        WAITING_EMPLOYER = "waiting_employer", _("Waiting on employer")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        NONE = "", _("—")
        RESOLVED = "resolved", _("Resolved")
        PARTLY_RESOLVED = "partly_resolved", _("Partly resolved")
        NOT_RESOLVED = "not_resolved", _("Not resolved")
        REFERRED = "referred", _("Referred elsewhere")
        LOST_CONTACT = "lost_contact", _("Lost contact")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class PassportHolder(models.TextChoices):
        NOBODY = "", _("—")
        EMPLOYER = "employer", _("Employer")
        INTERMEDIARY = "intermediary", _("Intermediary / recruiter")
        LANDLORD = "landlord", _("Landlord")
        POLICE = "police", _("Police")
        OTHER = "other", _("Other")

    CLOSED_STATUSES = (Status.RESOLVED, Status.CLOSED)
    WAITING_STATUSES = (Status.WAITING_MIGRANT, Status.WAITING_AUTHORITY, Status.WAITING_EMPLOYER)

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(_("case number"), max_length=24, editable=False)
    migrant = models.ForeignKey(Migrant, on_delete=models.PROTECT, related_name="cases")
    problem_type = models.CharField(_("problem"), max_length=32, choices=ProblemType)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NEW)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome, blank=True)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority, default=Priority.NORMAL
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )
    summary = EncryptedTextField(_("summary"), blank=True)

    # Facts the rules table reads (content.engine). Dates are what the migrant reports.
    country_of_stay = models.CharField(_("country of stay"), max_length=2, default="RU")
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    entry_point = models.CharField(_("entry point"), max_length=100, blank=True)
    host_address = EncryptedCharField(_("host / address of stay"), max_length=300, blank=True)
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    employer_tax_id = models.CharField(
        _("employer tax id (INN)"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^(\d{10}|\d{12})$", _("An INN has 10 or 12 digits."))],
    )
    amount_owed = models.DecimalField(
        _("amount owed"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.01)],
    )
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    wage_period_start = models.DateField(_("unpaid period from"), null=True, blank=True)
    wage_period_end = models.DateField(_("unpaid period to"), null=True, blank=True)
    employment_end_date = models.DateField(_("employment ended on"), null=True, blank=True)
    patent_issue_date = models.DateField(_("patent issued on"), null=True, blank=True)
    ban_start_date = models.DateField(_("ban start date"), null=True, blank=True)
    ban_duration_years = models.PositiveSmallIntegerField(
        _("ban duration (years)"), null=True, blank=True, validators=[MaxValueValidator(50)]
    )
    ban_reason = EncryptedTextField(_("stated reason for the ban"), blank=True)
    passport_holder = models.CharField(
        _("who holds the passport"), max_length=16, choices=PassportHolder, blank=True
    )
    passport_held_since = models.DateField(_("passport held since"), null=True, blank=True)
    passport_recovery_steps = EncryptedTextField(_("steps taken to recover it"), blank=True)
    # The caseworker's passport_holder is the record; the migrant's portal "I have it" is kept
    # beside it, for the caseworker to check (cases.custody), never over it.
    passport_claimed_at = models.DateTimeField(
        _("migrant said on the portal they have the passport"), null=True, blank=True
    )
    detention_date = models.DateField(_("detained on"), null=True, blank=True)
    # Further facts named by rules' conditions (content's vocabulary), e.g. {"purpose": "work"}.
    extra_facts = models.JSONField(_("other facts"), default=dict, blank=True)

    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # A caseworker's request that a supervisor reopen this closed case (cases.case_life).
    reopen_requested_at = models.DateTimeField(_("reopen requested"), null=True, blank=True)
    reopen_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            # Numbers are handed out per organisation and printed on handouts.
            models.UniqueConstraint(fields=["organisation", "number"], name="case_number_unique"),
            # Statistics group closed cases by outcome, so a closed case must have one.
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(outcome=""), name="case_closed_has_outcome"
            ),
        ]
        indexes = [
            # The case list: an organisation's cases, newest first, filtered by status.
            models.Index(fields=["organisation", "status", "-opened_at"], name="case_org_status"),
            models.Index(fields=["organisation", "-opened_at", "-id"], name="case_org_opened"),
            models.Index(fields=["assignee", "status"], name="case_assignee_status"),
        ]

    def __str__(self) -> str:
        return self.number or f"Case #{self.pk}"

    def save(self, *args, **kwargs) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:  # the primary problem is one of the case's problems from the start
            CaseProblem.objects.get_or_create(case=self, problem_type=self.problem_type)

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    # Django's generated get_FOO_display builds a dict of every choice on each call, hashing
    # each lazy label (a translation lookup per choice); the case list calls these per row.
    def get_status_display(self) -> str:
        return _choice_label(self.Status, self.status)

    def get_problem_type_display(self) -> str:
        return _choice_label(self.ProblemType, self.problem_type)

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    @property
    def problem_types(self) -> list[str]:
        """Every problem of the case, the primary first (the rows of `problems`)."""
        others = sorted(p.problem_type for p in self.problems.all())
        return [self.problem_type, *(p for p in others if p != self.problem_type)]

    def problem_type_labels(self) -> list[str]:
        return [_choice_label(self.ProblemType, code) for code in self.problem_types]


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    """What get_FOO_display answers: the translated label, or the value when not a choice."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class CaseProblem(models.Model):
    """One of a case's problems. Every problem has a row, the primary (Case.problem_type) too,
    so statistics count a case under each of its problems by joining this table."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="problems")
    problem_type = models.CharField(_("problem"), max_length=32, choices=vocabulary.ProblemType)

    class Meta:
        ordering = ["case", "problem_type"]
        constraints = [
            models.UniqueConstraint(fields=["case", "problem_type"], name="case_problem_unique")
        ]

    def __str__(self) -> str:
        return f"{self.problem_type} on case {self.case_id}"


class TimelineEvent(models.Model):
    """One line in a case's chronological feed: who did what, when."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Case opened")
        NOTE = "note", _("Note")
        STATUS = "status", _("Status changed")
        ASSIGNMENT = "assignment", _("Assignment changed")
        FACTS = "facts", _("Facts changed")
        CHECKLIST = "checklist", _("Checklist changed")
        DEADLINE = "deadline", _("Deadline changed")
        REMINDER = "reminder", _("Reminder")
        MIGRANT = "migrant", _("Migrant action")
        TASK = "task", _("Task")
        CALL = "call", pgettext_lazy("a phone call, noun", "Call")
        SYSTEM = "system", _("System")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=16, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = EncryptedTextField(blank=True)  # notes are free text: encrypted at rest
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"], name="timeline_case_time")]

    def __str__(self) -> str:
        return f"{self.kind} on case {self.case_id}"


class Task(models.Model):
    """A to-do on a case for a caseworker (including 'call the migrant' after a failed reminder)."""

    class Kind(models.TextChoices):
        MANUAL = "manual", _("Task")
        CALL_MIGRANT = "call_migrant", _("Call the migrant")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=16, choices=Kind, default=Kind.MANUAL)
    title = models.CharField(_("task"), max_length=200)
    due_date = models.DateField(_("due"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due_date", "id"]

    def __str__(self) -> str:
        return f"Task #{self.pk}"
