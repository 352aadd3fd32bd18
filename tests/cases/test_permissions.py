"""The permission matrix: each role × each action × own / other organisation, from one table."""

from __future__ import annotations

import pytest

from cases import permissions
from cases.models import Case, Membership
from cases.permissions import Action
from tests import factories

CW, SUP, ADM = Membership.Role.CASEWORKER, Membership.Role.SUPERVISOR, Membership.Role.ADMIN
ROLES = [CW, SUP, ADM]

# Who may do what in their own organisation. Field-level actions need the flag (see below).
EXPECTED: dict[Action, set[str]] = {
    Action.VIEW_CASE: {CW, SUP, ADM},
    Action.CREATE_CASE: {CW, SUP, ADM},
    Action.EDIT_CASE: {CW, SUP, ADM},
    Action.ADD_NOTE: {CW, SUP, ADM},
    Action.CHANGE_STATUS: {CW, SUP, ADM},
    Action.ASSIGN_SELF: {CW, SUP, ADM},
    Action.REOPEN_CASE: {SUP, ADM},
    Action.ASSIGN_OTHERS: {SUP, ADM},
    Action.MANAGE_MEMBERS: {ADM},
    Action.VIEW_STATISTICS: {SUP, ADM},  # issue 21: supervisors see their figures
    Action.EXPORT_AGGREGATES: {ADM},
    Action.LOG_CALL: {CW, SUP, ADM},
    Action.VIEW_CALLS: {CW, SUP, ADM},
    Action.REVEAL_IDENTIFIERS: set(),
    Action.VIEW_TRAFFICKING: set(),
    Action.EXPORT_IDENTIFIERS: set(),
}


def test_table_covers_every_action():
    assert set(EXPECTED) == set(Action)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("where", ["own", "other"])
def test_role_action_matrix(role, action, where):
    own, other = factories.organisation("AAA"), factories.organisation("BBB")
    user = factories.member(own, role)
    target = own if where == "own" else other
    expected = where == "own" and role in EXPECTED[action]
    assert permissions.can(user, target, action) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(permissions.FLAG_ACTIONS))
@pytest.mark.parametrize("where", ["own", "other"])
def test_field_level_flags(role, action, where):
    own, other = factories.organisation("AAA"), factories.organisation("BBB")
    user = factories.member(own, role, **{permissions.FLAG_ACTIONS[action]: True})
    assert permissions.can(user, own if where == "own" else other, action) is (where == "own")


@pytest.mark.django_db
def test_inactive_membership_may_do_nothing():
    org = factories.organisation("AAA")
    user = factories.member(org, ADM)
    Membership.objects.filter(user=user).update(is_active=False)
    assert not any(permissions.can(user, org, action) for action in Action)


# --- The same matrix through the web pages ----------------------------------------------------
# Each row: action, how to exercise it over HTTP, and the status when allowed / refused.


def _setup(where: str, role: str, flag: bool = False):
    own = factories.organisation("AAA")
    other = factories.organisation("BBB")
    owner = factories.member(own, ADM)
    colleague = factories.member(own, CW)
    case = factories.case(own, owner, factories.migrant(own, owner, passport_number="400123456"))
    home = own if where == "own" else other
    user = factories.member(home, role, can_reveal_identifiers=flag)
    return user, case, colleague


def _post(client, url, data):
    return client.post(url, data)


WEB_ACTIONS = {
    Action.VIEW_CASE: lambda c, case, col: c.get(f"/cases/{case.pk}/"),
    Action.EDIT_CASE: lambda c, case, col: c.post(
        f"/cases/{case.pk}/facts/",
        {"country_of_stay": "RU", "currency": "RUB", "employer_name": "OOO Test"},
    ),
    Action.ADD_NOTE: lambda c, case, col: c.post(f"/cases/{case.pk}/notes/", {"text": "hi"}),
    Action.CHANGE_STATUS: lambda c, case, col: c.post(
        f"/cases/{case.pk}/status/", {"to": "in_progress"}
    ),
    Action.ASSIGN_OTHERS: lambda c, case, col: c.post(
        f"/cases/{case.pk}/assign/", {"assignee": col.pk}
    ),
    Action.REOPEN_CASE: lambda c, case, col: c.post(
        f"/cases/{case.pk}/reopen/", {"reason": "came back"}
    ),
    Action.REVEAL_IDENTIFIERS: lambda c, case, col: c.post(f"/cases/{case.pk}/passport/"),
}
OK = {
    Action.VIEW_CASE: 200,
    Action.EDIT_CASE: 302,
    Action.ADD_NOTE: 302,
    Action.CHANGE_STATUS: 302,
    Action.ASSIGN_OTHERS: 302,
    Action.REOPEN_CASE: 302,
    Action.REVEAL_IDENTIFIERS: 200,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(WEB_ACTIONS))
@pytest.mark.parametrize("where", ["own", "other"])
def test_web_matrix(client, role, action, where):
    user, case, colleague = _setup(where, role, flag=True)
    if action == Action.REOPEN_CASE:
        from cases import services

        services.close_case(case=case, outcome="resolved", by=case.created_by)
    client.force_login(user)
    response = WEB_ACTIONS[action](client, case, colleague)
    if where == "other":
        assert response.status_code == 404  # never a 403 that confirms the case exists
        return
    allowed = role in EXPECTED[action] or action in permissions.FLAG_ACTIONS
    assert response.status_code == (OK[action] if allowed else 403)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_members_page_matrix(client, role):
    org = factories.organisation("AAA")
    user = factories.member(org, role)
    client.force_login(user)
    assert client.get("/members/").status_code == (200 if role == ADM else 403)


@pytest.mark.django_db
def test_reveal_without_flag_is_refused(client):
    user, case, _colleague = _setup("own", ADM, flag=False)
    client.force_login(user)
    assert client.post(f"/cases/{case.pk}/passport/").status_code == 403
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "400123456" not in page and "•••456" in page
    assert Case.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_allowed_actions_agrees_with_can(role):
    org = factories.organisation("AAA")
    user = factories.member(org, role, can_view_trafficking=True)
    granted = permissions.allowed_actions(user, org)
    assert granted == {action for action in Action if permissions.can(user, org, action)}
    assert permissions.allowed_actions(user, factories.organisation("BBB")) == frozenset()
