"""The call log's verbs: log a hotline or office call, link it to a case (or to the case opened
from it), find the caller, and what the intake form starts from when a call becomes a case.
Views and the API call these; ValidationErrors are keyed by the form's field names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from cases import permissions, search, services
from cases.event_codes import coded
from cases.models import Call, Case, Migrant, Organisation, TimelineEvent

# A clock a few minutes fast on the caseworker's phone is not an error; tomorrow's call is.
_CLOCK_SKEW = timedelta(minutes=10)
NOTE_LIMIT: int = Call._meta.get_field("note").max_length or 500
RECENT_LANGUAGE_CALLS = 50


def _clean_topics(topics: Any) -> list[str]:
    if not isinstance(topics, list | tuple | set):
        raise ValidationError({"topics": _("Choose topics from the list of problems.")})
    unknown = [t for t in topics if t not in Case.ProblemType.values]
    if unknown:
        raise ValidationError({"topics": _("Choose topics from the list of problems.")})
    # In the problem list's order: one order for every call, as statistics group by the
    # list's text, and the first is the main problem of a case opened from the call.
    return [code for code in Case.ProblemType.values if code in set(topics)]


def _check_links(organisation: Organisation, migrant: Migrant | None, case: Case | None) -> None:
    if migrant is not None and migrant.organisation_id != organisation.pk:
        raise ValidationError({"migrant": _("This migrant belongs to another organisation.")})
    if case is not None and case.organisation_id != organisation.pk:
        raise ValidationError({"case": _("This case belongs to another organisation.")})
    if case is not None and migrant is not None and case.migrant_id != migrant.pk:
        raise ValidationError({"case": _("This case is not the caller's.")})


def _validate(call: Call) -> None:
    """Every rule of a call at once, keyed by field, so a form shows them together."""
    errors: dict[str, str] = {}
    if call.received_at > timezone.now() + _CLOCK_SKEW:
        errors["received_at"] = _("This time is in the future.")
    if len(call.note) > NOTE_LIMIT:
        errors["note"] = _("Keep the note under %(limit)s characters; write more on the case.") % {
            "limit": NOTE_LIMIT
        }
    if call.outcome == Call.Outcome.CASE_OPENED and call.case_id is None:
        errors["outcome"] = _("Use “Save and open a case”: no case is linked to this call yet.")
    if call.outcome == Call.Outcome.ADDED_TO_CASE and call.case_id is None:
        errors["outcome"] = _("Choose the caller's case to add the call to.")
    if call.follow_up_due and not call.follow_up:
        errors["follow_up"] = _("Say what is to be done by that date.")
    if call.follow_up_due and call.follow_up_due < timezone.localdate():
        errors["follow_up_due"] = _("This date is in the past.")
    try:
        call.full_clean(exclude=["organisation", "migrant", "case", "follow_up_task", "taken_by"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, messages[0])
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def log_call(
    *,
    organisation: Organisation,
    by: User,
    language: str,
    outcome: str,
    topics: list[str] | tuple[str, ...] = (),
    line: str = Call.Line.HOTLINE,
    received_at: datetime | None = None,
    migrant: Migrant | None = None,
    case: Case | None = None,
    note: str = "",
    follow_up: str = "",
    follow_up_due: date | None = None,
) -> Call:
    """Record a call. A known caller is one of the organisation's migrants (the case's, when a
    case is given); a follow-up becomes a task on the case, or waits on the call for one."""
    permissions.require(by, organisation, permissions.Action.LOG_CALL)
    if case is not None and migrant is None:
        migrant = case.migrant
    _check_links(organisation, migrant, case)
    call = Call(
        organisation=organisation,
        received_at=received_at or timezone.now(),
        line=line,
        migrant=migrant,
        case=case,
        language=language,
        topics=_clean_topics(topics),
        outcome=outcome,
        note=note.strip(),
        follow_up=follow_up.strip(),
        follow_up_due=follow_up_due,
        taken_by=by,
    )
    _validate(call)
    services.record_author(call, by)
    call.save()
    if case is not None:
        _on_case(call, by)
    return call


@transaction.atomic
def link_call(*, call: Call, case: Case, by: User, opened: bool = False) -> Call:
    """Attach a call to a case of its organisation (`opened`: the case was opened from it).

    The caller becomes the case's migrant; a waiting follow-up becomes a task on the case."""
    permissions.require(by, call.organisation, permissions.Action.LOG_CALL)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.case_id == case.pk:
        return call  # idempotent: a double submit links once
    if call.case_id is not None:
        raise ValidationError({"case": _("This call is already linked to another case.")})
    _check_links(call.organisation, call.migrant, case)
    call.case, call.migrant = case, case.migrant
    if opened:
        call.outcome = Call.Outcome.CASE_OPENED  # otherwise what was done on the call stays
    services.record_author(call, by)
    call.save(update_fields=["case", "migrant", "outcome", "updated_at"])
    _on_case(call, by)
    return call


def _on_case(call: Call, by: User) -> None:
    """The case's side of a linked call: a timeline line, and the follow-up as a task."""
    assert call.case is not None
    TimelineEvent.objects.create(
        case=call.case,
        kind=TimelineEvent.Kind.CALL,
        actor=by,
        text=call.note,
        data={"call": call.pk, **coded(gettext_noop("Call logged"))},
    )
    if call.follow_up and call.follow_up_task_id is None:
        task = services.add_task(
            case=call.case, title=call.follow_up, due_date=call.follow_up_due, by=by, assignee=by
        )
        call.follow_up_task = task
        call.save(update_fields=["follow_up_task", "updated_at"])


def visible_calls(user: User, organisation: Organisation) -> QuerySet[Call]:
    """The calls of the organisation the user is working in (never another's)."""
    return (
        Call.objects.visible_to(user)
        .filter(organisation=organisation)
        .select_related("migrant", "case", "taken_by", "follow_up_task")
    )


def default_language(organisation: Organisation) -> str:
    """The language most of the organisation's recent calls were in; Russian to start with."""
    recent = Call.objects.filter(organisation=organisation).order_by("-received_at")
    ids = recent.values("pk")[:RECENT_LANGUAGE_CALLS]
    top = (
        Call.objects.filter(pk__in=ids)
        .values("language")
        .annotate(n=Count("pk"))
        .order_by("-n", "language")
        .first()
    )
    return top["language"] if top else Call.Language.RU


@dataclass
class Caller:
    """A migrant the search found, with their cases (open first) to link the call to."""

    migrant: Migrant
    cases: list[Case] = field(default_factory=list)


CALLERS_SHOWN = 8


def find_callers(*, user: User, organisation: Organisation, text: str) -> list[Caller]:
    """Who may be calling: the case list's search (name in either script, phone, case number)
    over the organisation's cases, grouped by migrant."""
    text = " ".join(text.split())[:200]
    if not text:
        return []
    migrants = Migrant.objects.visible_to(user).filter(organisation=organisation)
    cases = (
        Case.objects.visible_to(user)
        .filter(organisation=organisation)
        .filter(search.case_query(text, migrants))
        .select_related("migrant")
        .order_by("-opened_at", "-id")[:50]
    )
    found: dict[int, Caller] = {}
    for case in cases:
        caller = found.setdefault(case.migrant_id, Caller(case.migrant))
        caller.cases.append(case)
        if len(found) > CALLERS_SHOWN:
            del found[case.migrant_id]
            break
    for caller in found.values():
        caller.cases.sort(key=lambda c: (c.is_closed, -c.opened_at.timestamp()))
    return list(found.values())


@dataclass(frozen=True)
class IntakeStart:
    """What the intake form starts from for a case opened from a call."""

    migrant: Migrant | None  # a known caller: the case is theirs, nobody is registered
    migrant_initial: dict[str, Any]
    case_initial: dict[str, Any]


def intake_start(call: Call) -> IntakeStart:
    topics = list(call.topics) or [Case.ProblemType.OTHER]
    migrant_initial = {}
    if call.language in Migrant.Language.values:
        migrant_initial["preferred_language"] = call.language
    case_initial = {
        "problem_type": topics[0],
        "other_problem_types": topics[1:],
        "summary": call.note,
    }
    return IntakeStart(call.migrant, migrant_initial, case_initial)


def call_for_intake(*, user: User, organisation: Organisation, raw_id: str) -> Call | None:
    """The call a case is being opened from: one of the organisation's, not yet linked."""
    if not raw_id.isdigit() or len(raw_id) > 18:
        return None
    return visible_calls(user, organisation).filter(pk=int(raw_id), case__isnull=True).first()
