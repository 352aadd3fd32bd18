from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from cases import planning
from cases import services as case_services
from cases.models import Membership, Organisation
from portal import services
from tests.content.factories import load_shipped_rules

# A Tajik citizen who arrived 17 days ago: the 15-day registration window
# (registration.treaty_15_days) closed 2 days ago; the 90-day visa-free stay runs on.
ARRIVED_DAYS_AGO = 17


@pytest.fixture
def rules(db):
    """The shipped YAML rules (content/rules/), loaded as `load_rules` does."""
    return load_shipped_rules()


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(
        name="Hamroh Test Centre",
        slug="test",
        code="TST",
        hotline_phone="+74950000001",
        telegram="@hamroh_help",
    )


@pytest.fixture
def caseworker(organisation):
    user = User.objects.create_user(username="cw", password="x" * 12)
    Membership.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def case(organisation, caseworker):
    migrant = case_services.create_migrant(
        organisation=organisation,
        by=caseworker,
        full_name_latin="Rustam Nazarov",
        full_name_cyrillic="Рустам Назаров",
        citizenship="TJ",
        date_of_birth=date(1990, 5, 17),
        preferred_language="tg",
        passport_number="400123456",
    )
    return case_services.open_case(
        organisation=organisation,
        migrant=migrant,
        problem_type="registration",
        by=caseworker,
        host_address="ul. Lenina 1",
        arrival_date=timezone.localdate() - timedelta(days=ARRIVED_DAYS_AGO),
    )


@pytest.fixture
def planned_case(rules, case):
    """The case with the checklist and deadlines the real rules give (real sync_plan)."""
    planning.sync_plan(case=case)
    return case


@pytest.fixture
def issued(case, caseworker):
    return services.issue_link(case=case, by=caseworker)
