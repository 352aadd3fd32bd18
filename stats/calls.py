"""The call log in the statistics: calls received in the period by topic and by language.

Calls are counted by the time they were received. The scope is the organisations' calls; the
problem filter keeps the calls about that problem, and the citizenship and region filters the
calls of known callers from there (an anonymous caller has neither).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Call, Case
from stats.queries import UNKNOWN, Dimension, Filters, in_period
from stats.tables import CountTable, count_table

TOPIC = Dimension(
    "call_topic",
    _("Topic"),
    lambda qs, alias: qs,  # counted from the topics list below, not annotated
    Case.ProblemType.choices,
    unknown_label=_("No topic recorded"),
    multi=True,
)
LANGUAGE = Dimension("call_language", _("Language"), lambda qs, alias: qs, Call.Language.choices)


def calls(filters: Filters) -> QuerySet[Call]:
    """Calls in scope received in the period, matching the filters."""
    q = in_period("received_at", filters)
    if filters.organisation_ids is not None:
        q &= Q(organisation_id__in=filters.organisation_ids)
    if filters.problem:
        # The topics are a JSON list of codes; a quoted code matches that element only.
        q &= Q(topics__icontains=f'"{filters.problem}"')
    if filters.citizenship:
        q &= Q(migrant__citizenship=filters.citizenship)
    if filters.region:
        q &= Q(migrant__region=filters.region)
    return Call.objects.filter(q)


def _as_calls(table: CountTable, note: Any = "") -> CountTable:
    return replace(table, col_labels=[str(_("Calls"))], note=str(note))


def calls_by_topic(filters: Filters) -> CountTable:
    """A call about several problems counts under each (the topics' combinations are few, so
    the database groups by the list and each combination is spread over its topics here)."""
    found: dict[tuple[Any, Any], int] = {}
    for entry in calls(filters).order_by().values("topics").annotate(n=Count("*")):
        for topic in entry["topics"] or [UNKNOWN]:
            found[(topic, "all")] = found.get((topic, "all"), 0) + entry["n"]
    table = count_table(found, TOPIC, key="calls_by_topic", title=str(_("Calls by topic")))
    return _as_calls(
        table,
        _("A call about several problems is counted under each of them, so the total can be "
          "more than the number of calls."),
    )  # fmt: skip


def calls_by_language(filters: Filters) -> CountTable:
    found = {
        (entry["language"], "all"): entry["n"]
        for entry in calls(filters).order_by().values("language").annotate(n=Count("*"))
    }
    table = count_table(found, LANGUAGE, key="calls_by_language", title=str(_("Calls by language")))
    return _as_calls(table)
