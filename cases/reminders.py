"""Reminders about deadlines: planning their send times, cancelling them, delivering them.

The reminders issue fills this module in; the rules issue and the casework UI call it.
"""

from __future__ import annotations

from cases.models import Case, Deadline


def schedule_for_deadline(*, deadline: Deadline) -> None:
    """(Re)plan the deadline's reminders from its due date and offsets (idempotent)."""


def cancel_for_deadline(*, deadline: Deadline) -> None:
    """Cancel the deadline's pending reminders (met, waived, retired)."""


def cancel_for_case(*, case: Case) -> None:
    """Cancel every pending reminder of a case (closed)."""
