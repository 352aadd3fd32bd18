from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from accounts.models import User
from cases import services as case_services
from cases.models import Membership, Organisation
from portal import services
from tests.portal import fakes


@pytest.fixture
def fake_rules(monkeypatch):
    """TEMPORARY: the rules engineer's selectors and set_item_state (see tests/portal/fakes.py)."""
    fakes.install(monkeypatch)


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
        problem_type="documents_confiscated",
        by=caseworker,
        host_address="ul. Lenina 1",
    )


@pytest.fixture
def planned_case(case):
    fakes.add_plan_rows(case, today=timezone.localdate())
    return case


@pytest.fixture
def issued(case, caseworker):
    return services.issue_link(case=case, by=caseworker)
