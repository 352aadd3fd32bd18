"""Keeps a case's checklist and deadlines in step with the rules table (content.engine)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import concurrency, permissions, scheduling
from cases.models import Case, ChecklistItem, Deadline, TimelineEvent
from content import queries
from content.engine import Facts, Plan

# Case fields the rules may read (content.engine.FACT_VOCABULARY names them the same way).
CASE_FACT_FIELDS = (
    "patent_issue_date",
    "ban_start_date",
    "ban_duration_years",
    "employment_end_date",
    "passport_holder",
    "passport_held_since",
    "detention_date",
    "wage_period_start",
    "wage_period_end",
    "amount_owed",
    "employer_name",
)


def facts_for_case(case: Case) -> Facts:
    """The one place a case's fields become the engine's facts."""
    extra: dict[str, Any] = {}
    if isinstance(case.extra_facts, dict):
        for name, value in case.extra_facts.items():
            if isinstance(value, str):
                try:
                    value = date.fromisoformat(value) if len(value) == 10 else value
                except ValueError:
                    pass
            extra[name] = value
    for name in CASE_FACT_FIELDS:
        value = getattr(case, name)
        if value not in (None, ""):
            extra[name] = value
    return Facts(
        problem_type=case.problem_type,
        other_problem_types=tuple(case.problem_types[1:]),
        citizenship=(case.migrant.citizenship or "").upper(),
        country_of_stay=case.country_of_stay or "RU",
        arrival_date=case.arrival_date,
        extra=extra,
        stays=tuple(case.migrant.stays.values_list("entry_date", "exit_date")),
        addresses=tuple(case.migrant.addresses.values_list("arrival_date", "end_date")),
    )


def plan_for_case(case: Case, *, on: date | None = None, ruleset=None) -> Plan:
    return queries.plan_for(facts_for_case(case), on=on or timezone.localdate(), ruleset=ruleset)


ITEM_FIELDS = ("document_code", "rule_key", "source", "unverified", "position")


def _item_fields(planned) -> dict[str, Any]:
    return {name: getattr(planned, name) for name in ITEM_FIELDS}


def _deadline_fields(planned) -> dict[str, Any]:
    return {
        "title": planned.title[:200],
        "due_date": planned.due,
        "basis_fact": planned.basis_fact,
        "basis_date": planned.basis_date,
        "explanation": planned.explanation,
        "explanations": dict(planned.explanations),
        "rule_key": planned.rule_key,
        "source": planned.source,
        "unverified": planned.unverified,
        "reminder_offsets": list(planned.reminder_offsets),
        "file_by": planned.file_by,
        "provisional": planned.provisional,
    }


def _is_past_occurrence(deadline: Deadline, planned_keys: set[str], today: date) -> bool:
    """A recurring deadline's earlier occurrence stays as history when the next one is planned."""
    if "@" not in deadline.key or deadline.due_date >= today:
        return False
    slot = deadline.key.split("@", 1)[0]
    return any(key.startswith(f"{slot}@") for key in planned_keys)


@transaction.atomic
def sync_plan(
    *, case: Case, by=None, on: date | None = None, reason: str = "", ruleset=None
) -> dict[str, list[str]]:
    """Apply the rules in force to the case's checklist items and deadlines (idempotent).

    Adds what became required, retires what no longer applies (keeping its row and state), never
    touches what people ticked, and leaves closed cases alone. Returns what changed.
    """
    changes: dict[str, list[str]] = {}
    case = (
        Case.objects.select_for_update().select_related("migrant", "organisation").get(pk=case.pk)
    )
    if case.is_closed:
        return changes
    if ruleset.empty if ruleset is not None else not queries.rules_loaded():
        return changes
    today = on or timezone.localdate()
    plan = plan_for_case(case, on=today, ruleset=ruleset)
    _sync_items(case, plan, changes, now=timezone.now())
    moved = _sync_deadlines(case, plan, changes, today=today)
    if changes:
        TimelineEvent.objects.create(
            case=case,
            kind=TimelineEvent.Kind.CHECKLIST,
            actor=by,
            # The reason a person gave and the deadlines moved with why; the line itself is
            # rendered per reader.
            text="\n".join(filter(None, [reason, *moved])),
            data={"plan": changes},
        )
    return changes


def _sync_items(case: Case, plan: Plan, changes: dict[str, list[str]], *, now: datetime) -> None:
    """Add, update, restore and retire checklist items to match the plan."""
    items = {item.key: item for item in case.checklist.all()}
    planned_items = {p.key: p for p in plan.items}
    added: list[ChecklistItem] = []
    for key, planned in planned_items.items():
        fields = _item_fields(planned)
        item = items.get(key)
        if item is None:
            added.append(ChecklistItem(case=case, key=key, **fields))
            changes.setdefault("items_added", []).append(key)
            continue
        differs = {n: v for n, v in fields.items() if getattr(item, n) != v}
        if differs or item.retired_at is not None:
            if item.retired_at is not None:
                changes.setdefault("items_restored", []).append(key)
            else:
                changes.setdefault("items_updated", []).append(key)
            # Only what changed: bulk_update's CASE per row and field cost more than it saved.
            ChecklistItem.objects.filter(pk=item.pk).update(
                **differs, retired_at=None, updated_at=now
            )
    ChecklistItem.objects.bulk_create(added)
    for key, item in items.items():
        if key not in planned_items and item.retired_at is None:
            item.retired_at = now
            item.save(update_fields=["retired_at", "updated_at"])
            changes.setdefault("items_retired", []).append(key)


def _sync_deadlines(
    case: Case, plan: Plan, changes: dict[str, list[str]], *, today: date
) -> list[str]:
    """Add, update, reopen and retire rule deadlines to match the plan; (re)plan reminders.

    The past stays as it was: a met or waived deadline, and a missed one (open, its day gone by)
    whose basis date did not change, keep their due date and explanation. Returns a line for the
    timeline per open deadline whose due date moved."""
    deadlines = {d.key: d for d in case.deadlines.filter(kind=Deadline.Kind.RULE)}
    planned_deadlines = {p.key: p for p in plan.deadlines}
    moved: list[str] = []
    for key, planned in planned_deadlines.items():
        fields = _deadline_fields(planned)
        deadline = deadlines.get(key)
        if deadline is None:
            deadline = Deadline.objects.create(
                case=case, key=key, kind=Deadline.Kind.RULE, **fields
            )
            changes.setdefault("deadlines_added", []).append(key)
            scheduling.schedule_for_deadline(deadline=deadline, new=True)
            continue
        if _is_history(deadline, planned, today=today):
            continue
        was_due, was_basis = deadline.due_date, deadline.basis_date
        if _update_deadline(deadline, fields):
            changes.setdefault("deadlines_updated", []).append(key)
            if deadline.due_date != was_due:
                moved.append(
                    _("%(title)s: due date moved from %(old)s to %(new)s (%(why)s).")
                    % {
                        "title": deadline.title,
                        "old": was_due.isoformat(),
                        "new": deadline.due_date.isoformat(),
                        "why": _("its rule changed")
                        if was_basis == planned.basis_date
                        else _("the date it is counted from changed"),
                    }
                )
            if deadline.state == Deadline.State.OPEN:
                scheduling.schedule_for_deadline(deadline=deadline)
    for key, deadline in deadlines.items():
        if key in planned_deadlines or deadline.state != Deadline.State.OPEN:
            continue
        if _is_past_occurrence(deadline, set(planned_deadlines), today):
            continue
        deadline.state = Deadline.State.RETIRED
        deadline.save(update_fields=["state", "updated_at"])
        scheduling.cancel_for_deadline(deadline=deadline)
        changes.setdefault("deadlines_retired", []).append(key)
    return moved


def _is_history(deadline: Deadline, planned, *, today: date) -> bool:
    """Met, waived, or missed under the same facts: what happened is not re-counted."""
    if deadline.state in (Deadline.State.MET, Deadline.State.WAIVED):
        return True
    return (
        deadline.state == Deadline.State.OPEN
        and deadline.due_date < today
        and deadline.basis_date == planned.basis_date
    )


def _update_deadline(deadline: Deadline, fields: dict[str, Any]) -> bool:
    """Bring a deadline in line with its planned fields (a retired one reopens); changed?"""
    differs = [n for n, v in fields.items() if getattr(deadline, n) != v]
    reopened = deadline.state == Deadline.State.RETIRED
    if not differs and not reopened:
        return False
    for name in differs:
        setattr(deadline, name, fields[name])
    if reopened:
        deadline.state = Deadline.State.OPEN
    deadline.save()
    return True


@transaction.atomic
def set_item_state(
    *,
    item: ChecklistItem,
    state: str,
    by=None,
    note: str = "",
    via_migrant: bool = False,
    expected_version: int | None = None,
) -> ChecklistItem:
    """Record a checklist state change (caseworker or migrant) with a timeline entry."""
    item = ChecklistItem.objects.select_for_update().select_related("case").get(pk=item.pk)
    concurrency.require_version(item, expected_version)
    case = item.case
    if not via_migrant:
        permissions.require(by, case.organisation, permissions.Action.EDIT_CASE)
    if state not in ChecklistItem.State.values:
        raise ValidationError({"state": _("Choose one of the listed states.")})
    if case.is_closed:
        raise ValidationError(_("A closed case cannot be changed; reopen it first."))
    if item.retired_at is not None:
        raise ValidationError(_("This item no longer applies to the case."))
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("Notes are limited to 2,000 characters.")})
    if item.state == state and item.note == note:
        return item  # a double click changes nothing
    old = item.state
    item.state = state
    item.note = note
    if via_migrant:
        item.ticked_by_migrant_at = timezone.now()
    else:
        item.updated_by = by
    item.save()
    TimelineEvent.objects.create(
        case=case,
        kind=TimelineEvent.Kind.MIGRANT if via_migrant else TimelineEvent.Kind.CHECKLIST,
        actor=None if via_migrant else by,
        data={"item": item.key, "document": item.document_code, "from": old, "to": state},
    )
    return item


def case_closed(*, case: Case) -> None:
    """A closed case stops its pending reminders."""
    scheduling.cancel_for_case(case=case)


def case_reopened(*, case: Case, by) -> None:
    """A reopened case follows the rules again and gets back the reminders still ahead.

    Rows cancelled at closing whose time is still ahead are scheduled again; those whose time
    passed while it was closed stay cancelled (scheduling never sends them late).
    """
    sync_plan(case=case, by=by)
    for deadline in case.deadlines.filter(state=Deadline.State.OPEN):
        scheduling.schedule_for_deadline(deadline=deadline)
