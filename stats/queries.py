"""What the statistics count and by what: the filters (scope, period, dimensions) and the
dimensions a table can be broken down by.

Every query takes a `Filters` whose `organisation_ids` is the scope decided by the view:
one organisation for its admins, any or all for platform admins. Nothing in stats' queries
reads the request or the user, so the scope is applied in exactly one place per query.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connections
from django.db.models import Case as CaseWhen
from django.db.models import (
    CharField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import (
    ExtractYear,
    TruncMonth,
)
from django.db.models.lookups import LessThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Migrant
from stats import vocab

UNKNOWN = ""

AGE_BANDS = [
    ("under_18", _("Under 18")),
    ("18_24", "18–24"),
    ("25_29", "25–29"),
    ("30_39", "30–39"),
    ("40_49", "40–49"),
    ("50_plus", _("50 and over")),
]
_AGE_LIMITS = [(18, "under_18"), (25, "18_24"), (30, "25_29"), (40, "30_39"), (50, "40_49")]


def age_band(birth_year: int | None, on: date) -> str:
    """The age band, on the day `on`, of someone born in `birth_year` (blank if unknown).

    The age is the one reached in that calendar year: only the year of birth is stored in
    clear (the date of birth is encrypted), as HIPAA's Safe Harbor rule keeps of a birth date.
    """
    if birth_year is None:
        return UNKNOWN
    return band_of_age(on.year - birth_year)


def band_of_age(age: int) -> str:
    """The age band of someone `age` full years old."""
    for limit, band in _AGE_LIMITS:
        if age < limit:
            return band
    return "50_plus"


@dataclass(frozen=True)
class Filters:
    organisation_ids: tuple[int, ...] | None  # None: every organisation (network view)
    date_from: date | None = None
    date_to: date | None = None
    problem: str = ""
    citizenship: str = ""
    region: str = ""

    def period_bounds(self) -> tuple[datetime | None, datetime | None]:
        """The period as aware datetimes [start, end) in the site's time zone."""
        start = end = None
        if self.date_from:
            start = timezone.make_aware(datetime.combine(self.date_from, time.min))
        if self.date_to:
            end = timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))
        return start, end


def case_filter(filters: Filters, prefix: str = "") -> Q:
    """The scope and dimension filters (not the period) on Case, reached through `prefix`."""
    q = Q()
    if filters.organisation_ids is not None:
        q &= Q(**{f"{prefix}organisation_id__in": filters.organisation_ids})
    if filters.problem:
        # Any of the case's problems, not only the primary (one row per case and problem).
        q &= Q(**{f"{prefix}problems__problem_type": filters.problem})
    if filters.citizenship:
        q &= Q(**{f"{prefix}migrant__citizenship": filters.citizenship})
    if filters.region:
        q &= Q(**{f"{prefix}migrant__region": filters.region})
    return q


def in_period(field_name: str, filters: Filters) -> Q:
    start, end = filters.period_bounds()
    q = Q()
    if start:
        q &= Q(**{f"{field_name}__gte": start})
    if end:
        q &= Q(**{f"{field_name}__lt": end})
    return q


def cases(filters: Filters) -> QuerySet[Case]:
    """Cases in scope matching the filters, opened in the period: what the breakdowns count."""
    return Case.objects.filter(case_filter(filters)).filter(in_period("opened_at", filters))


# --- dimensions ---------------------------------------------------------------------------


def _field(path: str) -> Callable[[QuerySet, str], QuerySet]:
    return lambda qs, alias: qs.annotate(**{alias: F(path)})


def _json_key(key: str) -> Callable[[QuerySet, str], QuerySet]:
    return lambda qs, alias: qs.annotate(**{alias: KT(f"extra_facts__{key}")})


class _Band(Func):
    """PostgreSQL: the band of a whole number of years, by width_bucket over the limits."""

    output_field = CharField()

    def __init__(self, years, **extra):
        names = ", ".join(f"'{band}'" for _limit, band in _AGE_LIMITS) + ", '50_plus'"
        limits = ", ".join(str(limit) for limit, _band in _AGE_LIMITS)
        template = f"(ARRAY[{names}])[width_bucket(%(expressions)s, ARRAY[{limits}]) + 1]"
        super().__init__(years, template=template, **extra)


def _age_band(qs: QuerySet, alias: str) -> QuerySet:
    born = "migrant__birth_year"
    years = ExpressionWrapper(ExtractYear("opened_at") - F(born), output_field=IntegerField())
    unknown = When(**{f"{born}__isnull": True}, then=Value(UNKNOWN))
    if connections[qs.db].vendor == "postgresql":
        # One width_bucket per row rather than a five-branch CASE over the same subtraction.
        return qs.annotate(**{alias: CaseWhen(unknown, default=_Band(years))})
    qs = qs.annotate(**{f"{alias}_age": years})
    age_ref = F(f"{alias}_age")
    whens = [unknown]
    whens += [When(LessThan(age_ref, limit), then=Value(band)) for limit, band in _AGE_LIMITS]
    return qs.annotate(**{alias: CaseWhen(*whens, default=Value("50_plus"))})


def _month(qs: QuerySet, alias: str) -> QuerySet:
    return qs.annotate(**{alias: TruncMonth("opened_at")})


@dataclass(frozen=True)
class Dimension:
    key: str
    label: Any
    annotate: Callable[[QuerySet, str], QuerySet]
    # Fixed categories in display order; None: whatever values occur.
    categories: list[tuple[str, Any]] | None = None
    unknown_label: Any = _("Unknown")
    labels: dict[str, Any] = field(default_factory=dict)
    network_only: bool = False
    # One row per case and problem: a case with two problems is counted twice.
    counts_problems: bool = False
    # A multi-response fact (a list in extra_facts): a case counts under each of its answers.
    multi: bool = False

    def label_for(self, value: Any) -> str:
        if value in (None, UNKNOWN):
            return str(self.unknown_label)
        if isinstance(value, datetime | date):
            return f"{value:%Y-%m}"
        if self.categories:
            for code, label in self.categories:
                if code == value:
                    return str(label)
        return str(self.labels.get(value, value))


def answers(dimension: Dimension, value: Any) -> list[Any]:
    """The values one grouped row stands for: each answer of a multi-response fact (the
    database groups by the list's JSON text, so the few combinations are expanded here)."""
    if dimension.multi and isinstance(value, str) and value.startswith("["):
        try:
            parsed = json.loads(value)
        except ValueError:
            return [value]
        return [str(v) for v in parsed] or [UNKNOWN]
    return [value]


def _choices(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [(code, label) for code, label in choices if code]


DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in [
        # A case with several problems counts under each: this table's total can exceed the
        # number of cases (the dashboard says so). "primary_problem" counts each case once.
        Dimension(
            "problem",
            _("Problem"),
            _field("problems__problem_type"),
            Case.ProblemType.choices,
            counts_problems=True,
        ),
        Dimension(
            "primary_problem", _("Main problem"), _field("problem_type"), Case.ProblemType.choices
        ),
        Dimension("status", _("Status"), _field("status"), Case.Status.choices),
        Dimension(
            "outcome",
            _("Outcome"),
            _field("outcome"),
            _choices(Case.Outcome.choices),
            unknown_label=_("Not closed"),
        ),
        Dimension(
            "citizenship",
            _("Citizenship"),
            _field("migrant__citizenship"),
            labels=vocab.CITIZENSHIPS,
        ),
        Dimension("gender", _("Gender"), _field("migrant__gender"), Migrant.Gender.choices),
        Dimension("age_band", _("Age at intake"), _age_band, AGE_BANDS),
        Dimension("region", _("Region of stay"), _field("migrant__region")),
        Dimension(
            "sector", _("Sector"), _field("migrant__sector"), _choices(Migrant.Sector.choices)
        ),
        Dimension("month", _("Month opened"), _month),
        Dimension(
            "migration_card",
            _("Migration card"),
            _json_key("migration_card"),
            vocab.MIGRATION_CARD,
            unknown_label=_("Not recorded"),
        ),
        Dimension(
            "registration_obstacle",
            _("Reason for not registering"),
            _json_key("registration_obstacle"),
            vocab.REGISTRATION_OBSTACLES,
            unknown_label=_("Not recorded"),
            multi=True,  # table 4.3 is multi-response
        ),
        Dimension(
            "assistance_given",
            _("Assistance given"),
            _json_key("assistance_given"),
            vocab.ASSISTANCE_GIVEN,
            unknown_label=_("Not recorded"),
            multi=True,
        ),
        Dimension(
            "sought_help_before",
            _("Sought help before from"),
            _json_key("sought_help_before"),
            vocab.SOUGHT_HELP_BEFORE,
            unknown_label=_("Not recorded"),
            multi=True,
        ),
        Dimension(
            "organisation", _("Organisation"), _field("organisation__name"), network_only=True
        ),
    ]
}
