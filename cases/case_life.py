"""A case's life after closing: reopen, undo within a short window, and reopen on request.

The caseworker who closed a case may undo it for CASE_CLOSE_UNDO_MINUTES (a mis-click, the
wrong case); after that, reopening is a supervisor's call (REOPEN_CASE), so a caseworker asks
for it and the supervisor sees the request on the dashboard and the case page and grants it.
Every way back goes through `_reopen`, which brings back the reminders still ahead.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import permissions, planning
from cases.models import Case, TimelineEvent

REOPEN_REQUEST = ["reopen_requested_at", "reopen_requested_by"]


def _reopen(case: Case, *, reason: str, by, back_to: str = Case.Status.IN_PROGRESS) -> Case:
    old = case.status
    case.status = back_to
    case.outcome = ""
    case.closed_at = case.reopen_requested_at = case.reopen_requested_by = None
    case._history_user = by
    case.save(update_fields=["status", "outcome", "closed_at", *REOPEN_REQUEST, "updated_at"])
    TimelineEvent.objects.create(
        case=case,
        kind=TimelineEvent.Kind.STATUS,
        actor=by,
        text=reason,
        data={"from": old, "to": case.status, "reopened": True},
    )
    planning.case_reopened(case=case, by=by)
    return case


@transaction.atomic
def reopen_case(*, case: Case, reason: str, by) -> Case:
    """Reopen a resolved or closed case (a supervisor's call); the reason goes on the timeline.

    Granting a caseworker's request is this too: the request is cleared with the reopening.
    """
    permissions.require(by, case.organisation, permissions.Action.REOPEN_CASE)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_closed:
        return case
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is reopened.")})
    return _reopen(case, reason=reason, by=by)


def _closing_event(case: Case) -> TimelineEvent | None:
    return (
        case.timeline.filter(kind=TimelineEvent.Kind.STATUS, data__to=case.status)
        .order_by("-created_at", "-id")
        .first()
    )


def may_undo_close(case: Case, user, *, now=None) -> bool:
    """Closed by this user within the undo window."""
    if not case.is_closed or case.closed_at is None:
        return False
    window = timedelta(minutes=settings.CASE_CLOSE_UNDO_MINUTES)
    if case.closed_at < (now or timezone.now()) - window:
        return False
    event = _closing_event(case)
    return event is not None and event.actor_id == user.pk


@transaction.atomic
def undo_close(*, case: Case, by) -> Case:
    """The closer takes the close back within the window; the case returns to its status."""
    permissions.require(by, case.organisation, permissions.Action.CHANGE_STATUS)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_closed:
        return case  # idempotent: already undone
    if not may_undo_close(case, by):
        raise ValidationError(
            _("The time to undo has passed: ask a supervisor to reopen the case.")
        )
    event = _closing_event(case)
    back_to = (event.data or {}).get("from") if event else ""
    if back_to not in Case.Status.values or back_to in Case.CLOSED_STATUSES:
        back_to = Case.Status.IN_PROGRESS
    return _reopen(case, reason=_("Closing undone."), by=by, back_to=back_to)


@transaction.atomic
def request_reopen(*, case: Case, reason: str, by) -> Case:
    """A caseworker asks a supervisor to reopen; the reason goes on the timeline."""
    permissions.require(by, case.organisation, permissions.Action.CHANGE_STATUS)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_closed or case.reopen_requested_at is not None:
        return case  # nothing to ask, or already asked
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case should be reopened.")})
    case.reopen_requested_at, case.reopen_requested_by = timezone.now(), by
    case._history_user = by
    case.save(update_fields=[*REOPEN_REQUEST, "updated_at"])
    TimelineEvent.objects.create(
        case=case,
        kind=TimelineEvent.Kind.STATUS,
        actor=by,
        text=reason,
        data={"reopen_requested": True},
    )
    return case


def reopen_requests(organisation):
    """Closed cases waiting for a supervisor to grant a reopen, oldest request first."""
    return (
        Case.objects.filter(organisation=organisation, reopen_requested_at__isnull=False)
        .select_related("reopen_requested_by")
        .order_by("reopen_requested_at")
    )
