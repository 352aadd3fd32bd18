"""Migrants.

`__str__` never returns personal data: it ends up in logs, admin history and error reports."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.fields import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedEmailField,
    EncryptedTextField,
    keyed_hash,
    phone_hashes,
)
from cases.models.organisations import Organisation, active_organisations_of
from cases.models.versioned import Versioned
from cases.names import validate_cyrillic_name, validate_latin_name

# Derived from other fields for queries (see Migrant.derive_lookups): not part of the history.
LOOKUP_FIELDS = (
    "search_names",
    "birth_year",
    "phone_hash",
    "phone_tail_hash",
    "phone_secondary_hash",
    "phone_secondary_tail_hash",
)


def phone_q(e164: str, prefix: str = "") -> models.Q:
    """Migrants (or, with `prefix="migrant__"`, their cases) with this number as either phone."""
    whole, _tail = phone_hashes(e164)
    if not whole:
        return models.Q(pk__in=[])
    return models.Q(**{f"{prefix}phone_hash": whole}) | models.Q(
        **{f"{prefix}phone_secondary_hash": whole}
    )


def phone_tail_q(digits: str, prefix: str = "") -> models.Q:
    """Either phone ends with these digits; only the last nine are indexed, so fewer match none."""
    _whole, tail = phone_hashes(digits)
    if len(digits) < 9 or not tail:
        return models.Q(pk__in=[])
    return models.Q(**{f"{prefix}phone_tail_hash": tail}) | models.Q(
        **{f"{prefix}phone_secondary_tail_hash": tail}
    )


def message_window_errors(start: int | None, end: int | None) -> dict[str, str]:
    """What is wrong with a migrant's safe hours for messages (empty: nothing)."""
    if (start is None) != (end is None):
        field = "message_hours_end" if end is None else "message_hours_start"
        return {field: _("Give both hours, or neither.")}
    if start is not None and end is not None and start % 24 == end % 24:
        return {"message_hours_end": _("The window must end at another hour than it starts.")}
    return {}


class MigrantQuerySet(models.QuerySet["Migrant"]):
    def visible_to(self, user) -> MigrantQuerySet:
        """The only way caseworker code reaches migrants: scoped to the user's organisations."""
        return self.filter(organisation__in=active_organisations_of(user))


class Migrant(Versioned):
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
    full_name_latin = models.CharField(
        _("full name (Latin, as in passport)"), max_length=200, validators=[validate_latin_name]
    )
    full_name_cyrillic = models.CharField(
        _("full name (Cyrillic)"), max_length=200, blank=True, validators=[validate_cyrillic_name]
    )
    # Transliteration-folded form of both names for search in either script (cases.search).
    search_names = models.TextField(editable=False, default="")
    # Contact data and the birth date are encrypted at rest (cases.fields); what the database
    # must compare is kept beside them as keyed hashes or, for statistics, the year of birth.
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender, default=Gender.OTHER)
    citizenship = models.CharField(_("citizenship"), max_length=2)
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True)
    phone_secondary = EncryptedCharField(_("second phone"), max_length=20, blank=True)
    # Keyed hashes of both phones, whole and their last nine digits (cases.fields.phone_hashes).
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_tail_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_secondary_hash = models.CharField(
        max_length=64, blank=True, db_index=True, editable=False
    )
    phone_secondary_tail_hash = models.CharField(
        max_length=64, blank=True, db_index=True, editable=False
    )
    telegram = EncryptedCharField(_("Telegram handle"), max_length=64, blank=True)
    email = EncryptedEmailField(_("email"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language, default=Language.RU
    )
    region = models.CharField(_("region of stay"), max_length=64, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    sector = models.CharField(_("sector of employment"), max_length=16, choices=Sector, blank=True)
    # Safe contact: the phone of a trafficked or exploited migrant may be read by the employer.
    phone_controlled = models.BooleanField(_("phone may be controlled by employer"), default=False)
    safe_call_time = EncryptedCharField(_("safe time to call"), max_length=100, blank=True)
    # Hours on the migrant's clock when a message is safe (20 to 22 when an employer checks
    # the phone by day). Blank: the organisation's quiet hours alone decide (cases.scheduling).
    message_hours_start = models.PositiveSmallIntegerField(
        _("send messages from (hour)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(23)],
        help_text=_("On the migrant's clock, 0–23. Leave both hours blank for any time."),
    )
    message_hours_end = models.PositiveSmallIntegerField(
        _("send messages until (hour)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(24)],
        help_text=_("The hour messages stop, 1–24; it may be after midnight (22 to 2)."),
    )
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
    safe_contact_notes = EncryptedTextField(_("safe-contact notes"), blank=True)
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
    history = HistoricalRecords(excluded_fields=[*LOOKUP_FIELDS])

    def __str__(self) -> str:
        return f"Migrant #{self.pk}"

    def clean(self) -> None:
        errors = message_window_errors(self.message_hours_start, self.message_hours_end)
        if errors:
            raise ValidationError(errors)

    @property
    def message_window(self) -> tuple[int, int] | None:
        """(from, until) hours when messages are safe, or None for any time."""
        if self.message_hours_start is None or self.message_hours_end is None:
            return None
        return self.message_hours_start, self.message_hours_end

    def derive_lookups(self) -> None:
        """Recompute the clear columns that stand in for encrypted ones in queries."""
        self.phone_hash, self.phone_tail_hash = phone_hashes(self.phone or "")
        self.phone_secondary_hash, self.phone_secondary_tail_hash = phone_hashes(
            self.phone_secondary or ""
        )
        self.passport_number_hash = keyed_hash(self.passport_number or "")
        self.birth_year = self.date_of_birth.year if self.date_of_birth else None

    @property
    def display_name(self) -> str:
        return self.full_name_cyrillic or self.full_name_latin

    @property
    def passport_masked(self) -> str:
        number = self.passport_number or ""
        return f"•••{number[-3:]}" if len(number) > 3 else ("•••" if number else "")
