"""Caseworker verbs on deadlines: add a manual one, mark met, waive (the reminders issue)."""

from __future__ import annotations

from datetime import date

from cases.models import Case, Deadline


def add_manual_deadline(
    *, case: Case, title: str, due_date: date, by, reminder_offsets: tuple[int, ...] = (3, 1, 0)
) -> Deadline:
    raise NotImplementedError


def mark_met(*, deadline: Deadline, on: date, by, note: str = "") -> Deadline:
    raise NotImplementedError


def waive(*, deadline: Deadline, reason: str, by) -> Deadline:
    raise NotImplementedError
