"""Tables of counts: `CountTable`, counting cases by one or two dimensions, and the
per-month table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Count,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from stats.queries import DIMENSIONS, UNKNOWN, Dimension, Filters, answers, cases


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
    # A case may count in several rows (its problems, or a multi-response fact's answers).
    counts_problems: bool = False
    # A line under the table saying how to read it, when the general footnotes do not.
    note: str = ""

    @property
    def one_way(self) -> bool:
        return len(self.col_labels) == 1

    @property
    def total(self) -> int:
        return sum(sum(row) for row in self.counts)


def normalise(value: Any) -> Any:
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
        col_values = answers(cols, entry["dim_col"]) if cols is not None else ["all"]
        for row in answers(rows, entry["dim_row"]):
            for col in col_values:
                cell = (normalise(row), normalise(col))
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
        counts_problems=rows.counts_problems or rows.multi,
    )


def breakdown(filters: Filters, dimension_key: str, col_key: str | None = None) -> CountTable:
    rows = DIMENSIONS[dimension_key]
    cols = DIMENSIONS[col_key] if col_key else None
    return crosstab(cases(filters), rows, cols)


def _counts_each_case_once(dimension: Dimension) -> bool:
    return not (dimension.counts_problems or dimension.multi)


def breakdown_with_margins(
    filters: Filters, dimension_key: str, col_key: str
) -> tuple[CountTable, CountTable, CountTable]:
    """The two-way table and the one-way tables of its rows and of its columns.

    A margin is the two-way counts summed when the other dimension counts each case once (one
    query for the three). Summed over a dimension that counts a case several times (its
    problems, a multi-response fact's answers), it would count such a case twice: that margin
    is a query of its own.
    """
    rows, cols = DIMENSIONS[dimension_key], DIMENSIONS[col_key]
    table, found = _crosstab_found(cases(filters), rows, cols)
    by_row: dict[tuple[Any, Any], int] = {}
    by_col: dict[tuple[Any, Any], int] = {}
    for (row, col), n in found.items():
        by_row[(row, "all")] = by_row.get((row, "all"), 0) + n
        by_col[(col, "all")] = by_col.get((col, "all"), 0) + n
    row_margin = (
        count_table(by_row, rows)
        if _counts_each_case_once(cols)
        else crosstab(cases(filters), rows)
    )
    col_margin = (
        count_table(by_col, cols)
        if _counts_each_case_once(rows)
        else crosstab(cases(filters), cols)
    )
    return table, row_margin, col_margin


def months_of(filters: Filters) -> list[date]:
    today = timezone.localdate()
    start = filters.date_from or today.replace(day=1) - timedelta(days=330)
    end = filters.date_to or today
    months, current = [], start.replace(day=1)
    while current <= end and len(months) < 240:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def month_table(key: str, title: Any, counts: dict[date, int], filters: Filters) -> CountTable:
    months = months_of(filters)
    return CountTable(
        key=key,
        title=str(title),
        row_label=str(_("Month")),
        row_keys=months,
        row_labels=[f"{m:%Y-%m}" for m in months],
        col_labels=[str(_("Cases"))],
        counts=[[counts.get(m, 0)] for m in months],
    )
