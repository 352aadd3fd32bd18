"""Caseworker verbs on deadlines: add a manual one, mark met, waive (the reminders issue).

Each verb is one transaction: the deadline row, its reminders and the timeline entry change
together or not at all.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases import concurrency, permissions, scheduling
from cases.event_codes import coded
from cases.models import Case, Deadline, TimelineEvent

MAX_OFFSET_DAYS = 365


def _require_open_case(case: Case, by) -> None:
    permissions.require(by, case.organisation, permissions.Action.EDIT_CASE)
    if case.is_closed:
        raise ValidationError(_("A closed case cannot be changed; reopen it first."))


def _clean_offsets(offsets) -> list[int]:
    try:
        values = sorted({int(o) for o in offsets}, reverse=True)
    except (TypeError, ValueError):
        raise ValidationError(
            {"reminder_offsets": _("Offsets are whole numbers of days.")}
        ) from None
    if any(v < 0 or v > MAX_OFFSET_DAYS for v in values):
        raise ValidationError(
            {
                "reminder_offsets": _("Offsets are between 0 and %(max)d days.")
                % {"max": MAX_OFFSET_DAYS}
            }
        )
    return values


@transaction.atomic
def add_manual_deadline(
    *, case: Case, title: str, due_date: date, by, reminder_offsets: tuple[int, ...] = (3, 1, 0)
) -> Deadline:
    """A deadline the rules do not know (court hearing, appointment), with its own reminders."""
    _require_open_case(case, by)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Say what the deadline is.")
    elif len(title) > 200:
        errors["title"] = _("Keep the title under 200 characters.")
    if not isinstance(due_date, date):
        errors["due_date"] = _("Enter a date.")
    elif due_date < scheduling.local_today(case.organisation):
        errors["due_date"] = _("The date has passed.")
    if errors:
        raise ValidationError(errors)
    offsets = _clean_offsets(reminder_offsets)
    deadline = Deadline.objects.create(
        case=case,
        key=f"manual-{uuid.uuid4().hex[:12]}",
        kind=Deadline.Kind.MANUAL,
        title=title,
        due_date=due_date,
        reminder_offsets=offsets,
        explanation=_("Added by a caseworker."),
        created_by=by,
    )
    TimelineEvent.objects.create(
        case=case,
        kind=TimelineEvent.Kind.DEADLINE,
        actor=by,
        data={
            "deadline": deadline.pk,
            "added": True,
            "due_date": due_date.isoformat(),
            **coded(
                gettext_noop("Deadline added: “%(title)s” on %(date)s."),
                title=title,
                date=due_date.isoformat(),
            ),
        },
    )
    scheduling.schedule_for_deadline(deadline=deadline)
    return deadline


def _locked(deadline: Deadline) -> Deadline:
    return (
        Deadline.objects.select_for_update()
        .select_related("case__organisation")
        .get(pk=deadline.pk)
    )


@transaction.atomic
def mark_met(
    *, deadline: Deadline, on: date, by, note: str = "", expected_version: int | None = None
) -> Deadline:
    """The obligation is satisfied: record when and on what evidence; reminders stop."""
    deadline = _locked(deadline)
    concurrency.require_version(deadline, expected_version)
    _require_open_case(deadline.case, by)
    if deadline.state == Deadline.State.MET:
        return deadline  # a double submit changes nothing
    if deadline.state != Deadline.State.OPEN:
        raise ValidationError(_("Only an open deadline can be marked met."))
    if not isinstance(on, date):
        raise ValidationError({"on": _("Enter a date.")})
    if on > scheduling.local_today(deadline.case.organisation):
        raise ValidationError({"on": _("This date is in the future.")})
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep the note under 2,000 characters.")})
    deadline.state, deadline.resolved_on, deadline.resolution_note = Deadline.State.MET, on, note
    deadline.save(update_fields=["state", "resolved_on", "resolution_note", "updated_at"])
    scheduling.cancel_for_deadline(deadline=deadline)
    TimelineEvent.objects.create(
        case=deadline.case,
        kind=TimelineEvent.Kind.DEADLINE,
        actor=by,
        data={
            "deadline": deadline.pk,
            "state": "met",
            "on": on.isoformat(),
            **coded(
                gettext_noop("Deadline met on %(date)s: “%(title)s”. Pending reminders cancelled."),
                date=on.isoformat(),
                title=deadline.title,
            ),
        },
    )
    return deadline


@transaction.atomic
def waive(*, deadline: Deadline, reason: str, by, expected_version: int | None = None) -> Deadline:
    """The obligation no longer applies to this migrant: say why; reminders stop."""
    deadline = _locked(deadline)
    concurrency.require_version(deadline, expected_version)
    _require_open_case(deadline.case, by)
    if deadline.state == Deadline.State.WAIVED:
        return deadline
    if deadline.state != Deadline.State.OPEN:
        raise ValidationError(_("Only an open deadline can be waived."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the deadline is waived.")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("Keep the reason under 2,000 characters.")})
    deadline.state = Deadline.State.WAIVED
    deadline.resolved_on = timezone.localdate()
    deadline.resolution_note = reason
    deadline.save(update_fields=["state", "resolved_on", "resolution_note", "updated_at"])
    scheduling.cancel_for_deadline(deadline=deadline)
    TimelineEvent.objects.create(
        case=deadline.case,
        kind=TimelineEvent.Kind.DEADLINE,
        actor=by,
        data={
            "deadline": deadline.pk,
            "state": "waived",
            **coded(
                gettext_noop("Deadline waived: “%(title)s”. Pending reminders cancelled."),
                title=deadline.title,
            ),
        },
    )
    return deadline
