"""Field-level permissions: passport numbers and trafficking details.

Views, serializers and exports read sensitive fields through these functions, never straight
from the model, so a user without the Membership flag never receives the value (not merely a
hidden one in a template). Every reveal is audited. (Exports with identifiers are gated in
stats.services.request_case_export.)
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from audit import services as audit
from audit.actions import Action as AuditAction
from cases.models import Case, Migrant
from cases.permissions import Action, can

# Shown only to members with `can_view_trafficking` when the case is about trafficking.
TRAFFICKING_FIELDS = (
    "summary",
    "employer_name",
    "employer_tax_id",
    "host_address",
    "passport_holder",
    "passport_held_since",
    "passport_recovery_steps",
    "extra_facts",
)
HIDDEN = None


def is_trafficking_case(case: Case) -> bool:
    """Trafficking among any of the case's problems, not only the primary."""
    return case.problem_type == Case.ProblemType.TRAFFICKING or (
        case.pk is not None and Case.ProblemType.TRAFFICKING in case.problem_types
    )


def may_view_trafficking(user, case: Case, *, granted: frozenset[Action] | None = None) -> bool:
    """`granted`: what the user may do in the case's organisation (permissions.allowed_actions),
    when the caller has it already."""
    if not is_trafficking_case(case):
        return True
    if granted is not None:
        return Action.VIEW_TRAFFICKING in granted
    return can(user, case.organisation, Action.VIEW_TRAFFICKING)


def safe_case_view(user, case: Case, *, granted: frozenset[Action] | None = None) -> dict[str, Any]:
    """The case's fields as this user may see them: hidden fields are present but None, with
    `hidden_fields` naming them so a page can say "restricted" instead of "empty"."""
    hidden: list[str] = []
    data: dict[str, Any] = {}
    restricted = not may_view_trafficking(user, case, granted=granted)
    for f in case._meta.concrete_fields:
        if restricted and f.name in TRAFFICKING_FIELDS:
            data[f.name] = HIDDEN
            hidden.append(f.name)
        else:
            data[f.name] = getattr(case, f.attname)
    data["hidden_fields"] = hidden
    return data


def reveal_passport(*, user, migrant: Migrant) -> str:
    """The full passport number, for members allowed to see it; every call is audited."""
    if not can(user, migrant.organisation, Action.REVEAL_IDENTIFIERS):
        audit.record(
            actor=user,
            action=AuditAction.PASSPORT_REVEAL_DENIED,
            organisation=migrant.organisation,
            obj=migrant,
        )
        raise PermissionDenied(Action.REVEAL_IDENTIFIERS)
    audit.record(
        actor=user,
        action=AuditAction.PASSPORT_REVEAL,
        organisation=migrant.organisation,
        obj=migrant,
    )
    return migrant.passport_number
