"""The plausible range of every date a person types in (forms and the API): a mistyped year
(0001, 9999, a birth in 1850) is a field error, never a wrong deadline or a crash further on."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

OLDEST_AGE_YEARS = 120
# Facts of a stay in Russia: nothing the rules know predates 1990; a planned arrival or ban
# may lie up to a year ahead.
EARLIEST_STAY_FACT = date(1990, 1, 1)
STAY_FACT_AHEAD = timedelta(days=366)
STAY_FACTS = frozenset({"arrival_date", "ban_start_date", "entry_date", "exit_date"})
# Any other date (deadlines, periods, filters): wide, but far from the calendar's ends.
EARLIEST_ANY = date(1900, 1, 1)
ANY_AHEAD_YEARS = 100


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def bounds(field_name: str, today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    if field_name == "date_of_birth":
        return _years_from(today, -OLDEST_AGE_YEARS), today
    if field_name in STAY_FACTS:
        return EARLIEST_STAY_FACT, today + STAY_FACT_AHEAD
    return EARLIEST_ANY, _years_from(today, ANY_AHEAD_YEARS)


def out_of_range(field_name: str, value: date | None) -> str | None:
    """The error to show for `value` in the field `field_name`, or None when it is plausible."""
    if value is None:
        return None
    earliest, latest = bounds(field_name)
    if earliest <= value <= latest:
        return None
    return _("Enter a date between %(earliest)s and %(latest)s.") % {
        "earliest": date_format(earliest, "SHORT_DATE_FORMAT"),
        "latest": date_format(latest, "SHORT_DATE_FORMAT"),
    }


class DateBoundsValidator:
    """A form field validator for the date field `field_name`."""

    def __init__(self, field_name: str) -> None:
        self.field_name = field_name

    def __call__(self, value: date | None) -> None:
        error = out_of_range(self.field_name, value)
        if error:
            raise ValidationError(error, code="date_out_of_range")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateBoundsValidator) and other.field_name == self.field_name

    def __hash__(self) -> int:
        return hash(self.field_name)


def bound_date_fields(fields) -> None:
    """Give every date field of a form its plausible range."""
    for name, field in fields.items():
        if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
            field.validators.append(DateBoundsValidator(name))
