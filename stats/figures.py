"""The dashboard's figures one at a time: per month, open by status, outcomes, medians,
overdue deadlines and reminders by channel (`stats.dashboard` computes them together)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

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

from cases.models import Case, Deadline, Delivery
from stats.queries import DIMENSIONS, Filters, case_filter, cases, in_period
from stats.tables import CountTable, crosstab, month_table


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
    return month_table(
        "opened_per_month",
        _("Cases opened per month"),
        _monthly(cases(filters), "opened_at", filters),
        filters,
    )


def closed_per_month(filters: Filters) -> CountTable:
    closed = Case.objects.filter(case_filter(filters)).filter(in_period("closed_at", filters))
    return month_table(
        "closed_per_month",
        _("Cases closed per month"),
        _monthly(closed.exclude(closed_at=None), "closed_at", filters),
        filters,
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
    """Overall first (each case once), then by problem type (a case under each of its
    problems, as the problem and outcome tables count it)."""
    base = cases(filters)
    overall = _median_days(base)
    result = [Median(str(_("All problems")), overall.days, overall.cases)]
    for code, label in Case.ProblemType.choices:
        m = _median_days(base.filter(problems__problem_type=code))
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
        in_period("created_at", filters),
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
