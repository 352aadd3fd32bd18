"""The rows of the case tables (the case list, the dashboard), rendered in Python.

Character for character what the template loop rendered (tests/cases/test_case_list_lean.py
compares the two): with 25 rows of six cells, the template's variable lookups and filters were
the largest part of the case list's time after its one query.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from cases.models import Case

ROW = (
    "\n    <tr>"
    '\n      <td data-label="{t_case}"><a href="{url}">{number}</a></td>'
    '\n      <td data-label="{t_migrant}">{name}{latin}</td>'
    '\n      <td data-label="{t_problem}">{problem}</td>'
    '\n      <td data-label="{t_status}"><span class="status status-{status}">{status_label}</span>'
    "</td>"
    '\n      <td data-label="{t_assignee}">{assignee}</td>'
    '\n      <td data-label="{t_opened}">{opened}</td>'
    "\n    </tr>"
    "\n  "
)
EMPTY = '\n    <tr class="empty"><td colspan="6" class="muted">{}</td></tr>\n  '


def case_url_prefix() -> str:
    """The case page's URL without the id ("/cases/"): a row appends its id and a slash
    instead of calling reverse() once per row."""
    url = reverse("cases:detail", args=[0])
    if not url.endswith("/0/"):  # the pattern must stay "<prefix><pk>/" for this to hold
        raise ValueError(f"unexpected case URL {url}")
    return url[: -len("0/")]


def rows_html(cases: Iterable[Case], empty_text: str) -> SafeString:
    """The <tr>s of a case table (each case with its migrant and assignee selected)."""
    labels = {
        name: conditional_escape(gettext(text))
        for name, text in (
            ("t_case", "Case"),
            ("t_migrant", "Migrant"),
            ("t_problem", "Problem"),
            ("t_status", "Status"),
            ("t_assignee", "Assignee"),
            ("t_opened", "Opened"),
        )
    }
    unassigned = format_html('<span class="muted">{}</span>', gettext("Unassigned"))
    prefix = conditional_escape(case_url_prefix())
    # Each label translated once per table, not once per row.
    problems = _Labels(Case.get_problem_type_display, "problem_type")
    statuses = _Labels(Case.get_status_display, "status")
    months = {}
    parts = []
    for case in cases:
        migrant, assignee = case.migrant, case.assignee
        latin = (
            format_html(' <span class="muted">· {}</span>', migrant.full_name_latin)
            if migrant.full_name_cyrillic
            else ""
        )
        parts.append(
            ROW.format(
                **labels,
                url=f"{prefix}{case.pk}/",
                number=conditional_escape(case.number),
                name=conditional_escape(migrant.display_name),
                latin=latin,
                problem=problems.of(case),
                status=conditional_escape(case.status),
                status_label=statuses.of(case),
                assignee=conditional_escape(assignee.get_full_name() or assignee.username)
                if assignee
                else unassigned,
                opened=_day(case.opened_at, months),
            )
        )
    if not parts:
        parts.append(format_html(EMPTY, empty_text))
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


class _Labels(dict):
    """A choice's display label by value, computed once per table."""

    def __init__(self, display, field: str):
        super().__init__()
        self.display, self.field = display, field

    def of(self, case: Case) -> str:
        value = getattr(case, self.field)
        if value not in self:
            self[value] = conditional_escape(self.display(case))
        return self[value]


def _day(moment, months: dict) -> str:
    """`{{ moment|date:"j M Y" }}`: in the current time zone, the month's short name
    translated once per table."""
    local = timezone.localtime(moment)
    if local.month not in months:
        months[local.month] = conditional_escape(date_filter(local, "M"))
    return f"{local.day} {months[local.month]} {local.year:04d}"
