"""Keeps a case's checklist and deadlines in step with the rules table (content.engine)."""

from __future__ import annotations

from cases import reminders
from cases.models import Case


def sync_plan(*, case: Case, by=None) -> None:
    """Apply the rules in force to the case's checklist items and deadlines (idempotent)."""
    # Filled in by the rules issue; until then a case has no computed checklist.


def case_closed(*, case: Case) -> None:
    """A closed case stops its pending reminders."""
    reminders.cancel_for_case(case=case)
