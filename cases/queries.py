"""Read-side queries of the caseworker UI: the dashboard, the case list and its pages.

Everything starts from `Case.objects.visible_to(user)` narrowed to the current organisation.
The case list pages by keyset (the last row's sort value and id), never by OFFSET, and counts
at most COUNT_CAP rows, so it stays fast with hundreds of thousands of cases.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from cases import search
from cases.models import Case, Deadline, Migrant, Organisation, TimelineEvent

PAGE_SIZE = 25
COUNT_CAP = 1000
DUE_SOON_DAYS = 7
# A case waiting on someone for longer than this shows on the dashboard.
WAITING_TOO_LONG_DAYS = 14

# Sort key → (field, descending). Every sort ends with id for a stable keyset.
SORTS: dict[str, tuple[str, bool]] = {
    "newest": ("opened_at", True),
    "oldest": ("opened_at", False),
    "updated": ("updated_at", True),
}
# What a row of the case list reads (the page query selects nothing else).
LIST_COLUMNS = (
    "number",
    "problem_type",
    "status",
    "opened_at",
    "updated_at",
    "migrant__full_name_latin",
    "migrant__full_name_cyrillic",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)
SORT_LABELS = {
    "newest": _("Newest first"),
    "oldest": _("Oldest first"),
    "updated": _("Recently updated"),
}


def org_cases(user, organisation: Organisation) -> QuerySet[Case]:
    return Case.objects.visible_to(user).filter(organisation=organisation)


def overdue_condition(today: date | None = None) -> Exists:
    today = today or timezone.localdate()
    return Exists(
        Deadline.objects.filter(case=OuterRef("pk"), state=Deadline.State.OPEN, due_date__lt=today)
    )


def due_soon_condition(today: date | None = None) -> Exists:
    today = today or timezone.localdate()
    return Exists(
        Deadline.objects.filter(
            case=OuterRef("pk"),
            state=Deadline.State.OPEN,
            due_date__gte=today,
            due_date__lte=today + timedelta(days=DUE_SOON_DAYS),
        )
    )


def waiting_since() -> Subquery:
    """When the case last changed status (its waiting started then)."""
    return Subquery(
        TimelineEvent.objects.filter(case=OuterRef("pk"), kind=TimelineEvent.Kind.STATUS)
        .order_by("-created_at")
        .values("created_at")[:1]
    )


def dashboard(user, organisation: Organisation, *, is_supervisor: bool) -> dict[str, Any]:
    today = timezone.localdate()
    cases = org_cases(user, organisation).open().select_related("migrant", "assignee")
    deadlines = (
        Deadline.objects.filter(
            case__in=org_cases(user, organisation).open(), state=Deadline.State.OPEN
        )
        .select_related("case", "case__migrant")
        .order_by("due_date", "id")
    )
    overdue = deadlines.filter(due_date__lt=today)
    due_soon = deadlines.filter(due_date__gte=today, due_date__lte=today + timedelta(DUE_SOON_DAYS))
    cutoff = timezone.now() - timedelta(days=WAITING_TOO_LONG_DAYS)
    waiting = (
        cases.filter(status__in=Case.WAITING_STATUSES)
        .annotate(waiting_since=waiting_since())
        .filter(Q(waiting_since__lt=cutoff) | Q(waiting_since__isnull=True, opened_at__lt=cutoff))
        .order_by("waiting_since")
    )
    mine = cases.filter(assignee=user).order_by("-updated_at")
    context = {
        "my_cases": mine[:20],
        "my_count": capped_count(mine),
        "overdue": overdue[:20],
        "overdue_count": capped_count(overdue),
        "due_soon": due_soon[:20],
        "due_soon_count": capped_count(due_soon),
        "waiting": waiting[:20],
        "waiting_count": capped_count(waiting),
        "waiting_days": WAITING_TOO_LONG_DAYS,
        "due_soon_days": DUE_SOON_DAYS,
        "today": today,
    }
    if is_supervisor:
        unassigned = cases.filter(status=Case.Status.NEW, assignee__isnull=True).order_by(
            "opened_at"
        )
        context["unassigned"] = unassigned[:20]
        context["unassigned_count"] = capped_count(unassigned)
    return context


def capped_count(queryset: QuerySet) -> int:
    """Counts up to COUNT_CAP + 1 rows: the template shows "1000+" rather than scanning on."""
    return queryset.order_by()[: COUNT_CAP + 1].count()


@dataclass
class CaseFilters:
    status: str = ""  # a status, or "open" / "closed"
    problem_type: str = ""
    assignee: str = ""  # a user id, "me" or "none"
    citizenship: str = ""
    overdue: bool = False
    due_soon: bool = False
    sort: str = "newest"
    text: str = ""  # the search text (kept out of the URL; see views.case_search)
    extra: dict[str, Any] = field(default_factory=dict)


def filter_cases(queryset: QuerySet[Case], filters: CaseFilters, user) -> QuerySet[Case]:
    if filters.status == "open":
        queryset = queryset.open()
    elif filters.status == "closed":
        queryset = queryset.filter(status__in=Case.CLOSED_STATUSES)
    elif filters.status == "waiting":
        queryset = queryset.filter(status__in=Case.WAITING_STATUSES)
    elif filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.problem_type:
        # Any of the case's problems, not only the primary (one row per case and problem, so
        # the join adds no duplicates).
        queryset = queryset.filter(problems__problem_type=filters.problem_type)
    if filters.assignee == "me":
        queryset = queryset.filter(assignee=user)
    elif filters.assignee == "none":
        queryset = queryset.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        queryset = queryset.filter(assignee_id=int(filters.assignee))
    if filters.citizenship:
        queryset = queryset.filter(migrant__citizenship=filters.citizenship)
    if filters.overdue:
        queryset = queryset.filter(overdue_condition())
    if filters.due_soon:
        queryset = queryset.filter(due_soon_condition())
    if filters.text:
        # A case's migrant belongs to the case's organisation (services.open_case), so the
        # migrants the user may see hold every migrant of the cases the user may see.
        migrants = Migrant.objects.visible_to(user)
        queryset = queryset.filter(search.case_query(filters.text, migrants))
    return queryset


def similar_cases(queryset: QuerySet[Case], filters: CaseFilters, user) -> list[Case]:
    """When a name search finds nothing: the newest cases (one page) of migrants with names
    that look like it, under the same filters. Empty where similarity does not apply."""
    condition = search.similar_query(filters.text, Migrant.objects.visible_to(user))
    if condition is None:
        return []
    others = filter_cases(queryset, replace(filters, text=""), user).filter(condition)
    return keyset_page(others, sort="newest", cursor="").rows


class CappedCount(Subquery):
    """COUNT(*) of a sliced queryset, as a scalar subquery of another query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"
    output_field = IntegerField()


@dataclass
class Page:
    rows: list[Case]
    next_cursor: str
    count: int
    count_capped: bool


def _encode(value: Any, pk: int) -> str:
    raw = json.dumps([value.isoformat() if isinstance(value, datetime) else value, pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        value, pk = json.loads(raw)
        moment = parse_datetime(value)
        if moment is None or not isinstance(pk, int):
            return None
        return moment, pk
    except (ValueError, TypeError):
        return None


def keyset_page(queryset: QuerySet[Case], *, sort: str, cursor: str = "") -> Page:
    """One page of the case list after `cursor` (opaque; a bad cursor starts from the top)."""
    field_name, descending = SORTS.get(sort, SORTS["newest"])
    # The capped count rides along the page query (one round trip; the database evaluates
    # the uncorrelated subquery once, however many rows the page has).
    total = CappedCount(queryset.order_by().values("pk")[: COUNT_CAP + 1])
    position = _decode(cursor) if cursor else None
    if position is not None:
        value, pk = position
        if descending:
            after = Q(**{f"{field_name}__lt": value}) | Q(**{field_name: value, "pk__lt": pk})
        else:
            after = Q(**{f"{field_name}__gt": value}) | Q(**{field_name: value, "pk__gt": pk})
        queryset = queryset.filter(after)
    prefix = "-" if descending else ""
    rows = list(
        queryset.select_related("migrant", "assignee")
        # Only the columns a row shows (templates/cases/_case_table.html) and the sort keys:
        # no summary, no encrypted fields to decrypt, no password hashes.
        .only(*LIST_COLUMNS)
        .annotate(capped_total=total)
        .order_by(f"{prefix}{field_name}", f"{prefix}pk")[: PAGE_SIZE + 1]
    )
    # No row past the cursor says nothing about the rows before it: count those apart.
    count = rows[0].capped_total if rows else (capped_count(queryset) if position else 0)
    next_cursor = ""
    if len(rows) > PAGE_SIZE:
        rows = rows[:PAGE_SIZE]
        last = rows[-1]
        next_cursor = _encode(getattr(last, field_name), last.pk)
    return Page(rows=rows, next_cursor=next_cursor, count=count, count_capped=count > COUNT_CAP)
