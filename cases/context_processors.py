from __future__ import annotations

from django.http import HttpRequest

from cases.organisations import current_membership, request_memberships


def organisation(request: HttpRequest) -> dict:
    """The organisation the signed-in user is working in, and their role there."""
    membership = current_membership(request)
    return {
        "current_membership": membership,
        "current_organisation": membership.organisation if membership else None,
        # For the organisation switcher (a user may belong to several).
        "user_memberships": request_memberships(request) if membership else (),
    }
