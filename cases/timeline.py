"""The case page's feed and change history as readable lines in the reader's language.

An event stores what happened as a code and parameters (cases.event_codes), never a sentence in
the writer's language; `describe()` translates it when the page is shown, with the deadline's
title in the reader's language too. `text` is left for what a person wrote (a note, a reason).
Events written before this keep their stored text.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from accounts.models import User
from cases import member_cache, panels
from cases.models import Case, ChecklistItem, Deadline, Migrant, TimelineEvent
from content import queries


def case_timeline(case: Case, *, deadline_titles: dict[int, str] | None = None) -> list[dict]:
    """The case's feed, newest first, each event with a readable one-line description.

    `deadline_titles`: the case's deadline titles by id when the page has them already (see
    panels.CasePlan); otherwise they are read here, in one query."""
    events = list(case.timeline.select_related("actor")[:200])
    user_ids = {
        value
        for event in events
        if event.kind == TimelineEvent.Kind.ASSIGNMENT
        for value in (event.data.get("from"), event.data.get("to"))
        if value
    }
    names = _user_names(case.organisation_id, user_ids)
    titles = dict(deadline_titles or {})
    wanted = {event.data.get("deadline") for event in events if event.data} - set(titles) - {None}
    if wanted:
        titles |= panels.deadline_titles(
            list(Deadline.objects.filter(pk__in=wanted)), language=get_language() or "ru"
        )
    return [{"event": event, "description": describe(event, names, titles)} for event in events]


def _user_names(organisation_id: int, user_ids: set) -> dict:
    """Display names of the users the feed mentions: the organisation's members from the
    members cache, anyone else (e.g. a platform admin) from the database."""
    names = {
        member.user_id: member.name
        for member in member_cache.members(organisation_id)
        if member.user_id in user_ids
    }
    others = user_ids - set(names)
    if others:
        names |= {
            user.pk: user.get_full_name() or user.username
            for user in User.objects.filter(pk__in=others)
        }
    return names


def _status_label(value: str) -> str:
    return Case.Status(value).label if value in Case.Status.values else value


def _coded_line(data: dict, titles: dict) -> str:
    params = dict(data.get("params", {}))
    if "title" in params and data.get("deadline") in titles:
        params["title"] = titles[data["deadline"]]  # the rule's title in the reader's language
    try:
        return _(data["message"]) % params
    except (KeyError, TypeError, ValueError):  # a translation that lost a parameter
        return data["message"] % params


def _item_label(code: str) -> str:
    try:
        return queries.document_text(code, get_language() or "ru").name
    except LookupError:
        return code


def _state_label(value: str) -> str:
    return ChecklistItem.State(value).label if value in ChecklistItem.State.values else value


_PLAN_CHANGES = {
    "items_added": gettext_noop("items added"),
    "items_restored": gettext_noop("items restored"),
    "items_updated": gettext_noop("items updated"),
    "items_retired": gettext_noop("items no longer needed"),
    "deadlines_added": gettext_noop("deadlines added"),
    "deadlines_updated": gettext_noop("deadlines updated"),
    "deadlines_retired": gettext_noop("deadlines no longer needed"),
}


def _plan_line(plan: dict) -> str:
    counts = ", ".join(
        f"{_(_PLAN_CHANGES.get(key, key))}: {len(keys)}" for key, keys in plan.items() if keys
    )
    return _("Checklist and deadlines updated from the rules (%(changes)s).") % {"changes": counts}


def describe(event: TimelineEvent, names: dict, titles: dict | None = None) -> str:
    """One line saying what the event did; `names` maps user ids to display names, `titles`
    deadline ids to their titles in the reader's language."""
    data = event.data or {}
    if "message" in data:
        return _coded_line(data, titles or {})
    if "item" in data and "to" in data:
        return (
            f"{_item_label(data.get('document', ''))}: "
            f"{_state_label(data.get('from', ''))} → {_state_label(data['to'])}"
        )
    if "plan" in data and not event.text:
        return _plan_line(data["plan"])
    if event.kind == TimelineEvent.Kind.STATUS:
        text = f"{_status_label(data.get('from', ''))} → {_status_label(data.get('to', ''))}"
        if data.get("outcome") in Case.Outcome.values and data.get("outcome"):
            text += " · " + _("outcome: %(outcome)s") % {
                "outcome": Case.Outcome(data["outcome"]).label
            }
        if data.get("reopened"):
            text = _("Reopened") + ": " + text
        return text
    if event.kind == TimelineEvent.Kind.ASSIGNMENT:
        target = names.get(data.get("to"))
        return _("Assigned to %(name)s") % {"name": target} if target else _("Unassigned")
    if event.kind == TimelineEvent.Kind.FACTS:
        return _("Changed: %(fields)s") % {
            "fields": ", ".join(field_label(Case, name) for name in data.get("fields", []))
        }
    if event.kind == TimelineEvent.Kind.OPENED:
        problem = data.get("problem_type", "")
        return Case.ProblemType(problem).label if problem in Case.ProblemType.values else ""
    if event.kind == TimelineEvent.Kind.TASK:
        return _("Task done") if data.get("done") else _("Task added")
    return ""


HISTORY_ROWS = 40
HISTORY_PER_RECORD = 30


def case_history(case: Case) -> list[dict]:
    """The latest saved versions of the case and its migrant, with the fields each changed.

    Each object's versions are read in one query, one more than are shown, so every version's
    predecessor (simple_history's `prev_record`) is at hand and the diffs cost no query."""
    records = []
    for history in (case.history, case.migrant.history):
        versions = list(history.select_related("history_user")[: HISTORY_PER_RECORD + 1])
        complete = len(versions) <= HISTORY_PER_RECORD  # the oldest version is among them
        for index, record in enumerate(versions[:HISTORY_PER_RECORD]):
            record.previous = _previous(versions, index, complete)
            records.append(record)
    records.sort(key=lambda record: record.history_date, reverse=True)
    rows = []
    for record in records[:HISTORY_ROWS]:
        previous = record.previous
        fields = []
        if previous is not None:
            fields = [change.field for change in record.diff_against(previous).changes]
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "kind": record.get_history_type_display(),
                "object": _("migrant") if record.instance_type is Migrant else _("case"),
                "fields": [field_label(record.instance_type, name) for name in fields],
            }
        )
    return rows


def _previous(versions: list, index: int, complete: bool):
    """What `prev_record` answers (the latest version saved strictly before this one), found
    among the versions read, newest first; the database only when it may lie beyond them."""
    record = versions[index]
    for older in versions[index + 1 :]:
        if older.history_date < record.history_date:
            return older
    return None if complete else record.prev_record


def field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 — a renamed field in old history still shows its name
        return name
