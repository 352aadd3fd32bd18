"""Who may open a page: the member check and the scoped case lookup every view uses."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, render

from cases import permissions
from cases.models import Case
from cases.organisations import current_membership


def member_required(view):
    """Signed in and an active member of some organisation (platform admins use /admin/)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        membership = current_membership(request)
        if membership is None:
            return render(request, "cases/no_organisation.html", status=403)
        request.membership = membership
        return view(request, *args, **kwargs)

    return wrapper


def allowed(request: HttpRequest, action: permissions.Action, organisation=None) -> bool:
    """Whether the member may do `action` in `organisation` (default: the current one)."""
    return permissions.can(request.user, organisation or request.membership.organisation, action)


def scoped_case(request: HttpRequest, pk: int) -> Case:
    """The case if this user may see it, else 404 (another organisation's case is not found)."""
    queryset = Case.objects.visible_to(request.user).select_related(
        "migrant", "assignee", "organisation"
    )
    return get_object_or_404(queryset, pk=pk)
