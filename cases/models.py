"""People, organisations, cases and everything that happens to them.

`__str__` never returns personal data: it ends up in logs, admin history and error reports.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.fields import EncryptedTextField
from content import vocabulary


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


class MigrantQuerySet(models.QuerySet["Migrant"]):
    def visible_to(self, user) -> MigrantQuerySet:
        """The only way caseworker code reaches migrants: scoped to the user's organisations."""
        return self.filter(organisation__in=_active_organisations(user))


class Migrant(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other / not stated")

    class Language(models.TextChoices):
        RU = "ru", "Русский"
        TG = "tg", "Тоҷикӣ"
        UZ = "uz", "Oʻzbekcha"
        KY = "ky", "Кыргызча"
        EN = "en", "English"

    class Sector(models.TextChoices):
        CONSTRUCTION = "construction", _("Construction")
        TRADE = "trade", _("Trade and markets")
        SERVICES = "services", _("Services, catering, cleaning")
        HOUSING = "housing", _("Housing and utilities")
        TRANSPORT = "transport", _("Transport and delivery")
        AGRICULTURE = "agriculture", _("Agriculture")
        INDUSTRY = "industry", _("Industry")
        DOMESTIC = "domestic", _("Domestic work")
        OTHER = "other", _("Other")
        UNKNOWN = "", _("Unknown")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="migrants"
    )
    full_name_latin = models.CharField(_("full name (Latin, as in passport)"), max_length=200)
    full_name_cyrillic = models.CharField(_("full name (Cyrillic)"), max_length=200, blank=True)
    # Transliteration-folded form of both names for search in either script (cases.search).
    search_names = models.TextField(editable=False, default="")
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender, default=Gender.OTHER)
    citizenship = models.CharField(_("citizenship"), max_length=2)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    phone_secondary = models.CharField(_("second phone"), max_length=20, blank=True, db_index=True)
    telegram = models.CharField(_("Telegram handle"), max_length=64, blank=True)
    email = models.EmailField(_("email"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language, default=Language.RU
    )
    region = models.CharField(_("region of stay"), max_length=64, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    sector = models.CharField(_("sector of employment"), max_length=16, choices=Sector, blank=True)
    # Safe contact: the phone of a trafficked or exploited migrant may be read by the employer.
    phone_controlled = models.BooleanField(_("phone may be controlled by employer"), default=False)
    safe_call_time = models.CharField(_("safe time to call"), max_length=100, blank=True)
    # The channel reminders try first (blank: Telegram, then SMS, then email); consent still rules.
    preferred_channel = models.CharField(
        _("preferred reminder channel"),
        max_length=10,
        blank=True,
        choices=[("sms", "SMS"), ("telegram", "Telegram"), ("email", _("Email"))],
    )
    # The Bot API needs a numeric chat id, not the @handle (bound when the migrant starts the bot).
    telegram_chat_id = models.CharField(_("Telegram chat id"), max_length=32, blank=True)
    do_not_contact = models.JSONField(
        _("do-not-contact channels"), default=list, blank=True
    )  # e.g. ["sms", "telegram"]
    safe_contact_notes = models.TextField(_("safe-contact notes"), blank=True)
    passport_number = EncryptedTextField(_("passport number"), blank=True)
    passport_number_hash = models.CharField(
        max_length=64, blank=True, db_index=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MigrantQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_names"])

    def __str__(self) -> str:
        return f"Migrant #{self.pk}"

    @property
    def display_name(self) -> str:
        return self.full_name_cyrillic or self.full_name_latin

    @property
    def passport_masked(self) -> str:
        number = self.passport_number or ""
        return f"•••{number[-3:]}" if len(number) > 3 else ("•••" if number else "")


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user) -> CaseQuerySet:
        """The only way caseworker code reaches cases: scoped to the user's organisations."""
        return self.filter(organisation__in=_active_organisations(user))

    def open(self) -> CaseQuerySet:
        return self.exclude(status__in=Case.CLOSED_STATUSES)


class Case(models.Model):
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
    summary = models.TextField(_("summary"), blank=True)

    # Facts the rules table reads (content.engine). Dates are what the migrant reports.
    country_of_stay = models.CharField(_("country of stay"), max_length=2, default="RU")
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    entry_point = models.CharField(_("entry point"), max_length=100, blank=True)
    host_address = models.CharField(_("host / address of stay"), max_length=300, blank=True)
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
    passport_recovery_steps = models.TextField(_("steps taken to recover it"), blank=True)
    detention_date = models.DateField(_("detained on"), null=True, blank=True)
    # Further facts named by rules' conditions (content's vocabulary), e.g. {"purpose": "work"}.
    extra_facts = models.JSONField(_("other facts"), default=dict, blank=True)

    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
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


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    """What get_FOO_display answers: the translated label, or the value when not a choice."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


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

    migrant = models.ForeignKey(Migrant, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=16, choices=Purpose, default=Purpose.CONTACT)
    channel = models.CharField(max_length=10, choices=Channel, blank=True)
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
        SYSTEM = "system", _("System")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=16, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(blank=True)
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


class ChecklistItem(models.Model):
    """The case's copy of one document or action the rules require, and what people did with it."""

    class State(models.TextChoices):
        MISSING = "missing", _("Missing")
        HAVE = "have", _("Have it")
        HELD_BY_EMPLOYER = "held_by_employer", _("Held by employer")
        SUBMITTED = "submitted", _("Submitted")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checklist")
    # Stable identity across re-syncs: the engine's item key (normally the rule key).
    key = models.CharField(max_length=100)
    document_code = models.CharField(max_length=64)
    rule_key = models.CharField(max_length=100, blank=True)
    source = models.TextField(blank=True)
    unverified = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=State, default=State.MISSING)
    note = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Set when the rules no longer require the item; kept for history, never deleted.
    retired_at = models.DateTimeField(null=True, blank=True)
    ticked_by_migrant_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "key"], name="checklist_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document_code} on case {self.case_id}"


class Deadline(models.Model):
    """A dated obligation on a case: computed by the rules, or added by a caseworker."""

    class Kind(models.TextChoices):
        RULE = "rule", _("From the rules")
        MANUAL = "manual", _("Added by caseworker")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        WAIVED = "waived", _("Waived")
        RETIRED = "retired", _("No longer applies")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    key = models.CharField(max_length=120)
    kind = models.CharField(max_length=8, choices=Kind, default=Kind.RULE)
    title = models.CharField(_("deadline"), max_length=200)
    due_date = models.DateField(_("due"))
    basis_fact = models.CharField(max_length=64, blank=True)
    basis_date = models.DateField(null=True, blank=True)
    explanation = models.TextField(blank=True)
    # The explanation in other languages, e.g. {"ru": "7 рабочих дней после прибытия ..."}.
    explanations = models.JSONField(default=dict, blank=True)
    file_by = models.DateField(_("file by: the last day is a day off"), null=True, blank=True)
    provisional = models.BooleanField(_("counted on a provisional calendar"), default=False)
    rule_key = models.CharField(max_length=100, blank=True)
    source = models.TextField(blank=True)
    unverified = models.BooleanField(default=False)
    # Days before the due date on which reminders go out, e.g. [3, 1, 0].
    reminder_offsets = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=8, choices=State, default=State.OPEN)
    resolved_on = models.DateField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="deadline_unique")]
        indexes = [
            # The dashboard's "overdue and due soon" across an organisation's open deadlines.
            models.Index(fields=["due_date"], name="deadline_open_due", condition=Q(state="open")),
        ]

    def __str__(self) -> str:
        return f"Deadline #{self.pk}"


class Reminder(models.Model):
    """One planned message about a deadline to one audience. The row is the source of truth."""

    class Audience(models.TextChoices):
        MIGRANT = "migrant", _("Migrant")
        CASEWORKER = "caseworker", _("Caseworker")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        SKIPPED = "skipped", _("Skipped")

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    audience = models.CharField(max_length=12, choices=Audience)
    offset_days = models.SmallIntegerField()
    send_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State, default=State.SCHEDULED)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["send_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "audience", "offset_days"], name="reminder_unique"
            ),
        ]
        indexes = [
            # The dispatcher's claim query: due reminders still waiting, oldest first.
            models.Index(fields=["send_at"], name="reminder_due", condition=Q(state="scheduled")),
            # The reclaimer: claims left in "sending" by a worker that died.
            models.Index(
                fields=["claimed_at"], name="reminder_claimed", condition=Q(state="sending")
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder #{self.pk}"


class Delivery(models.Model):
    """One attempt to send a reminder on one channel, with the provider's answer."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        RETRYING = "retrying", _("Failed, will retry")
        FAILED = "failed", _("Failed")

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    # The reminder's case's organisation, copied: the statistics count deliveries per
    # organisation without joining reminder → deadline → case for every row.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    channel = models.CharField(max_length=16)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_message_id = models.CharField(max_length=128, blank=True)
    error = models.CharField(max_length=300, blank=True)
    segments = models.PositiveSmallIntegerField(default=0)
    # Set just before the provider is called: a pending delivery with a fresh claim is in flight
    # (a duplicate task must not send it again); a stale one was abandoned by a dead worker.
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # The send ledger: one delivery per reminder and channel, so a retried or duplicated
            # task finds the existing row (and its state) instead of sending a second message.
            models.UniqueConstraint(fields=["reminder", "channel"], name="delivery_unique_channel"),
        ]
        indexes = [
            # The statistics' reminders by channel: an index-only scan (PostgreSQL).
            models.Index(
                fields=["organisation", "created_at"],
                include=["channel", "state"],
                name="delivery_org_created",
            ),
        ]

    def __str__(self) -> str:
        return f"Delivery #{self.pk} via {self.channel}"

    def save(self, *args, **kwargs) -> None:
        # The dispatcher sets the organisation from the case it has loaded; anything else
        # saving a delivery one by one gets it looked up.
        if self.organisation_id is None:
            self.organisation_id = (
                Case.objects.filter(deadlines__reminders=self.reminder_id)
                .values_list("organisation_id", flat=True)
                .get()
            )
        super().save(*args, **kwargs)


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


def _active_organisations(user) -> models.QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__is_active=True)
