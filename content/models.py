"""The rules table: documents, citizenship groups, checklist rules and deadline rules.

Knows the law, nothing about any person. Every rule is effective-dated and cited; rules not yet
checked by an administrator carry `needs_review` and everything they produce is marked unverified.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from content import citations, engine
from content.vocabulary import ProblemType

LANGUAGES = (
    ("en", "English"),
    ("ru", "Русский"),
    ("tg", "Тоҷикӣ"),
    ("uz", "Oʻzbekcha"),
    ("ky", "Кыргызча"),
)
LANGUAGE_CODES = tuple(code for code, _label in LANGUAGES)
CITATION_HELP = _(
    'The acts the rule rests on, e.g. [{"act": "federal_law", "number": "115-ФЗ", '
    '"date": "2002-07-25", "article": "20", "point": "3", "url": "https://..."}]. '
    "Shown to readers in their language; see docs/rules.md."
)


class DocumentType(models.Model):
    """A document or an action a checklist can ask for (a migration card; checking the ban list)."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        ACTION = "action", _("Action")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.DOCUMENT)
    source = models.TextField(_("source"), blank=True)
    citation = models.JSONField(_("citation"), default=list, blank=True, help_text=CITATION_HELP)
    provenance = models.TextField(_("research provenance (not shown)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class DocumentTranslation(models.Model):
    """A document's texts in one language, written for migrants (plain words, second person)."""

    document = models.ForeignKey(
        DocumentType, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what it is"), blank=True)
    how_to_obtain = models.TextField(_("how and where to get it"), blank=True)
    cost = models.CharField(_("typical cost"), max_length=200, blank=True)
    validity = models.CharField(_("validity"), max_length=200, blank=True)
    # Machine-produced or unchecked translations wait for a native speaker.
    needs_review = models.BooleanField(_("translation needs review"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "language"]
        constraints = [
            # One text per document and language: the selector picks it without ambiguity.
            models.UniqueConstraint(
                fields=["document", "language"], name="document_translation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}/{self.language}"


class CitizenshipGroup(models.Model):
    """A legal regime shared by several citizenships (EAEU, visa-free CIS, ...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class GroupMembership(models.Model):
    """A country's membership of a group for a period (Kyrgyzstan in the EAEU from 2015-08-12)."""

    group = models.ForeignKey(
        CitizenshipGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    country = models.CharField(_("country (ISO code)"), max_length=2)
    effective_from = models.DateField(_("from"))
    effective_to = models.DateField(_("until (inclusive)"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "country", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "country", "effective_from"], name="group_membership_unique"
            ),
            # A period that ends before it starts would silently never apply.
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="group_membership_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} in {self.group_id} from {self.effective_from}"


# Rule keys read like "registration.general": lower-case words joined by dots, dashes, underscores.
RULE_KEY = RegexValidator(
    r"^[a-z0-9][a-z0-9_.-]*$", _("Use lower-case letters, digits, dots, dashes and underscores.")
)


def _validate_conditions(conditions) -> list[str]:
    if not isinstance(conditions, list):
        return [str(_("Conditions must be a list."))]
    errors = []
    for index, condition in enumerate(conditions, start=1):
        condition = dict(condition) if isinstance(condition, dict) else condition
        if isinstance(condition, dict) and isinstance(condition.get("value"), str):
            if engine.FACT_VOCABULARY.get(condition.get("fact"), ("",))[0] == engine.DATE:
                try:
                    condition["value"] = engine.date.fromisoformat(condition["value"])
                except ValueError:
                    pass
        errors += [f"{index}: {error}" for error in engine.condition_errors(condition)]
    return errors


class RuleBase(models.Model):
    """What checklist rules and deadline rules share: scope, effective dates, source, review."""

    key = models.CharField(_("rule key"), max_length=100, validators=[RULE_KEY])
    slot = models.CharField(
        _("slot"),
        max_length=100,
        validators=[RULE_KEY],
        blank=True,
        help_text=_(
            "Rules sharing a slot compete; the applicable one with the highest priority wins."
        ),
    )
    priority = models.SmallIntegerField(_("priority"), default=0)
    problem_types = models.JSONField(
        _("problem types"), default=list, blank=True, help_text=_("Empty: every problem type.")
    )
    group = models.ForeignKey(
        CitizenshipGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("citizenship group"),
        help_text=_("Empty: every citizenship."),
    )
    conditions = models.JSONField(
        _("conditions"),
        default=list,
        blank=True,
        help_text=_('A list like [{"fact": "entry_purpose", "op": "equals", "value": "work"}].'),
    )
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until (inclusive)"), null=True, blank=True)
    source = models.TextField(_("source"))
    citation = models.JSONField(_("citation"), default=list, blank=True, help_text=CITATION_HELP)
    provenance = models.TextField(_("research provenance (not shown)"), blank=True)
    note = models.TextField(_("note for administrators"), blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_against = models.CharField(
        _("verified against"),
        max_length=300,
        blank=True,
        help_text=_("The text checked: the act's edition and where it was read (a URL)."),
    )
    needs_review = models.BooleanField(_("needs review"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.key} from {self.effective_from}"

    def save(self, *args, **kwargs) -> None:
        if self.citation and not citations.errors(self.citation):
            # The English rendering is what cases keep; it follows the citation.
            self.source = citations.render(self.citation, "en")
        super().save(*args, **kwargs)

    @property
    def effective_slot(self) -> str:
        return self.slot or self.key

    @property
    def verified(self) -> bool:
        """Checked by a named person: only then does the portal drop its "not yet checked"."""
        return not self.needs_review and self.verified_by_id is not None

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            errors["effective_to"] = [str(_("The end date is before the start date."))]
        if not isinstance(self.problem_types, list) or any(
            p not in ProblemType.values for p in self.problem_types
        ):
            errors["problem_types"] = [
                str(_("Use a list of problem types from: %(types)s."))
                % {"types": ", ".join(ProblemType.values)}
            ]
        condition_errors = _validate_conditions(self.conditions)
        if condition_errors:
            errors["conditions"] = condition_errors
        if self.citation and (citation_errors := citations.errors(self.citation)):
            errors["citation"] = citation_errors
        if self.key and self.effective_from and "effective_from" not in errors:
            overlapping = type(self).objects.filter(key=self.key).exclude(pk=self.pk)
            overlapping = overlapping.filter(
                Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from)
            )
            if self.effective_to:
                overlapping = overlapping.filter(effective_from__lte=self.effective_to)
            clash = overlapping.first()
            if clash:
                errors["effective_from"] = [
                    str(_("Overlaps the version of “%(key)s” in force from %(start)s."))
                    % {"key": self.key, "start": clash.effective_from}
                ]
        if errors:
            raise ValidationError(errors)


class Rule(RuleBase):
    """Requires a document or an action for a problem type and citizenship group."""

    document = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="rules", verbose_name=_("document")
    )
    position = models.PositiveSmallIntegerField(_("position in the checklist"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["key", "effective_from"]
        verbose_name = _("checklist rule")
        constraints = [
            # Versions of one rule are told apart by their start date.
            models.UniqueConstraint(fields=["key", "effective_from"], name="rule_version_unique"),
        ]


class DeadlineRule(RuleBase):
    """A deadline counted from a case fact, with its reminder offsets."""

    class Unit(models.TextChoices):
        CALENDAR_DAYS = "calendar_days", _("calendar days")
        WORKING_DAYS = "working_days", _("working days")
        MONTHS = "months", _("months")
        YEARS = "years", _("years")
        # Visa-free limits counted from the recorded stays (content.stays); `amount` is 90.
        STAY_DAYS_YEAR = "stay_days_year", _("days of stay per calendar year")
        STAY_DAYS_180 = "stay_days_180", _("days of stay in any 180 days")

    class Recurrence(models.TextChoices):
        NONE = "", _("once")
        MONTHLY = "monthly", _("monthly")

    basis_fact = models.CharField(_("counted from"), max_length=64)
    amount = models.SmallIntegerField(_("amount"), default=0)
    amount_fact = models.CharField(
        _("amount from fact"), max_length=64, blank=True, help_text=_("e.g. ban_duration_years")
    )
    unit = models.CharField(_("unit"), max_length=16, choices=Unit, default=Unit.CALENDAR_DAYS)
    then_amount = models.SmallIntegerField(_("then add"), default=0)
    then_unit = models.CharField(_("then unit"), max_length=16, choices=Unit, blank=True)
    recurrence = models.CharField(_("repeats"), max_length=10, choices=Recurrence, blank=True)
    occurrences = models.PositiveSmallIntegerField(_("repeats at most"), default=0)
    reminder_offsets = models.JSONField(
        _("reminder offsets (days before)"), default=list, blank=True
    )
    # {"en": {"title": ..., "advice": ...}, "ru": {...}, ..., "needs_review": ["tg", "uz"]}
    texts = models.JSONField(_("titles and advice by language"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["key", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "effective_from"], name="deadline_rule_version_unique"
            ),
        ]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if engine.FACT_VOCABULARY.get(self.basis_fact, ("",))[0] != engine.DATE:
            errors["basis_fact"] = [str(_("Choose a date fact from the vocabulary."))]
        if (
            self.amount_fact
            and engine.FACT_VOCABULARY.get(self.amount_fact, ("",))[0] != engine.NUMBER
        ):
            errors["amount_fact"] = [str(_("Choose a number fact from the vocabulary."))]
        if not isinstance(self.reminder_offsets, list) or not all(
            isinstance(o, int) for o in self.reminder_offsets
        ):
            errors["reminder_offsets"] = [str(_("Use a list of whole numbers of days."))]
        english = self.texts.get("en") if isinstance(self.texts, dict) else None
        if not isinstance(english, dict) or not english.get("title"):
            errors["texts"] = [str(_('An English title is required: {"en": {"title": ...}}.'))]
        elif any(
            not isinstance(text, dict) or not all(isinstance(v, str) for v in text.values())
            for language, text in self.texts.items()
            if language in LANGUAGE_CODES
        ):
            # The read helpers (content.queries) read texts[language]["title"/"advice"] as strings.
            errors["texts"] = [str(_('Each language needs texts: {"ru": {"title": ...}}.'))]
        if self.recurrence and self.unit != self.Unit.MONTHS:
            errors["unit"] = [str(_("A monthly deadline counts in months."))]
        if errors:
            raise ValidationError(errors)

    @property
    def title(self) -> str:
        return (self.texts.get("en") or {}).get("title", self.key)


class CalendarDecree(models.Model):
    """A government decree moving days off in one year ("О переносе выходных дней в 2026 году").

    Its days are CalendarOverride rows pointing to it. A year from 2026 on without a decree is
    counted by Labour Code art. 112 alone and its deadlines say "provisional calendar".
    """

    country = models.CharField(max_length=2, default="RU")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("decree number"), max_length=20)
    signed_on = models.DateField(_("decree date"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    publication = models.CharField(
        _("official publication"), max_length=300, blank=True, help_text=_("e.g. pravo.gov.ru")
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["country", "year"]
        verbose_name = _("calendar decree")
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="calendar_decree_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: No. {self.number} of {self.signed_on:%d.%m.%Y}"


class CalendarOverride(models.Model):
    """One day of a decree, or an administrator's correction to the production calendar."""

    country = models.CharField(max_length=2, default="RU")
    day = models.DateField(_("day"))
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("why"), max_length=200, blank=True)
    decree = models.ForeignKey(
        CalendarDecree,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="days",
        verbose_name=_("decree"),
        help_text=_("Empty for a correction not made by a decree."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["country", "day"], name="calendar_override_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {'working' if self.is_working_day else 'day off'}"

    def save(self, *args, **kwargs) -> None:
        if self.decree_id and self.decree:
            self.country = self.decree.country
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.decree_id and self.decree and self.day and self.day.year != self.decree.year:
            raise ValidationError({"day": _("The day must be in the decree's year.")})


class RulesVersion(models.Model):
    """One row whose token changes whenever anything a Ruleset is built from changes.

    Processes cache the built Ruleset under this token, so planning a case reads one row instead
    of the rules tables. A fresh random token (not a counter) can't repeat after a rollback.
    """

    token = models.UUIDField(default=uuid.uuid4)

    def __str__(self) -> str:
        return str(self.token)


class ResyncJob(models.Model):
    """Re-syncing open cases after a rule change, with progress the administrator watches."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    reason = models.CharField(max_length=200)
    problem_types = models.JSONField(default=list, blank=True)  # empty: every open case
    state = models.CharField(max_length=8, choices=State, default=State.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Resync #{self.pk} ({self.state})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)


class TranslationReview(models.Model):
    """A native speaker's check of one language of a document's or a deadline's texts.

    Says who reviewed, when, and which text (a digest of the English source and the translation):
    a reload of the rules keeps the text reviewed only while both are unchanged
    (content/translation_reviews.py).
    """

    document_translation = models.ForeignKey(
        DocumentTranslation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("document text"),
    )
    deadline_rule = models.ForeignKey(
        DeadlineRule,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="translation_reviews",
        verbose_name=_("deadline"),
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    text_digest = models.CharField(_("digest of the reviewed text"), max_length=64)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    # The name as it was, so the record still says who when the account is gone.
    reviewer_name = models.CharField(_("reviewer"), max_length=150)
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document_translation__isnull=False, deadline_rule__isnull=True)
                | Q(document_translation__isnull=True, deadline_rule__isnull=False),
                name="translation_review_one_text",
            ),
        ]

    def __str__(self) -> str:
        text = self.document_translation or self.deadline_rule
        return f"{text} [{self.language}] reviewed by {self.reviewer_name}"


class KeyRate(models.Model):
    """The Bank of Russia key rate from a day on (until the next row), which Labour Code art. 236
    reads for the compensation for late wages. Shipped in content/rates/key-rate.yaml."""

    effective_from = models.DateField(_("in force from"), unique=True)
    rate = models.DecimalField(
        _("rate, % per annum"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    decision = models.CharField(
        _("Bank of Russia decision"),
        max_length=200,
        help_text=_("e.g. Решение Совета директоров Банка России от 19.12.2025"),
    )
    to_verify = models.BooleanField(
        _("to verify"),
        default=False,
        help_text=_("Not yet checked against the Bank of Russia's table: results say so."),
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("key rate")

    def __str__(self) -> str:
        return f"{self.rate}% from {self.effective_from:%d.%m.%Y}"
