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
    # The call log: every member answers the hotline and reads the organisation's calls.
    LOG_CALL = "log_call"
    VIEW_CALLS = "view_calls"
    # Field-level: need the matching Membership flag as well as a role that may view cases.
    REVEAL_IDENTIFIERS = "reveal_identifiers"
    VIEW_TRAFFICKING = "view_trafficking"
    EXPORT_IDENTIFIERS = "export_identifiers"


_CASEWORKER = {
    Action.VIEW_CASE,
    Action.CREATE_CASE,
    Action.EDIT_CASE,
    Action.ADD_NOTE,
    Action.CHANGE_STATUS,
    Action.ASSIGN_SELF,
    Action.LOG_CALL,
    Action.VIEW_CALLS,
}
# Supervisors see their organisation's figures (suppressed like everyone's); exporting them
# stays with administrators.
_SUPERVISOR = _CASEWORKER | {Action.REOPEN_CASE, Action.ASSIGN_OTHERS, Action.VIEW_STATISTICS}
_ADMIN = _SUPERVISOR | {Action.MANAGE_MEMBERS, Action.EXPORT_AGGREGATES}
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Membership.Role.CASEWORKER: frozenset(_CASEWORKER),
    Membership.Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Membership.Role.ADMIN: frozenset(_ADMIN),
}


FLAG_ACTIONS: dict[Action, str] = {
    Action.REVEAL_IDENTIFIERS: "can_reveal_identifiers",
    Action.VIEW_TRAFFICKING: "can_view_trafficking",
    Action.EXPORT_IDENTIFIERS: "can_export_identifiers",
}


def membership_in(user, organisation: Organisation) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user=user, organisation=organisation, is_active=True).first()


def role_in(user, organisation: Organisation) -> str | None:
    membership = membership_in(user, organisation)
    return membership.role if membership else None


def can(user, organisation: Organisation, action: Action) -> bool:
    membership = membership_in(user, organisation)
    if membership is None:
        return False
    if action in FLAG_ACTIONS:
        return getattr(membership, FLAG_ACTIONS[action])
    return action in ROLE_ACTIONS[membership.role]


def require(user, organisation: Organisation, action: Action) -> None:
    if not can(user, organisation, action):
        raise PermissionDenied(action)


def allowed_actions(
    user, organisation: Organisation, *, membership: Membership | None = None
) -> frozenset[Action]:
    """Everything the user may do in the organisation (one query; for rendering pages).
    `membership`: the user's active membership there when the caller has read it already."""
    if (
        membership is None
        or not membership.is_active
        or membership.organisation_id != organisation.pk
        or membership.user_id != getattr(user, "pk", None)
    ):
        membership = membership_in(user, organisation)
    if membership is None:
        return frozenset()
    flags = {action for action, flag in FLAG_ACTIONS.items() if getattr(membership, flag)}
    return frozenset(ROLE_ACTIONS[membership.role] | flags)
