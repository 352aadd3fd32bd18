"""Which organisation a user is working in: a user may belong to several and switches."""

from __future__ import annotations

from django.http import HttpRequest

from accounts import mfa
from cases.models import Membership, Organisation

SESSION_KEY = "organisation_id"


def memberships(user):
    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def request_memberships(request: HttpRequest) -> list[Membership]:
    """The signed-in user's active memberships, read once per request.

    The MFA middleware, the view decorator and the context processor all need them. The one
    query also carries whether the user has a confirmed second-factor device
    (`user_has_device`, see `accounts.mfa.device_exists`), so the MFA check costs no query of
    its own. Cached on the request for its user only: a request authenticated afresh (an API
    token) never sees another user's memberships.
    """
    user = request.user
    if not user.is_authenticated:
        return []
    cached = getattr(request, "_memberships", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    options = list(memberships(user).annotate(user_has_device=mfa.device_exists(user)))
    request._memberships = (user.pk, options)
    return options


def current_membership(request: HttpRequest) -> Membership | None:
    """The membership chosen in the session, else the first (no query of its own)."""
    options = request_memberships(request)
    chosen = request.session.get(SESSION_KEY)
    membership = next((m for m in options if m.organisation_id == chosen), None)
    if membership is None and options:
        membership = options[0]
    return membership


def organisation_requires_mfa(memberships: list[Membership]) -> bool:
    """Organisation admins, and every member of an organisation with `require_mfa`."""
    return any(m.role == Membership.Role.ADMIN or m.organisation.require_mfa for m in memberships)


def administered_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation the user is working in, when they are its admin (its audit log)."""
    membership = current_membership(request)
    if membership is None or membership.role != Membership.Role.ADMIN:
        return None
    return membership.organisation


def switch(request: HttpRequest, organisation_id: int) -> bool:
    if not memberships(request.user).filter(organisation_id=organisation_id).exists():
        return False
    request.session[SESSION_KEY] = organisation_id
    return True
