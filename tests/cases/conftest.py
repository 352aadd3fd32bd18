from __future__ import annotations

import pytest

from cases.models import Membership
from tests import factories


@pytest.fixture
def org(db):
    return factories.organisation("MSK")


@pytest.fixture
def other_org(db):
    return factories.organisation("EKB")


@pytest.fixture
def caseworker(org):
    return factories.member(org, Membership.Role.CASEWORKER)


@pytest.fixture
def supervisor(org):
    return factories.member(org, Membership.Role.SUPERVISOR)


@pytest.fixture
def org_admin(org):
    return factories.member(org, Membership.Role.ADMIN)


@pytest.fixture
def outsider(other_org):
    return factories.member(other_org, Membership.Role.ADMIN, can_reveal_identifiers=True)


@pytest.fixture
def case(org, caseworker):
    return factories.case(org, caseworker, assignee=caseworker)


@pytest.fixture
def cw_client(client, caseworker):
    client.force_login(caseworker)
    return client
