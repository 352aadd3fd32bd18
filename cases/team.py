"""The supervisor's team view: each member's load, read in a fixed number of queries.

Per active member of the organisation (and a row for unassigned cases): open cases, open
deadlines overdue and due within a week, the next due date, and their last recorded activity
on a case of this organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Max, Min, Q

from cases.models import Case, Deadline, Membership, Organisation, TimelineEvent

DUE_SOON_DAYS = 7
CASES_PER_WORKER = 50  # the list under each worker; the case list shows the rest


@dataclass
class WorkerLoad:
    user_id: int | None  # None: the unassigned cases
    name: str
    role: str = ""
    open_cases: int = 0
    overdue: int = 0
    due_soon: int = 0
    next_due: date | None = None
    last_activity: datetime | None = None
    cases: list[Case] = field(default_factory=list)


def workload(organisation: Organisation, *, today: date) -> list[WorkerLoad]:
    members = (
        Membership.objects.filter(organisation=organisation, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    rows: dict[int | None, WorkerLoad] = {
        m.user_id: WorkerLoad(m.user_id, m.user.get_full_name() or m.user.username, m.role)
        for m in members
    }
    rows[None] = WorkerLoad(None, "")
    open_cases = Case.objects.filter(organisation=organisation).open()
    for row in open_cases.values("assignee").annotate(n=Count("id")):
        if row["assignee"] in rows:
            rows[row["assignee"]].open_cases = row["n"]
    deadlines = Deadline.objects.filter(case__in=open_cases, state=Deadline.State.OPEN)
    soon = today + timedelta(days=DUE_SOON_DAYS)
    counted = deadlines.values("case__assignee").annotate(
        overdue=Count("id", filter=Q(due_date__lt=today)),
        due_soon=Count("id", filter=Q(due_date__gte=today, due_date__lte=soon)),
        next_due=Min("due_date", filter=Q(due_date__gte=today)),
    )
    for row in counted:
        load = rows.get(row["case__assignee"])
        if load is not None:
            load.overdue, load.due_soon, load.next_due = (
                row["overdue"],
                row["due_soon"],
                row["next_due"],
            )
    activity = (
        TimelineEvent.objects.filter(
            case__organisation=organisation, actor__in=[pk for pk in rows if pk is not None]
        )
        .values("actor")
        .annotate(last=Max("created_at"))
    )
    for row in activity:
        rows[row["actor"]].last_activity = row["last"]
    listed = (
        open_cases.select_related("migrant")
        .annotate(
            next_due=Min(
                "deadlines__due_date", filter=Q(deadlines__state=Deadline.State.OPEN)
            )
        )
        .order_by("assignee_id", F("next_due").asc(nulls_last=True), "opened_at")
        .only("id", "number", "problem_type", "status", "assignee_id", "opened_at",
              "migrant__full_name_latin", "migrant__full_name_cyrillic")
    )  # fmt: skip
    for case in listed:
        load = rows.get(case.assignee_id)
        if load is not None and len(load.cases) < CASES_PER_WORKER:
            load.cases.append(case)
    unassigned = rows.pop(None)
    return [*rows.values(), unassigned]
