"""The casework verbs: every status transition and every rule the issue names."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from cases import case_life, memberships, services
from cases.models import Case, Membership, Migrant, TimelineEvent
from tests import factories

S = Case.Status
ALL_STATUSES = list(S.values)


def _case_in(status: str, org, by) -> Case:
    """A case brought to `status` through the services (as a user would)."""
    case = factories.case(org, by)
    if status == S.NEW:
        return case
    if status == S.CLOSED:
        return services.close_case(case=case, outcome="resolved", by=by)
    if status == S.RESOLVED:
        return services.change_status(case=case, to=S.RESOLVED, outcome="resolved", by=by)
    return services.change_status(case=case, to=status, by=by)


# --- Opening and numbering -----------------------------------------------------------------


def test_open_case_numbers_per_organisation_and_year(org, other_org, caseworker):
    year = timezone.localdate().year
    first = factories.case(org, caseworker)
    second = factories.case(org, caseworker)
    other_worker = factories.member(other_org)
    elsewhere = factories.case(other_org, other_worker)
    assert first.number == f"MSK-{year}-00001"
    assert second.number == f"MSK-{year}-00002"
    assert elsewhere.number == f"EKB-{year}-00001"
    assert first.timeline.filter(kind=TimelineEvent.Kind.OPENED).count() == 1


def test_case_sequence_restarts_in_a_new_year(org, caseworker):
    org.case_year, org.case_sequence = 2000, 41
    org.save()
    case = factories.case(org, caseworker)
    assert case.number.endswith("-00001")


def test_open_case_refuses_migrant_of_another_organisation(org, other_org, caseworker):
    foreign = factories.migrant(other_org, factories.member(other_org))
    with pytest.raises(ValidationError) as exc:
        services.open_case(organisation=org, migrant=foreign, problem_type="other", by=caseworker)
    assert "migrant" in exc.value.error_dict
    assert not Case.objects.exists()


def test_open_case_refuses_assignee_from_another_organisation(org, other_org, caseworker):
    stranger = factories.member(other_org)
    person = factories.migrant(org, caseworker)
    with pytest.raises(ValidationError) as exc:
        services.open_case(
            organisation=org, migrant=person, problem_type="other", by=caseworker, assignee=stranger
        )
    assert "assignee" in exc.value.error_dict
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"arrival_date": date.today() + timedelta(days=3)}, "arrival_date"),
        ({"detention_date": date.today() + timedelta(days=1)}, "detention_date"),
        ({"amount_owed": Decimal("0")}, "amount_owed"),
        ({"amount_owed": Decimal("-5")}, "amount_owed"),
        ({"employer_tax_id": "12345"}, "employer_tax_id"),
        (
            {"wage_period_start": date(2026, 5, 1), "wage_period_end": date(2026, 4, 1)},
            "wage_period_end",
        ),
        ({"entry_point": "x" * 101}, "entry_point"),
    ],
)
def test_open_case_rejects_bad_facts_and_saves_nothing(org, caseworker, facts, field):
    person = factories.migrant(org, caseworker)
    with pytest.raises(ValidationError) as exc:
        services.open_case(
            organisation=org, migrant=person, problem_type="unpaid_wages", by=caseworker, **facts
        )
    assert field in exc.value.error_dict
    assert not Case.objects.exists()
    org.refresh_from_db()
    assert org.case_sequence == 0  # the number was not used up


def test_open_case_rejects_unknown_problem_type(org, caseworker):
    person = factories.migrant(org, caseworker)
    with pytest.raises(ValidationError) as exc:
        services.open_case(organisation=org, migrant=person, problem_type="bogus", by=caseworker)
    assert "problem_type" in exc.value.error_dict


# --- Migrants ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+992 93 555 1234", "+992935551234"),
        ("8 (916) 123-45-67", "+79161234567"),
        ("00998 90 123 45 67", "+998901234567"),
        ("+996 555 123 456", "+996555123456"),
    ],
)
def test_create_migrant_normalises_phones(org, caseworker, typed, stored):
    person = factories.migrant(org, caseworker, phone=typed)
    assert person.phone == stored


@pytest.mark.parametrize("typed", ["12", "call me", "+992 12"])
def test_create_migrant_rejects_unparseable_phone(org, caseworker, typed):
    with pytest.raises(ValidationError) as exc:
        factories.migrant(org, caseworker, phone=typed)
    assert "phone" in exc.value.error_dict
    assert not Migrant.objects.exists()


def test_create_migrant_rejects_future_birth_date(org, caseworker):
    with pytest.raises(ValidationError) as exc:
        factories.migrant(org, caseworker, date_of_birth=date.today() + timedelta(days=1))
    assert "date_of_birth" in exc.value.error_dict


def test_passport_number_is_encrypted_at_rest_and_masked(org, caseworker):
    from django.db import connection

    person = factories.migrant(org, caseworker, passport_number="400123456")
    with connection.cursor() as cursor:
        cursor.execute("SELECT passport_number FROM cases_migrant WHERE id = %s", [person.pk])
        raw = cursor.fetchone()[0]
    assert "400123456" not in raw
    assert Migrant.objects.get(pk=person.pk).passport_masked == "•••456"


def test_update_migrant_is_recorded_in_history_with_who(org, caseworker):
    person = factories.migrant(org, caseworker)
    services.update_migrant(migrant=person, by=caseworker, city="Podolsk")
    latest = person.history.first()
    assert latest.city == "Podolsk"
    assert latest.history_type == "~" and latest.history_user == caseworker


def test_find_duplicates_by_phone_and_by_name_with_birth_date(org, other_org, caseworker):
    person = factories.migrant(
        org,
        caseworker,
        phone="+992935551234",
        full_name_latin="Zarina Karimova",
        full_name_cyrillic="Зарина Каримова",
        date_of_birth=date(1995, 1, 2),
    )
    factories.migrant(other_org, factories.member(other_org), phone="+992935551234")
    by_phone = services.find_duplicate_migrants(organisation=org, phone="93 555 12 34 ")
    assert list(by_phone) == []  # without the country code this is read as Russian
    by_phone = services.find_duplicate_migrants(organisation=org, phone="+992 (93) 555-12-34")
    assert list(by_phone) == [person]
    by_name = services.find_duplicate_migrants(
        organisation=org, full_name="Зарина Каримова", date_of_birth=date(1995, 1, 2)
    )
    assert list(by_name) == [person]
    other_day = services.find_duplicate_migrants(
        organisation=org, full_name="Zarina Karimova", date_of_birth=date(1995, 1, 3)
    )
    assert list(other_day) == []


# --- Status workflow ----------------------------------------------------------------------


TRANSITION_TABLE = [
    (old, new, new in services.TRANSITIONS[old])
    for old, new in itertools.product(ALL_STATUSES, ALL_STATUSES)
    if old != new
]


@pytest.mark.parametrize(("old", "new", "allowed"), TRANSITION_TABLE)
def test_every_status_transition(org, supervisor, old, new, allowed):
    case = _case_in(old, org, supervisor)
    outcome = "partly_resolved" if new in Case.CLOSED_STATUSES else ""
    if allowed:
        moved = services.change_status(case=case, to=new, by=supervisor, outcome=outcome)
        assert moved.status == new
        event = moved.timeline.filter(kind=TimelineEvent.Kind.STATUS).first()
        assert event.data["from"] == old and event.data["to"] == new
        assert event.actor == supervisor
        if new in Case.CLOSED_STATUSES:
            assert moved.closed_at is not None and moved.outcome
    else:
        with pytest.raises(ValidationError):
            services.change_status(case=case, to=new, by=supervisor, outcome=outcome)
        case.refresh_from_db()
        assert case.status == old


def test_workflow_table_matches_the_issue():
    # new → in progress → waiting (3 kinds) → resolved or closed; closed is final but reopenable.
    assert S.IN_PROGRESS in services.TRANSITIONS[S.NEW]
    assert set(Case.WAITING_STATUSES) <= services.TRANSITIONS[S.IN_PROGRESS]
    for waiting in Case.WAITING_STATUSES:
        assert {S.IN_PROGRESS, S.RESOLVED, S.CLOSED} <= services.TRANSITIONS[waiting]
    assert services.TRANSITIONS[S.CLOSED] == set()


@pytest.mark.parametrize("target", [S.CLOSED, S.RESOLVED])
def test_closing_requires_an_outcome(case, caseworker, target):
    with pytest.raises(ValidationError) as exc:
        services.change_status(case=case, to=target, by=caseworker)
    assert "outcome" in exc.value.error_dict
    with pytest.raises(ValidationError):
        services.change_status(case=case, to=target, by=caseworker, outcome="made-up")
    case.refresh_from_db()
    assert case.status == S.NEW and not case.timeline.filter(kind="status").exists()


def test_same_status_twice_is_idempotent(case, caseworker):
    services.change_status(case=case, to=S.IN_PROGRESS, by=caseworker)
    services.change_status(case=case, to=S.IN_PROGRESS, by=caseworker)
    assert case.timeline.filter(kind=TimelineEvent.Kind.STATUS).count() == 1


def test_unknown_status_is_a_validation_error(case, caseworker):
    with pytest.raises(ValidationError):
        services.change_status(case=case, to="archived", by=caseworker)


def test_reopen_needs_a_reason_and_clears_the_outcome(case, caseworker, supervisor):
    closed = services.close_case(case=case, outcome="lost_contact", by=caseworker)
    with pytest.raises(ValidationError) as exc:
        case_life.reopen_case(case=closed, reason="  ", by=supervisor)
    assert "reason" in exc.value.error_dict
    reopened = case_life.reopen_case(case=closed, reason="The migrant called back.", by=supervisor)
    assert reopened.status == S.IN_PROGRESS and reopened.outcome == "" and not reopened.closed_at
    event = reopened.timeline.filter(kind=TimelineEvent.Kind.STATUS).first()
    assert event.data["reopened"] and event.text == "The migrant called back."


def test_reopen_of_an_open_case_changes_nothing(case, supervisor):
    case_life.reopen_case(case=case, reason="why", by=supervisor)
    assert not case.timeline.filter(kind=TimelineEvent.Kind.STATUS).exists()


def test_closed_case_facts_are_frozen(case, caseworker):
    services.close_case(case=case, outcome="resolved", by=caseworker)
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        services.update_case_facts(case=case, by=caseworker, employer_name="OOO Other")


def test_update_facts_logs_field_names_not_values(case, caseworker):
    services.update_case_facts(
        case=case, by=caseworker, ban_reason="secret reason", employer_name="OOO Test"
    )
    event = case.timeline.get(kind=TimelineEvent.Kind.FACTS)
    assert event.data == {"fields": ["ban_reason", "employer_name"]}
    assert "secret" not in event.text
    assert case.history.first().history_user == caseworker


def test_status_change_is_in_the_case_history(case, caseworker):
    services.change_status(case=case, to=S.IN_PROGRESS, by=caseworker)
    statuses = list(case.history.values_list("status", flat=True))
    assert statuses[:2] == [S.IN_PROGRESS, S.NEW]


# --- Assignment, notes, tasks -----------------------------------------------------------


def test_assign_within_the_organisation_only(case, org, other_org, supervisor, caseworker):
    stranger = factories.member(other_org)
    with pytest.raises(ValidationError) as exc:
        services.assign_case(case=case, assignee=stranger, by=supervisor)
    assert "assignee" in exc.value.error_dict
    colleague = factories.member(org)
    services.assign_case(case=case, assignee=colleague, by=supervisor)
    case.refresh_from_db()
    assert case.assignee == colleague
    event = case.timeline.get(kind=TimelineEvent.Kind.ASSIGNMENT)
    assert event.data == {"from": caseworker.pk, "to": colleague.pk}


def test_deactivated_member_cannot_be_assigned(case, org, supervisor):
    former = factories.member(org)
    Membership.objects.filter(user=former).update(is_active=False)
    with pytest.raises(ValidationError):
        services.assign_case(case=case, assignee=former, by=supervisor)


def test_caseworker_may_take_a_case_but_not_give_it_away(org, caseworker, supervisor):
    case = factories.case(org, supervisor)
    services.assign_case(case=case, assignee=caseworker, by=caseworker)
    with pytest.raises(PermissionDenied):
        services.assign_case(case=case, assignee=supervisor, by=caseworker)


@pytest.mark.parametrize(
    ("text", "ok"), [("", False), ("   ", False), ("x" * 10_001, False), ("Called.", True)]
)
def test_note_rules(case, caseworker, text, ok):
    if ok:
        note = services.add_note(case=case, text=text, by=caseworker)
        assert note.kind == TimelineEvent.Kind.NOTE and note.actor == caseworker
    else:
        with pytest.raises(ValidationError):
            services.add_note(case=case, text=text, by=caseworker)
        assert not case.timeline.filter(kind=TimelineEvent.Kind.NOTE).exists()


def test_task_add_and_complete_once(case, caseworker):
    task = services.add_task(case=case, title="Call the employer", by=caseworker)
    services.complete_task(task=task, by=caseworker)
    services.complete_task(task=task, by=caseworker)
    assert task.done_at is not None
    assert case.timeline.filter(kind=TimelineEvent.Kind.TASK).count() == 2
    with pytest.raises(ValidationError):
        services.add_task(case=case, title="", by=caseworker)


# --- Members and identifiers --------------------------------------------------------------


def test_add_member_existing_and_new(org, org_admin):
    existing = factories.user("farida")
    membership = memberships.add_member(organisation=org, by=org_admin, existing_user=existing)
    assert membership.role == Membership.Role.CASEWORKER and membership.is_active
    created = memberships.add_member(
        organisation=org,
        by=org_admin,
        role="supervisor",
        new_username="timur",
        new_email="timur@example.org",
        new_password="a-long-enough-passphrase",
    )
    assert created.user.check_password("a-long-enough-passphrase")
    assert AuditEvent.objects.filter(action="membership.add").count() == 2


def test_add_member_rejects_weak_password_and_taken_name(org, org_admin):
    with pytest.raises(ValidationError) as exc:
        memberships.add_member(
            organisation=org, by=org_admin, new_username="x1", new_password="123"
        )
    assert "new_password" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        memberships.add_member(
            organisation=org,
            by=org_admin,
            new_username=org_admin.username.upper(),
            new_password="a-long-enough-passphrase",
        )
    assert "new_username" in exc.value.error_dict


def test_update_membership_roles_flags_and_last_admin(org, org_admin, caseworker):
    membership = Membership.objects.get(user=caseworker)
    memberships.update_membership(
        membership=membership, by=org_admin, role="supervisor", can_reveal_identifiers=True
    )
    membership.refresh_from_db()
    assert membership.role == "supervisor" and membership.can_reveal_identifiers
    own = Membership.objects.get(user=org_admin)
    with pytest.raises(ValidationError):
        memberships.update_membership(membership=own, by=org_admin, is_active=False)
    memberships.update_membership(membership=membership, by=org_admin, is_active=False)
    membership.refresh_from_db()
    assert not membership.is_active
    assert Case.objects.visible_to(caseworker).count() == 0


def test_member_management_is_for_admins(org, supervisor, caseworker):
    with pytest.raises(PermissionDenied):
        memberships.add_member(organisation=org, by=supervisor, existing_user=caseworker)


def test_reveal_passport_needs_the_flag_and_is_audited(org, caseworker):
    person = factories.migrant(org, caseworker, passport_number="400123456")
    with pytest.raises(PermissionDenied):
        services.reveal_passport_number(migrant=person, by=caseworker)
    Membership.objects.filter(user=caseworker).update(can_reveal_identifiers=True)
    assert services.reveal_passport_number(migrant=person, by=caseworker) == "400123456"
    event = AuditEvent.objects.get(action="passport.reveal")
    assert event.actor == caseworker and event.object_id == str(person.pk)
    assert "400123456" not in str(event.detail)
