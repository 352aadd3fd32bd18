"""Which organisation a user is working in: a user may belong to several and switches."""

from __future__ import annotations

from django.http import HttpRequest

from cases.models import Membership

SESSION_KEY = "organisation_id"


def memberships(user):
    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def current_membership(request: HttpRequest) -> Membership | None:
    if not request.user.is_authenticated:
        return None
    cached = getattr(request, "_current_membership", False)
    if cached is not False:
        return cached
    options = list(memberships(request.user))
    chosen = request.session.get(SESSION_KEY)
    membership = next((m for m in options if m.organisation_id == chosen), None)
    if membership is None and options:
        membership = options[0]
    request._current_membership = membership
    return membership


def switch(request: HttpRequest, organisation_id: int) -> bool:
    if not memberships(request.user).filter(organisation_id=organisation_id).exists():
        return False
    request.session[SESSION_KEY] = organisation_id
    request._current_membership = False
    return True
