"""The verbs of casework (views, the API, admin actions and tasks call these). Every verb is one
transaction with its own timeline entry; ValidationErrors are keyed by field."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cases import (
    casefacts,
    concurrency,
    custody,
    permissions,
    phones,
    planning,
    problems,
    scheduling,
    search,
)
from cases.models import (
    Case,
    Deadline,
    Membership,
    Migrant,
    Organisation,
    Task,
    TimelineEvent,
    phone_q,
)


def record_author(instance: Model, by: User) -> None:
    """Name the author of the next history record of `instance`."""
    # django-simple-history reads the author from this attribute when no request is at hand.
    instance._history_user = by  # type: ignore[attr-defined]


# Facts a caseworker may edit on a case; changing any of them re-plans the case.
CASE_FACT_FIELDS = (
    "country_of_stay",
    "arrival_date",
    "entry_point",
    "host_address",
    "employer_name",
    "employer_tax_id",
    "amount_owed",
    "currency",
    "wage_period_start",
    "wage_period_end",
    "employment_end_date",
    "patent_issue_date",
    "ban_start_date",
    "ban_duration_years",
    "ban_reason",
    "passport_holder",
    "passport_held_since",
    "passport_recovery_steps",
    "detention_date",
    "extra_facts",
)
MIGRANT_FIELDS = (
    "full_name_latin",
    "full_name_cyrillic",
    "date_of_birth",
    "gender",
    "citizenship",
    "phone",
    "phone_secondary",
    "telegram",
    "email",
    "preferred_language",
    "region",
    "city",
    "sector",
    "phone_controlled",
    "safe_call_time",
    "message_hours_start",
    "message_hours_end",
    "do_not_contact",
    "safe_contact_notes",
    "passport_number",
)
# Allowed status moves; closing needs an outcome, reopening needs a reason (see reopen_case).
TRANSITIONS: dict[str, set[str]] = {
    Case.Status.NEW: {
        Case.Status.IN_PROGRESS,
        *Case.WAITING_STATUSES,
        Case.Status.RESOLVED,
        Case.Status.CLOSED,
    },
    Case.Status.IN_PROGRESS: {*Case.WAITING_STATUSES, Case.Status.RESOLVED, Case.Status.CLOSED},
    Case.Status.WAITING_MIGRANT: {
        Case.Status.IN_PROGRESS,
        Case.Status.WAITING_AUTHORITY,
        Case.Status.WAITING_EMPLOYER,
        Case.Status.RESOLVED,
        Case.Status.CLOSED,
    },
    Case.Status.WAITING_AUTHORITY: {
        Case.Status.IN_PROGRESS,
        Case.Status.WAITING_MIGRANT,
        Case.Status.WAITING_EMPLOYER,
        Case.Status.RESOLVED,
        Case.Status.CLOSED,
    },
    Case.Status.WAITING_EMPLOYER: {
        Case.Status.IN_PROGRESS,
        Case.Status.WAITING_MIGRANT,
        Case.Status.WAITING_AUTHORITY,
        Case.Status.RESOLVED,
        Case.Status.CLOSED,
    },
    Case.Status.RESOLVED: {Case.Status.CLOSED},
    Case.Status.CLOSED: set(),
}


def _validate_dates_not_future(values: dict[str, Any], fields: tuple[str, ...]) -> None:
    today = timezone.localdate()
    errors = {
        name: _("This date is in the future.")
        for name in fields
        if isinstance(values.get(name), date) and values[name] > today
    }
    if errors:
        raise ValidationError(errors)


def _apply_migrant_fields(migrant: Migrant, values: dict[str, Any]) -> list[str]:
    """Set, normalise and validate migrant fields; returns the names that changed."""
    unknown = set(values) - set(MIGRANT_FIELDS)
    if unknown:
        raise ValueError(f"not migrant fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    for name in ("phone", "phone_secondary"):
        if values.get(name):
            try:
                values[name] = phones.normalise(values[name])
            except ValueError as exc:
                errors[name] = str(exc)
    if errors:
        raise ValidationError(errors)
    _validate_dates_not_future(values, ("date_of_birth",))
    changed = [name for name, value in values.items() if getattr(migrant, name) != value]
    for name in changed:
        setattr(migrant, name, values[name])
    migrant.search_names = search.index_names(migrant.full_name_latin, migrant.full_name_cyrillic)
    migrant.derive_lookups()
    migrant.full_clean(exclude=["organisation", "created_by"])
    return changed


@transaction.atomic
def create_migrant(*, organisation: Organisation, by: User, **values: Any) -> Migrant:
    """Register a migrant with an organisation."""
    permissions.require(by, organisation, permissions.Action.CREATE_CASE)
    migrant = Migrant(organisation=organisation, created_by=by)
    _apply_migrant_fields(migrant, values)
    record_author(migrant, by)
    migrant.save()
    return migrant


@transaction.atomic
def update_migrant(
    *, migrant: Migrant, by: User, expected_version: int | None = None, **values: Any
) -> Migrant:
    """Correct a migrant's details; StaleEdit if someone saved them since `expected_version`."""
    permissions.require(by, migrant.organisation, permissions.Action.EDIT_CASE)
    migrant = concurrency.lock_current(
        Migrant, migrant.pk, expected_version=expected_version, fields=MIGRANT_FIELDS
    )
    changed = _apply_migrant_fields(migrant, values)
    if changed:
        record_author(migrant, by)
        migrant.save()
    if set(changed) & RESCHEDULING_FIELDS:
        _reschedule_reminders(migrant)
    return migrant


# A migrant's clock and safe hours decide when their reminders are sent.
RESCHEDULING_FIELDS = {"region", "message_hours_start", "message_hours_end"}


def _reschedule_reminders(migrant: Migrant) -> None:
    open_deadlines = Deadline.objects.filter(
        case__migrant=migrant, state=Deadline.State.OPEN
    ).exclude(case__status__in=Case.CLOSED_STATUSES)
    for deadline in open_deadlines.select_related("case__organisation", "case__migrant"):
        scheduling.schedule_for_deadline(deadline=deadline)


def find_duplicate_migrants(
    *,
    organisation: Organisation,
    phone: str = "",
    full_name: str = "",
    date_of_birth: date | None = None,
) -> QuerySet[Migrant]:
    """Likely duplicates: same phone, or same name (in either script) and date of birth."""
    matches = Migrant.objects.none()
    if phone:
        try:
            normalised = phones.normalise(phone)
        except ValueError:
            normalised = ""
        if normalised:
            matches = Migrant.objects.filter(phone_q(normalised), organisation=organisation)
    if full_name and date_of_birth:
        # The birth date is encrypted: the year narrows in SQL, the day is compared here.
        same_name = Migrant.objects.filter(
            search.name_filter(full_name),
            organisation=organisation,
            birth_year=date_of_birth.year,
        )
        born_same = [m.pk for m in same_name if m.date_of_birth == date_of_birth]
        matches = matches | Migrant.objects.filter(pk__in=born_same)
    return matches.distinct()


def _next_case_number(organisation: Organisation) -> str:
    # Row lock so two intakes at once never get the same number.
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    year = timezone.localdate().year
    if org.case_year != year:
        org.case_year, org.case_sequence = year, 0
    org.case_sequence += 1
    org.save(update_fields=["case_year", "case_sequence"])
    return f"{org.code}-{year}-{org.case_sequence:05d}"


def _validate_assignee(organisation: Organisation, assignee: User | None) -> None:
    if assignee is None:
        return
    is_member = Membership.objects.filter(
        organisation=organisation, user=assignee, is_active=True
    ).exists()
    if not is_member:
        raise ValidationError(
            {"assignee": _("The assignee must be a member of this organisation.")}
        )


def _apply_case_facts(case: Case, facts: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    unknown = set(facts) - set(CASE_FACT_FIELDS)
    if unknown:
        raise ValueError(f"not case facts: {sorted(unknown)}")
    if "extra_facts" in facts:  # declared facts only, all errors at once
        facts["extra_facts"] = casefacts.clean_extra_facts(case.extra_facts, facts["extra_facts"])
    custody.record_reviewed(case, facts)
    _validate_dates_not_future(
        facts,
        (
            "arrival_date",
            "ban_start_date",
            "passport_held_since",
            "detention_date",
            "employment_end_date",
            "patent_issue_date",
            "wage_period_start",
        ),
    )
    if facts.get("amount_owed") is not None and facts["amount_owed"] <= 0:
        raise ValidationError({"amount_owed": _("The amount owed must be more than zero.")})
    start = facts.get("wage_period_start", case.wage_period_start)
    end = facts.get("wage_period_end", case.wage_period_end)
    if start and end and end < start:
        raise ValidationError(
            {"wage_period_end": _("The end of the unpaid period is before its start.")}
        )
    changes = {
        name: (getattr(case, name), value)
        for name, value in facts.items()
        if getattr(case, name) != value
    }
    for name, (_old, new) in changes.items():
        setattr(case, name, new)
    return changes


@transaction.atomic
def open_case(
    *,
    organisation: Organisation,
    migrant: Migrant,
    problem_type: str,
    by: User,
    other_problem_types: tuple[str, ...] = (),
    assignee: User | None = None,
    priority: str = Case.Priority.NORMAL,
    summary: str = "",
    **facts: Any,
) -> Case:
    """Open a case for a migrant of the organisation, number it, and plan its checklist."""
    permissions.require(by, organisation, permissions.Action.CREATE_CASE)
    if migrant.organisation_id != organisation.pk:
        raise ValidationError({"migrant": _("This migrant belongs to another organisation.")})
    _validate_assignee(organisation, assignee)
    problem_types = problems.clean_problem_types(problem_type, other_problem_types)
    case = Case(
        organisation=organisation,
        migrant=migrant,
        problem_type=problem_type,
        priority=priority,
        summary=summary,
        assignee=assignee,
        created_by=by,
        country_of_stay=organisation.country_of_stay,
    )
    if not facts.get("arrival_date"):  # the latest recorded entry, if the migrant has one
        latest = migrant.stays.order_by("-entry_date").first()
        if latest is not None:
            facts["arrival_date"] = latest.entry_date
    _apply_case_facts(case, facts)
    case.full_clean(exclude=["number", "organisation", "migrant", "assignee", "created_by"])
    case.number = _next_case_number(organisation)
    record_author(case, by)
    case.save()
    problems.write_problems(case, problem_types)
    TimelineEvent.objects.create(
        case=case,
        kind=TimelineEvent.Kind.OPENED,
        actor=by,
        data={"problem_type": problem_type, "problem_types": problem_types},
    )
    planning.sync_plan(case=case, by=by)
    return case


@transaction.atomic
def update_case_facts(
    *, case: Case, by: User, expected_version: int | None = None, **facts: Any
) -> Case:
    """Correct a case's facts; the checklist and deadlines follow (sync_plan). StaleEdit if
    someone saved the facts since `expected_version` (the version the editor read)."""
    permissions.require(by, case.organisation, permissions.Action.EDIT_CASE)
    case = concurrency.lock_current(
        Case, case.pk, expected_version=expected_version, fields=CASE_FACT_FIELDS
    )
    if case.is_closed:
        raise ValidationError(_("A closed case cannot be changed; reopen it first."))
    changes = _apply_case_facts(case, facts)
    if not changes:
        return case
    case.full_clean(exclude=["organisation", "migrant", "assignee", "created_by"])
    record_author(case, by)
    case.save()
    TimelineEvent.objects.create(
        case=case,
        kind=TimelineEvent.Kind.FACTS,
        actor=by,
        # Sensitive free text is not copied into the timeline: only which fields changed.
        data={"fields": sorted(changes)},
    )
    planning.sync_plan(case=case, by=by)
    return case


@transaction.atomic
def change_status(*, case: Case, to: str, by: User, outcome: str = "", reason: str = "") -> Case:
    """Move a case along its workflow. Closing needs an outcome."""
    permissions.require(by, case.organisation, permissions.Action.CHANGE_STATUS)
    if to not in Case.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    case = Case.objects.select_for_update().get(pk=case.pk)
    if to == case.status:
        return case  # idempotent: a double-submit changes nothing
    if to not in TRANSITIONS.get(case.status, set()):
        raise ValidationError(
            {
                "status": _("A case cannot move from “%(from)s” to “%(to)s”.")
                % {"from": case.get_status_display(), "to": Case.Status(to).label}
            }
        )
    if to in Case.CLOSED_STATUSES:
        if outcome not in Case.Outcome.values or not outcome:
            raise ValidationError({"outcome": _("Choose an outcome to close the case.")})
        case.outcome = outcome
        case.closed_at = timezone.now()
    old = case.status
    case.status = to
    record_author(case, by)
    case.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    TimelineEvent.objects.create(
        case=case,
        kind=TimelineEvent.Kind.STATUS,
        actor=by,
        text=reason,
        data={"from": old, "to": to, "outcome": case.outcome},
    )
    if case.is_closed:
        planning.case_closed(case=case)
    return case


def close_case(*, case: Case, outcome: str, by: User, reason: str = "") -> Case:
    return change_status(case=case, to=Case.Status.CLOSED, by=by, outcome=outcome, reason=reason)


@transaction.atomic
def assign_case(*, case: Case, assignee: User | None, by: User) -> Case:
    """Give a case to a member of its organisation (or to nobody)."""
    action = (
        permissions.Action.ASSIGN_SELF
        if assignee is not None and assignee.pk == by.pk
        else permissions.Action.ASSIGN_OTHERS
    )
    permissions.require(by, case.organisation, action)
    _validate_assignee(case.organisation, assignee)
    if case.assignee_id == (assignee.pk if assignee else None):
        return case
    old = case.assignee_id
    case.assignee = assignee
    record_author(case, by)
    case.save(update_fields=["assignee", "updated_at"])
    TimelineEvent.objects.create(
        case=case,
        kind=TimelineEvent.Kind.ASSIGNMENT,
        actor=by,
        data={"from": old, "to": assignee.pk if assignee else None},
    )
    return case


MAX_BULK = 200


@transaction.atomic
def assign_cases(
    *, organisation: Organisation, case_ids: list[int], assignee: User | None, by: User
) -> int:
    """Give several cases to one member (or to nobody) in one go; returns how many changed.

    All or nothing: a case of another organisation, or one that does not exist, refuses the
    whole request. Each case gets its own timeline entry, as when assigned one by one.
    """
    permissions.require(by, organisation, permissions.Action.ASSIGN_OTHERS)
    ids = sorted(set(case_ids))
    if not ids:
        raise ValidationError({"cases": _("Choose at least one case.")})
    if len(ids) > MAX_BULK:
        raise ValidationError({"cases": _("At most %(n)d cases at once.") % {"n": MAX_BULK}})
    cases = list(
        Case.objects.select_for_update(of=("self",))
        .filter(organisation=organisation, pk__in=ids)
        .select_related("organisation")
    )
    if len(cases) != len(ids):
        raise ValidationError({"cases": _("Some of the chosen cases cannot be found.")})
    before = {case.pk: case.assignee_id for case in cases}
    for case in cases:
        assign_case(case=case, assignee=assignee, by=by)
    return sum(before[case.pk] != case.assignee_id for case in cases)


def add_note(*, case: Case, text: str, by: User) -> TimelineEvent:
    """An internal note on the case timeline."""
    permissions.require(by, case.organisation, permissions.Action.ADD_NOTE)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("The note is empty.")})
    if len(text) > 10_000:
        raise ValidationError({"text": _("Notes are limited to 10,000 characters.")})
    return TimelineEvent.objects.create(
        case=case, kind=TimelineEvent.Kind.NOTE, actor=by, text=text
    )


@transaction.atomic
def add_task(
    *,
    case: Case,
    title: str,
    by: User,
    due_date: date | None = None,
    assignee: User | None = None,
) -> Task:
    permissions.require(by, case.organisation, permissions.Action.EDIT_CASE)
    _validate_assignee(case.organisation, assignee)
    task = Task(case=case, title=title.strip(), due_date=due_date, assignee=assignee, created_by=by)
    task.full_clean()
    task.save()
    TimelineEvent.objects.create(
        case=case, kind=TimelineEvent.Kind.TASK, actor=by, data={"task": task.pk, "added": True}
    )
    return task


@transaction.atomic
def complete_task(*, task: Task, by: User) -> Task:
    permissions.require(by, task.case.organisation, permissions.Action.EDIT_CASE)
    if task.done_at is None:
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
        TimelineEvent.objects.create(
            case=task.case,
            kind=TimelineEvent.Kind.TASK,
            actor=by,
            data={"task": task.pk, "done": True},
        )
    return task


def reveal_passport_number(*, migrant: Migrant, by: User) -> str:
    """The full passport number, for those granted it; every reveal is audited."""
    from audit import services as audit
    from audit.actions import Action

    permissions.require(by, migrant.organisation, permissions.Action.REVEAL_IDENTIFIERS)
    audit.record(
        actor=by,
        action=Action.PASSPORT_REVEAL,
        organisation=migrant.organisation,
        obj=migrant,
        detail={"field": "passport_number"},
    )
    return migrant.passport_number or ""
