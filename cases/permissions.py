"""Who may do what: one table of role → actions, checked by services (and so by every interface)."""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from cases.models import Membership, Organisation


class Action(StrEnum):
    VIEW_CASE = "view_case"
    CREATE_CASE = "create_case"
    EDIT_CASE = "edit_case"
    ADD_NOTE = "add_note"
    CHANGE_STATUS = "change_status"
    REOPEN_CASE = "reopen_case"
    ASSIGN_SELF = "assign_self"
    ASSIGN_OTHERS = "assign_others"
    MANAGE_MEMBERS = "manage_members"
    VIEW_STATISTICS = "view_statistics"
    EXPORT_AGGREGATES = "export_aggregates"


_CASEWORKER = {
    Action.VIEW_CASE,
    Action.CREATE_CASE,
    Action.EDIT_CASE,
    Action.ADD_NOTE,
    Action.CHANGE_STATUS,
    Action.ASSIGN_SELF,
}
_SUPERVISOR = _CASEWORKER | {Action.REOPEN_CASE, Action.ASSIGN_OTHERS}
_ADMIN = _SUPERVISOR | {
    Action.MANAGE_MEMBERS,
    Action.VIEW_STATISTICS,
    Action.EXPORT_AGGREGATES,
}
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Membership.Role.CASEWORKER: frozenset(_CASEWORKER),
    Membership.Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Membership.Role.ADMIN: frozenset(_ADMIN),
}


def role_in(user, organisation: Organisation) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    membership = (
        Membership.objects.filter(user=user, organisation=organisation, is_active=True)
        .only("role")
        .first()
    )
    return membership.role if membership else None


def can(user, organisation: Organisation, action: Action) -> bool:
    role = role_in(user, organisation)
    return role is not None and action in ROLE_ACTIONS[role]


def require(user, organisation: Organisation, action: Action) -> None:
    if not can(user, organisation, action):
        raise PermissionDenied(action)
