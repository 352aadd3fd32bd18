"""The whole statistics dashboard in a few passes over the cases.

Every breakdown of the dashboard counts the same cases (in scope, opened in the period), so
they are computed together: one query groups those cases by several grouping sets at once.
On PostgreSQL that is GROUP BY GROUPING SETS, a single scan of the cases; elsewhere (SQLite
in tests and development) the same sets are a UNION ALL of GROUP BYs over one CTE. The
columns are the dimensions' own ORM expressions, compiled by Django into an inner query, so
both forms count exactly what `stats.tables.crosstab` counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    QuerySet,
)
from django.db.models.functions import (
    TruncMonth,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseProblem
from stats.calls import calls_by_language, calls_by_topic
from stats.figures import Median, closed_per_month, overdue_deadlines, reminders_by_channel
from stats.queries import DIMENSIONS, Filters, cases
from stats.tables import CountTable, count_table, month_table, normalise


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
        cell = tuple(normalise(values[i]) for i in positions[index])
        found[index][cell] = found[index].get(cell, 0) + n
    return found


def _month_table_from(key: str, title: Any, found: dict, filters: Filters) -> CountTable:
    counts: dict[date, int] = {}
    for (value,), n in found.items():
        month = _month_start(value or None)
        if month is not None:
            counts[month] = counts.get(month, 0) + n
    return month_table(key, title, counts, filters)


def _median_rows(closed: QuerySet[Case]) -> list[tuple[str | None, int, Any, Any]]:
    """(problem or None for all, cases, lower middle, upper middle) durations, one query.

    A case counts under each of its problems (as the problem and outcome tables count it) and
    once in "All problems": the per-problem rows join the case's problems, the overall row
    reads the cases alone.
    The middle of n ordered durations: the values at 0-based (n - 1) // 2 and n // 2, equal
    when n is odd. percentile_disc(0.5) is the first of them; counted from the top, the second.
    """
    duration = ExpressionWrapper(F("closed_at") - F("opened_at"), output_field=DurationField())
    # From the problem rows of the closed cases: a join of its own, whatever problem filter
    # `closed` already has (that join holds only the filtered problem).
    per_problem = (
        CaseProblem.objects.filter(case__in=closed.values("pk"))
        .annotate(
            p=F("problem_type"),
            d=ExpressionWrapper(
                F("case__closed_at") - F("case__opened_at"), output_field=DurationField()
            ),
        )
        .order_by()
        .values("p", "d")
    )
    overall = closed.annotate(d=duration).order_by().values("d")
    by_problem, by_problem_params = per_problem.query.get_compiler(closed.db).as_sql()
    everything, everything_params = overall.query.get_compiler(closed.db).as_sql()
    params = (*by_problem_params, *everything_params)
    if _uses_grouping_sets():
        middle = (
            'COUNT(*), percentile_disc(0.5) WITHIN GROUP (ORDER BY "d"), '
            'percentile_disc(0.5) WITHIN GROUP (ORDER BY "d" DESC)'
        )
        sql = (
            f'SELECT 0, "p", {middle} FROM ({by_problem}) AS byp GROUP BY "p" '  # noqa: S608
            f"UNION ALL SELECT 1, NULL, {middle} FROM ({everything}) AS everything "
            "HAVING COUNT(*) > 0"
        )
    else:
        ranked = (
            "SELECT {p} AS p, d, COUNT(*) OVER ({w}) AS n, "
            "ROW_NUMBER() OVER ({w} ORDER BY d) AS r FROM {source}"
        )
        middle = "WHERE r = (n + 1) / 2 OR r = n / 2 + 1 GROUP BY p, n"
        sql = (
            f"WITH byproblem AS ({by_problem}), everything AS ({everything}) "  # noqa: S608
            "SELECT 0, p, n, MIN(d), MAX(d) FROM "
            f"({ranked.format(p='p', w='PARTITION BY p', source='byproblem')}) AS byp {middle} "
            "UNION ALL SELECT 1, p, n, MIN(d), MAX(d) FROM "
            f"({ranked.format(p='NULL', w='', source='everything')}) AS alls {middle}"
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


def _problem_counts(
    scoped: QuerySet, closed_statuses: set[str]
) -> tuple[dict[tuple[Any, Any], int], dict[tuple[Any, Any], int]]:
    """Cases by problem, and closed cases by problem and outcome: a query of its own, since
    joining the problems counts a case once per problem (under each of them)."""
    problem_found: dict[tuple[Any, Any], int] = {}
    outcome_found: dict[tuple[Any, Any], int] = {}
    rows = DIMENSIONS["problem"].annotate(scoped, "dim_problem")
    for entry in rows.order_by().values("dim_problem", "status", "outcome").annotate(n=Count("pk")):
        problem, n = normalise(entry["dim_problem"]), entry["n"]
        problem_found[(problem, "all")] = problem_found.get((problem, "all"), 0) + n
        if entry["status"] in closed_statuses:
            cell = (problem, normalise(entry["outcome"]))
            outcome_found[cell] = outcome_found.get(cell, 0) + n
    return problem_found, outcome_found


_DASHBOARD_BREAKDOWNS = ("citizenship", "gender", "age_band", "region", "sector")


def dashboard(filters: Filters, *, network: bool = False) -> Dashboard:
    """Every figure of the dashboard, in a fixed number of queries whatever the number of cases
    (the calls' two tables are two more).

    The same tables as `open_by_status`, `breakdown`, `outcomes_by_problem`,
    `opened_per_month`, `closed_per_month` and `median_days_to_resolution` would give.
    """
    columns: dict[str, Callable[[QuerySet, str], QuerySet]] = {
        key: DIMENSIONS[key].annotate for key in ("status",)
    }
    columns["month"] = _opened_month
    singles = [*_DASHBOARD_BREAKDOWNS, *(["organisation"] if network else [])]
    for key in singles:
        columns[key] = DIMENSIONS[key].annotate
    sets = [("status",), ("month",), *((key,) for key in singles)]
    scoped = cases(filters)
    if filters.organisation_ids is not None:
        # A case's migrant is always of the case's organisation (cases.services.open_case).
        # Saying so lets the planner hash-join the organisation's migrants, read index-only
        # (cases 0009), instead of looking each case's migrant up by id.
        scoped = scoped.filter(migrant__organisation_id__in=filters.organisation_ids)
    by_status, by_month, *by_single = grouped_counts(scoped, columns, sets)

    closed_statuses = {str(s) for s in Case.CLOSED_STATUSES}
    open_found = {
        (status, "all"): n for (status,), n in by_status.items() if status not in closed_statuses
    }
    problem_found, outcome_found = _problem_counts(scoped, closed_statuses)
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
        tables=[
            *tables,
            overdue_deadlines(filters),
            reminders_by_channel(filters),
            calls_by_topic(filters),
            calls_by_language(filters),
        ],
    )
