"""Keeps a case's checklist and deadlines in step with the rules table (content.engine)."""

from __future__ import annotations

from cases import reminders
from cases.models import Case, ChecklistItem, Deadline


def sync_plan(*, case: Case, by=None) -> None:
    """Apply the rules in force to the case's checklist items and deadlines (idempotent)."""
    # Implemented by the rules issue.


def set_item_state(
    *, item: ChecklistItem, state: str, by=None, note: str = "", via_migrant: bool = False
) -> ChecklistItem:
    """Record a checklist state change (caseworker or migrant) with a timeline entry."""
    raise NotImplementedError  # implemented by the rules issue


def panel_context(*, case: Case) -> dict:
    """What the case page's checklist and deadline panels render."""
    return {
        "checklist_items": case.checklist.filter(retired_at__isnull=True),
        "deadlines": case.deadlines.exclude(state=Deadline.State.RETIRED),
    }


def case_closed(*, case: Case) -> None:
    """A closed case stops its pending reminders."""
    reminders.cancel_for_case(case=case)
