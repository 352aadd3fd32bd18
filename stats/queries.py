"""Aggregate queries behind the statistics dashboard and the aggregate exports.

Every function takes a `Filters` whose `organisation_ids` is the scope decided by the view:
one organisation for its admins, any or all for platform admins. Nothing here reads the
request or the user, so the scope is applied in exactly one place per query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, connections, transaction
from django.db.models import Case as CaseWhen
from django.db.models import (
    CharField,
    Count,
    DurationField,
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
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    TruncDate,
    TruncMonth,
)
from django.db.models.lookups import GreaterThan, LessThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Deadline, Delivery, Migrant, Organisation
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


def age_band(date_of_birth: date | None, on: date) -> str:
    """The age band of someone born on `date_of_birth`, on the day `on` (blank if unknown)."""
    if date_of_birth is None:
        return UNKNOWN
    age = (
        on.year
        - date_of_birth.year
        - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    )
    return band_of_age(age)


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
        q &= Q(**{f"{prefix}problem_type": filters.problem})
    if filters.citizenship:
        q &= Q(**{f"{prefix}migrant__citizenship": filters.citizenship})
    if filters.region:
        q &= Q(**{f"{prefix}migrant__region": filters.region})
    return q


def _period(field_name: str, filters: Filters) -> Q:
    start, end = filters.period_bounds()
    q = Q()
    if start:
        q &= Q(**{f"{field_name}__gte": start})
    if end:
        q &= Q(**{f"{field_name}__lt": end})
    return q


def cases(filters: Filters) -> QuerySet[Case]:
    """Cases in scope matching the filters, opened in the period: what the breakdowns count."""
    return Case.objects.filter(case_filter(filters)).filter(_period("opened_at", filters))


# --- dimensions ---------------------------------------------------------------------------


def _field(path: str) -> Callable[[QuerySet, str], QuerySet]:
    return lambda qs, alias: qs.annotate(**{alias: F(path)})


def _json_key(key: str) -> Callable[[QuerySet, str], QuerySet]:
    return lambda qs, alias: qs.annotate(**{alias: KT(f"extra_facts__{key}")})


class _DayNumber(Func):
    """PostgreSQL: a date as the integer yyyymmdd (1991-03-17 -> 19910317)."""

    template = "to_char(%(expressions)s, 'YYYYMMDD')::integer"
    output_field = IntegerField()


class _Band(Func):
    """PostgreSQL: the band of a whole number of years, by width_bucket over the limits."""

    output_field = CharField()

    def __init__(self, years, **extra):
        names = ", ".join(f"'{band}'" for _limit, band in _AGE_LIMITS) + ", '50_plus'"
        limits = ", ".join(str(limit) for limit, _band in _AGE_LIMITS)
        template = f"(ARRAY[{names}])[width_bucket(%(expressions)s, ARRAY[{limits}]) + 1]"
        super().__init__(years, template=template, **extra)


def _age_band(qs: QuerySet, alias: str) -> QuerySet:
    born = "migrant__date_of_birth"
    if connections[qs.db].vendor == "postgresql":
        # The same age as below, computed once per row: completed years are the difference of
        # yyyymmdd numbers divided by 10,000 (rounded towards zero, which only ever changes a
        # negative age, under 18 either way). EXTRACT returns numeric since PostgreSQL 14; the
        # five-branch CASE below recomputed it per branch and cost half of the dashboard's scan.
        days = _DayNumber(TruncDate("opened_at")) - _DayNumber(F(born))
        years = ExpressionWrapper(days / Value(10000), output_field=IntegerField())
        return qs.annotate(
            **{
                alias: CaseWhen(
                    When(**{f"{born}__isnull": True}, then=Value(UNKNOWN)), default=_Band(years)
                )
            }
        )
    opened_md = ExtractMonth("opened_at") * 100 + ExtractDay("opened_at")
    born_md = ExtractMonth(born) * 100 + ExtractDay(born)
    age = (
        ExtractYear("opened_at")
        - ExtractYear(born)
        - CaseWhen(When(GreaterThan(born_md, opened_md), then=Value(1)), default=Value(0))
    )
    qs = qs.annotate(**{f"{alias}_age": ExpressionWrapper(age, output_field=IntegerField())})
    age_ref = F(f"{alias}_age")
    whens = [When(**{f"{born}__isnull": True}, then=Value(UNKNOWN))]
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


def _choices(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [(code, label) for code, label in choices if code]


DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in [
        Dimension("problem", _("Problem"), _field("problem_type"), Case.ProblemType.choices),
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
        ),
        Dimension(
            "organisation", _("Organisation"), _field("organisation__name"), network_only=True
        ),
    ]
}


@dataclass(frozen=True)
class CountTable:
    """Counts by one or two dimensions: rows x columns (one column for a one-way table)."""

    key: str
    title: str
    row_label: str
    row_keys: list[Any]
    row_labels: list[str]
    col_labels: list[str]
    counts: list[list[int]]
    col_keys: list[Any] = field(default_factory=list)

    @property
    def one_way(self) -> bool:
        return len(self.col_labels) == 1

    @property
    def total(self) -> int:
        return sum(sum(row) for row in self.counts)


def _normalise(value: Any) -> Any:
    return UNKNOWN if value is None else value


def _ordered_keys(dimension: Dimension, sizes: dict[Any, int]) -> list[Any]:
    """Fixed categories in their order; otherwise largest first (months in time order)."""
    observed = set(sizes)
    if dimension.categories is not None:
        fixed = [code for code, _label in dimension.categories]
        extra = sorted(observed - set(fixed), key=lambda v: (v == UNKNOWN, str(v)))
        return fixed + extra
    if dimension.key == "month":
        known = sorted(v for v in observed if v != UNKNOWN)
    else:
        known = sorted((v for v in observed if v != UNKNOWN), key=lambda v: (-sizes[v], str(v)))
    return known + ([UNKNOWN] if UNKNOWN in observed else [])


def _sizes(found: dict[tuple[Any, Any], int], axis: int) -> dict[Any, int]:
    sizes: dict[Any, int] = {}
    for cell, n in found.items():
        sizes[cell[axis]] = sizes.get(cell[axis], 0) + n
    return sizes


def crosstab(
    queryset: QuerySet[Case],
    rows: Dimension,
    cols: Dimension | None = None,
    *,
    key: str = "",
    title: str = "",
) -> CountTable:
    """Count cases by `rows` (and `cols`). Fixed categories appear even when empty."""
    return _crosstab_found(queryset, rows, cols, key=key, title=title)[0]


def _crosstab_found(
    queryset: QuerySet[Case],
    rows: Dimension,
    cols: Dimension | None = None,
    *,
    key: str = "",
    title: str = "",
) -> tuple[CountTable, dict[tuple[Any, Any], int]]:
    qs = rows.annotate(queryset, "dim_row")
    names = ["dim_row"]
    if cols is not None:
        qs = cols.annotate(qs, "dim_col")
        names.append("dim_col")
    found: dict[tuple[Any, Any], int] = {}
    for entry in qs.order_by().values(*names).annotate(n=Count("pk")):
        cell = (_normalise(entry["dim_row"]), _normalise(entry.get("dim_col", "all")))
        found[cell] = found.get(cell, 0) + entry["n"]
    return count_table(found, rows, cols, key=key, title=title), found


def count_table(
    found: dict[tuple[Any, Any], int],
    rows: Dimension,
    cols: Dimension | None = None,
    *,
    key: str = "",
    title: str = "",
) -> CountTable:
    """The table of counts `found` by (row value, column value); column "all" if one-way."""
    row_keys = _ordered_keys(rows, _sizes(found, 0))
    if cols is None:
        col_keys: list[Any] = ["all"]
        col_labels = [str(_("Cases"))]
    else:
        col_keys = _ordered_keys(cols, _sizes(found, 1))
        col_labels = [cols.label_for(c) for c in col_keys]
    return CountTable(
        key=key or (rows.key if cols is None else f"{rows.key}__{cols.key}"),
        title=title or (str(rows.label) if cols is None else f"{rows.label} × {cols.label}"),
        row_label=str(rows.label),
        row_keys=row_keys,
        row_labels=[rows.label_for(r) for r in row_keys],
        col_labels=col_labels,
        counts=[[found.get((r, c), 0) for c in col_keys] for r in row_keys],
        col_keys=col_keys,
    )


# --- the dashboard's figures --------------------------------------------------------------


def _months(filters: Filters) -> list[date]:
    today = timezone.localdate()
    start = filters.date_from or today.replace(day=1) - timedelta(days=330)
    end = filters.date_to or today
    months, current = [], start.replace(day=1)
    while current <= end and len(months) < 240:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def _monthly(queryset: QuerySet, field_name: str, filters: Filters) -> dict[date, int]:
    counts: dict[date, int] = {}
    # COUNT(*), not COUNT(id): the closed months are then an index-only scan (cases 0007).
    rows = queryset.annotate(m=TruncMonth(field_name)).order_by().values("m").annotate(n=Count("*"))
    for entry in rows:
        if entry["m"] is not None:
            month = (
                timezone.localtime(entry["m"]).date()
                if timezone.is_aware(entry["m"])
                else entry["m"].date()
            )
            counts[month.replace(day=1)] = counts.get(month.replace(day=1), 0) + entry["n"]
    return counts


def opened_per_month(filters: Filters) -> CountTable:
    return _month_table(
        "opened_per_month",
        _("Cases opened per month"),
        _monthly(cases(filters), "opened_at", filters),
        filters,
    )


def closed_per_month(filters: Filters) -> CountTable:
    closed = Case.objects.filter(case_filter(filters)).filter(_period("closed_at", filters))
    return _month_table(
        "closed_per_month",
        _("Cases closed per month"),
        _monthly(closed.exclude(closed_at=None), "closed_at", filters),
        filters,
    )


def _month_table(key: str, title: Any, counts: dict[date, int], filters: Filters) -> CountTable:
    months = _months(filters)
    return CountTable(
        key=key,
        title=str(title),
        row_label=str(_("Month")),
        row_keys=months,
        row_labels=[f"{m:%Y-%m}" for m in months],
        col_labels=[str(_("Cases"))],
        counts=[[counts.get(m, 0)] for m in months],
    )


def open_by_status(filters: Filters) -> CountTable:
    closed = {str(s) for s in Case.CLOSED_STATUSES}
    open_statuses = [(c, label) for c, label in Case.Status.choices if c not in closed]
    return crosstab(
        cases(filters).open(),
        replace(DIMENSIONS["status"], categories=open_statuses),
        key="open_by_status",
        title=str(_("Open cases by status")),
    )


def breakdown(filters: Filters, dimension_key: str, col_key: str | None = None) -> CountTable:
    rows = DIMENSIONS[dimension_key]
    cols = DIMENSIONS[col_key] if col_key else None
    return crosstab(cases(filters), rows, cols)


def breakdown_with_margins(
    filters: Filters, dimension_key: str, col_key: str
) -> tuple[CountTable, CountTable, CountTable]:
    """The two-way table and the one-way tables of its rows and of its columns, in one query:
    the margins count the same cases, so they are the two-way counts summed."""
    rows, cols = DIMENSIONS[dimension_key], DIMENSIONS[col_key]
    table, found = _crosstab_found(cases(filters), rows, cols)
    by_row: dict[tuple[Any, Any], int] = {}
    by_col: dict[tuple[Any, Any], int] = {}
    for (row, col), n in found.items():
        by_row[(row, "all")] = by_row.get((row, "all"), 0) + n
        by_col[(col, "all")] = by_col.get((col, "all"), 0) + n
    return table, count_table(by_row, rows), count_table(by_col, cols)


def outcomes_by_problem(filters: Filters) -> CountTable:
    closed = cases(filters).filter(status__in=Case.CLOSED_STATUSES)
    return crosstab(
        closed,
        DIMENSIONS["problem"],
        DIMENSIONS["outcome"],
        key="outcomes_by_problem",
        title=str(_("Outcomes by problem")),
    )


@dataclass(frozen=True)
class Median:
    label: str
    days: float | None
    cases: int


def _median_days(queryset: QuerySet[Case]) -> Median:
    closed = queryset.filter(status__in=Case.CLOSED_STATUSES).exclude(closed_at=None)
    n = closed.count()
    if not n:
        return Median("", None, 0)
    duration = ExpressionWrapper(F("closed_at") - F("opened_at"), output_field=DurationField())
    ordered = closed.annotate(d=duration).order_by("d").values_list("d", flat=True)
    middle = list(ordered[(n - 1) // 2 : n // 2 + 1])
    days = [d.total_seconds() / 86400 for d in middle]
    return Median("", round(sum(days) / len(days), 1), n)


def median_days_to_resolution(filters: Filters) -> list[Median]:
    """Overall first, then by problem type."""
    base = cases(filters)
    overall = _median_days(base)
    result = [Median(str(_("All problems")), overall.days, overall.cases)]
    for code, label in Case.ProblemType.choices:
        m = _median_days(base.filter(problem_type=code))
        result.append(Median(str(label), m.days, m.cases))
    return result


def overdue_deadlines(filters: Filters) -> CountTable:
    """Open deadlines past due on open cases now (a snapshot: the period does not apply)."""
    overdue = Deadline.objects.filter(
        case_filter(filters, "case__"),
        state=Deadline.State.OPEN,
        due_date__lt=timezone.localdate(),
    ).exclude(case__status__in=Case.CLOSED_STATUSES)
    counts = {
        e["case__problem_type"]: e["n"]
        # COUNT(*): the deadline's id is not in the covering index (0009), COUNT(id) would
        # read every row.
        for e in overdue.order_by().values("case__problem_type").annotate(n=Count("*"))
    }
    problems = Case.ProblemType.choices
    return CountTable(
        key="overdue_deadlines",
        title=str(_("Overdue deadlines on open cases, by problem")),
        row_label=str(_("Problem")),
        row_keys=[c for c, _l in problems],
        row_labels=[str(label) for _c, label in problems],
        col_labels=[str(_("Deadlines"))],
        counts=[[counts.get(code, 0)] for code, _l in problems],
    )


SENT_STATES = (Delivery.State.SENT, Delivery.State.DELIVERED)


def reminders_by_channel(filters: Filters) -> CountTable:
    """Reminder deliveries in the period by channel: sent (or delivered) and failed."""
    # The organisation is on the delivery itself; only the other filters reach the case.
    deliveries = Delivery.objects.filter(
        case_filter(replace(filters, organisation_ids=None), "reminder__deadline__case__"),
        _period("created_at", filters),
        state__in=(*SENT_STATES, Delivery.State.FAILED),
    )
    if filters.organisation_ids is not None:
        deliveries = deliveries.filter(organisation_id__in=filters.organisation_ids)
    found: dict[tuple[str, str], int] = {}
    for e in deliveries.order_by().values("channel", "state").annotate(n=Count("*")):
        bucket = "failed" if e["state"] == Delivery.State.FAILED else "sent"
        found[(e["channel"], bucket)] = found.get((e["channel"], bucket), 0) + e["n"]
    channels = sorted({channel for channel, _b in found})
    return CountTable(
        key="reminders_by_channel",
        title=str(_("Reminders sent and failed, by channel")),
        row_label=str(_("Channel")),
        row_keys=channels,
        row_labels=channels,
        col_labels=[str(_("Sent")), str(_("Failed"))],
        counts=[[found.get((c, "sent"), 0), found.get((c, "failed"), 0)] for c in channels],
    )


def organisations_for(filters: Filters) -> QuerySet[Organisation]:
    if filters.organisation_ids is None:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=filters.organisation_ids)


# --- the dashboard in few passes ----------------------------------------------------------
#
# Every breakdown of the dashboard counts the same cases (in scope, opened in the period), so
# they are computed together: one query groups those cases by several grouping sets at once.
# On PostgreSQL that is GROUP BY GROUPING SETS, a single scan of the cases; elsewhere (SQLite
# in tests and development) the same sets are a UNION ALL of GROUP BYs over one CTE. The
# columns are the dimensions' own ORM expressions, compiled by Django into an inner query, so
# both forms count exactly what `crosstab` counts.


def _opened_month(qs: QuerySet, alias: str) -> QuerySet:
    return qs.annotate(**{alias: TruncMonth("opened_at")})


def _month_start(value: Any) -> date | None:
    """A truncated month as the local date it starts on, whatever the driver returned."""
    if value is None:
        return None
    if isinstance(value, str):  # SQLite: 'YYYY-MM-DD HH:MM:SS'
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return value.replace(day=1)


STATS_WORK_MEM = "32MB"


def _fetch(sql: str, params: Sequence[Any], *, more_memory: bool = False) -> list[tuple]:
    if not more_memory:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    with transaction.atomic(), connection.cursor() as cursor:
        # The planner cannot tell how many months or age bands there are and, fearing the hash
        # tables would not fit in work_mem (4 MB), sorts every row, on disk, for some grouping
        # sets; the medians' ordered aggregates sort 100k durations, on disk at 4 MB. For this
        # transaction only, room to do both in memory (a few MB are actually used).
        cursor.execute(f"SET LOCAL work_mem = '{STATS_WORK_MEM}'")
        cursor.execute(sql, params)
        return cursor.fetchall()


def _uses_grouping_sets() -> bool:
    return connection.vendor == "postgresql"


def grouped_counts(
    queryset: QuerySet,
    columns: dict[str, Callable[[QuerySet, str], QuerySet]],
    sets: Sequence[Sequence[str]],
    *,
    grouping_sets: bool | None = None,
) -> list[dict[tuple[Any, ...], int]]:
    """Count `queryset` grouped by each of `sets` (tuples of `columns` names) in one query.

    Returns one {values: count} per set, values in the set's order, NULL read as UNKNOWN.
    `grouping_sets`: force (or refuse) GROUP BY GROUPING SETS; default on PostgreSQL.
    The SQL around the compiled inner query holds only quoted aliases; values are parameters.
    """
    names = list(columns)
    aliases = {name: f"dim_{name}" for name in names}  # never a model field's name
    qs = queryset
    for name in names:
        qs = columns[name](qs, aliases[name])
    inner, params = qs.order_by().values(*aliases.values()).query.get_compiler(qs.db).as_sql()

    def quote(name: str) -> str:
        return connection.ops.quote_name(aliases[name])

    cols = [quote(name) for name in names]
    if grouping_sets is None:
        grouping_sets = _uses_grouping_sets()
    if grouping_sets:
        # GROUPING(a, b, …) sets the bit of each column left out of the row's set, a first.
        marks = {
            sum(1 << (len(names) - 1 - i) for i, n in enumerate(names) if n not in chosen): index
            for index, chosen in enumerate(sets)
        }
        spec = ", ".join("(" + ", ".join(quote(n) for n in chosen) + ")" for chosen in sets)
        sql = (
            f"SELECT GROUPING({', '.join(cols)}), {', '.join(cols)}, COUNT(*) "  # noqa: S608
            f"FROM ({inner}) AS counted GROUP BY GROUPING SETS ({spec})"
        )
    else:
        marks = {index: index for index in range(len(sets))}
        branches = []
        for index, chosen in enumerate(sets):
            picked = [quote(n) if n in chosen else "NULL" for n in names]
            group = ", ".join(quote(n) for n in chosen)
            branches.append(
                f"SELECT {index}, {', '.join(picked)}, COUNT(*) FROM counted GROUP BY {group}"  # noqa: S608
            )
        sql = f"WITH counted AS ({inner}) " + " UNION ALL ".join(branches)
    found: list[dict[tuple[Any, ...], int]] = [{} for _set in sets]
    positions = [[names.index(n) for n in chosen] for chosen in sets]
    for mark, *values, n in _fetch(sql, params, more_memory=grouping_sets):
        index = marks[mark]
        cell = tuple(_normalise(values[i]) for i in positions[index])
        found[index][cell] = found[index].get(cell, 0) + n
    return found


def _month_table_from(key: str, title: Any, found: dict, filters: Filters) -> CountTable:
    counts: dict[date, int] = {}
    for (value,), n in found.items():
        month = _month_start(value or None)
        if month is not None:
            counts[month] = counts.get(month, 0) + n
    return _month_table(key, title, counts, filters)


def _median_rows(closed: QuerySet[Case]) -> list[tuple[str | None, int, Any, Any]]:
    """(problem or None for all, cases, lower middle, upper middle) durations, one query.

    The middle of n ordered durations: the values at 0-based (n - 1) // 2 and n // 2, equal
    when n is odd. percentile_disc(0.5) is the first of them; counted from the top, the second.
    """
    duration = ExpressionWrapper(F("closed_at") - F("opened_at"), output_field=DurationField())
    qs = closed.annotate(p=F("problem_type"), d=duration).order_by().values("p", "d")
    inner, params = qs.query.get_compiler(qs.db).as_sql()
    if _uses_grouping_sets():
        sql = (
            'SELECT GROUPING("p"), "p", COUNT(*), '  # noqa: S608
            'percentile_disc(0.5) WITHIN GROUP (ORDER BY "d"), '
            'percentile_disc(0.5) WITHIN GROUP (ORDER BY "d" DESC) '
            f'FROM ({inner}) AS closed GROUP BY GROUPING SETS (("p"), ())'
        )
    else:
        ranked = (
            "SELECT {p} AS p, d, COUNT(*) OVER ({w}) AS n, "
            "ROW_NUMBER() OVER ({w} ORDER BY d) AS r FROM closed"
        )
        middle = "WHERE r = (n + 1) / 2 OR r = n / 2 + 1 GROUP BY p, n"
        sql = (
            f"WITH closed AS ({inner}) "  # noqa: S608
            f"SELECT 0, p, n, MIN(d), MAX(d) FROM ({ranked.format(p='p', w='PARTITION BY p')}) "
            f"AS byp {middle} UNION ALL "
            f"SELECT 1, p, n, MIN(d), MAX(d) FROM ({ranked.format(p='NULL', w='')}) "
            f"AS everything {middle}"
        )
    rows = _fetch(sql, params, more_memory=_uses_grouping_sets())
    return [(None if overall else p, n, low, high) for overall, p, n, low, high in rows]


def _days(value: Any) -> float:
    if isinstance(value, int):  # SQLite keeps durations as microseconds
        value = timedelta(microseconds=value)
    return value.total_seconds() / 86400


def medians_from(rows: list[tuple[str | None, int, Any, Any]]) -> list[Median]:
    """Overall first, then by problem type (as `median_days_to_resolution`)."""
    by_problem = {p: (n, low, high) for p, n, low, high in rows}

    def median(label: Any, problem: str | None) -> Median:
        n, low, high = by_problem.get(problem, (0, None, None))
        if not n:
            return Median(str(label), None, 0)
        days = [_days(low)] if n % 2 else [_days(low), _days(high)]
        return Median(str(label), round(sum(days) / len(days), 1), n)

    return [median(_("All problems"), None)] + [
        median(label, code) for code, label in Case.ProblemType.choices
    ]


@dataclass(frozen=True)
class Dashboard:
    opened: CountTable
    closed: CountTable
    medians: list[Median]
    tables: list[CountTable]


_DASHBOARD_BREAKDOWNS = ("citizenship", "gender", "age_band", "region", "sector")


def dashboard(filters: Filters, *, network: bool = False) -> Dashboard:
    """Every figure of the dashboard, in five queries whatever the number of cases.

    The same tables as `open_by_status`, `breakdown`, `outcomes_by_problem`,
    `opened_per_month`, `closed_per_month` and `median_days_to_resolution` would give.
    """
    columns: dict[str, Callable[[QuerySet, str], QuerySet]] = {
        key: DIMENSIONS[key].annotate for key in ("status", "problem", "outcome")
    }
    columns["month"] = _opened_month
    singles = [*_DASHBOARD_BREAKDOWNS, *(["organisation"] if network else [])]
    for key in singles:
        columns[key] = DIMENSIONS[key].annotate
    sets = [("status", "problem", "outcome"), ("month",), *((key,) for key in singles)]
    scoped = cases(filters)
    if filters.organisation_ids is not None:
        # A case's migrant is always of the case's organisation (cases.services.open_case).
        # Saying so lets the planner hash-join the organisation's migrants, read index-only
        # (cases 0009), instead of looking each case's migrant up by id.
        scoped = scoped.filter(migrant__organisation_id__in=filters.organisation_ids)
    by_status, by_month, *by_single = grouped_counts(scoped, columns, sets)

    closed_statuses = {str(s) for s in Case.CLOSED_STATUSES}
    open_found: dict[tuple[Any, Any], int] = {}
    problem_found: dict[tuple[Any, Any], int] = {}
    outcome_found: dict[tuple[Any, Any], int] = {}
    for (status, problem, outcome), n in by_status.items():
        problem_found[(problem, "all")] = problem_found.get((problem, "all"), 0) + n
        if status in closed_statuses:
            outcome_found[(problem, outcome)] = outcome_found.get((problem, outcome), 0) + n
        else:
            open_found[(status, "all")] = open_found.get((status, "all"), 0) + n
    open_statuses = [(c, label) for c, label in Case.Status.choices if c not in closed_statuses]
    tables = [
        count_table(
            open_found,
            replace(DIMENSIONS["status"], categories=open_statuses),
            key="open_by_status",
            title=str(_("Open cases by status")),
        ),
        count_table(problem_found, DIMENSIONS["problem"]),
    ]
    for key, found in zip(singles, by_single, strict=True):
        tables.append(count_table({(v, "all"): n for (v,), n in found.items()}, DIMENSIONS[key]))
    tables.append(
        count_table(
            outcome_found,
            DIMENSIONS["problem"],
            DIMENSIONS["outcome"],
            key="outcomes_by_problem",
            title=str(_("Outcomes by problem")),
        )
    )
    closed = cases(filters).filter(status__in=Case.CLOSED_STATUSES).exclude(closed_at=None)
    return Dashboard(
        opened=_month_table_from(
            "opened_per_month", _("Cases opened per month"), by_month, filters
        ),
        closed=closed_per_month(filters),
        medians=medians_from(_median_rows(closed)),
        tables=[*tables, overdue_deadlines(filters), reminders_by_channel(filters)],
    )
