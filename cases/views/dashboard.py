"""The caseworker's start page, and switching organisation and language."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from cases import case_life, queries
from cases.models import Membership
from cases.organisations import switch
from cases.views.access import member_required
from cases.views.case_list import SEARCH_SESSION_KEY


@member_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    is_supervisor = membership.role in (Membership.Role.SUPERVISOR, Membership.Role.ADMIN)
    context = queries.dashboard(request.user, membership.organisation, is_supervisor=is_supervisor)
    context["is_supervisor"] = is_supervisor
    if is_supervisor:
        context["reopen_requests"] = case_life.reopen_requests(membership.organisation)[:20]
    return render(request, "cases/dashboard.html", context)


@login_required
@require_POST
def organisation_switch(request: HttpRequest) -> HttpResponse:
    try:
        organisation_id = int(request.POST.get("organisation", ""))
    except ValueError:
        organisation_id = 0
    if not switch(request, organisation_id):
        raise Http404
    # Saved searches belong to the organisation they were typed in.
    request.session.pop(SEARCH_SESSION_KEY, None)
    return redirect("cases:dashboard")


@login_required
@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    if language in dict(translation.trans_real.get_languages()) and language in ("en", "ru"):
        request.user.language = language
        request.user.save(update_fields=["language"])
        translation.activate(language)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("cases:dashboard")
    return HttpResponseRedirect(target)
