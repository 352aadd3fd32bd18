"""Two organisations, members in every role, and API clients that log in with real tokens."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from api.models import ApiToken
from cases import services
from cases.models import ChecklistItem, Deadline, Delivery, Membership, Organisation, Reminder

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


def make_member(username: str, organisation: Organisation | None, role: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        _token, raw = ApiToken.issue(user=user, name="tests")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def org_a(db) -> Organisation:
    return Organisation.objects.create(name="Hamroh Moscow", slug="msk", code="MSK")


@pytest.fixture
def org_b(db) -> Organisation:
    return Organisation.objects.create(name="Other NGO", slug="spb", code="SPB")


@pytest.fixture
def caseworker(org_a) -> User:
    return make_member("cw_a", org_a, Membership.Role.CASEWORKER)


@pytest.fixture
def supervisor(org_a) -> User:
    return make_member("sup_a", org_a, Membership.Role.SUPERVISOR)


@pytest.fixture
def admin_a(org_a) -> User:
    return make_member("admin_a", org_a, Membership.Role.ADMIN)


@pytest.fixture
def other_caseworker(org_b) -> User:
    return make_member("cw_b", org_b, Membership.Role.CASEWORKER)


@pytest.fixture
def api(caseworker) -> APIClient:
    return client_for(caseworker)


@pytest.fixture
def supervisor_api(supervisor) -> APIClient:
    return client_for(supervisor)


@pytest.fixture
def other_api(other_caseworker) -> APIClient:
    return client_for(other_caseworker)


def make_case(organisation: Organisation, by: User, **facts):
    migrant = services.create_migrant(
        organisation=organisation,
        by=by,
        full_name_latin="Rustam Nazarov",
        citizenship="TJ",
        phone="+992935551234",
    )
    case = services.open_case(
        organisation=organisation,
        migrant=migrant,
        problem_type="registration",
        by=by,
        arrival_date=facts.pop("arrival_date", timezone.localdate() - timedelta(days=2)),
        **facts,
    )
    return case


def add_plan(case) -> tuple[ChecklistItem, Deadline]:
    """A checklist item and a deadline as sync_plan would have made them from the rules."""
    item = ChecklistItem.objects.create(
        case=case, key="registration.slip", document_code="registration_slip", position=1
    )
    deadline = Deadline.objects.create(
        case=case,
        key="registration.7wd",
        title="Register your stay",
        due_date=date.today() + timedelta(days=5),
        basis_fact="arrival_date",
        basis_date=case.arrival_date,
        rule_key="registration.7wd",
        reminder_offsets=[3, 1, 0],
    )
    reminder = Reminder.objects.create(
        deadline=deadline,
        audience=Reminder.Audience.MIGRANT,
        offset_days=3,
        send_at=timezone.now() + timedelta(days=2),
    )
    Delivery.objects.create(reminder=reminder, channel="sms")
    return item, deadline


@pytest.fixture
def case_a(org_a, caseworker):
    return make_case(org_a, caseworker)


@pytest.fixture
def case_b(org_b, other_caseworker):
    return make_case(org_b, other_caseworker)
