"""The call log: log a hotline or office call on one screen, and the organisation's recent calls.

The caller search is POSTed (htmx), so a name or phone never appears in a URL; opening a case
from a call puts only the call's id in the intake page's URL.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import calls, permissions, submissions
from cases.call_forms import CallerSearchForm, CallForm
from cases.forms import add_service_errors
from cases.views.access import allowed, member_required

RECENT_CALLS_SHOWN = 30


@member_required
def call_log(request: HttpRequest) -> HttpResponse:
    organisation = request.membership.organisation
    if not allowed(request, permissions.Action.VIEW_CALLS):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        if not allowed(request, permissions.Action.LOG_CALL):
            raise PermissionDenied
        form = CallForm(request.POST, user=request.user, organisation=organisation)
        if form.is_valid():
            response = _save(request, form)
            if response is not None:
                return response
        status = 400
    else:
        form = CallForm(user=request.user, organisation=organisation)
    chosen = form.cleaned_data.get("caller") if form.is_bound else None
    context = {
        "form": form,
        "search_form": CallerSearchForm(),
        "chosen_migrant": chosen[0] if chosen else None,
        "chosen_case": chosen[1] if chosen else None,
        "recent": calls.visible_calls(request.user, organisation)[:RECENT_CALLS_SHOWN],
    }
    return render(request, "cases/calls.html", context, status=status)


def _save(request: HttpRequest, form: CallForm) -> HttpResponse | None:
    """Log the call; a redirect, or None with the service's errors put on the form."""
    token = form.cleaned_data["submission"]
    first, result = submissions.claim(request, token)
    if not first:  # a double submit: where the first one went (the list while it is saving)
        done = isinstance(result, str) and result.startswith("/")
        return redirect(result if done else reverse("cases:calls"))
    try:
        call = calls.log_call(
            organisation=form.organisation, by=request.user, **form.service_values()
        )
    except ValidationError as exc:
        submissions.release(request, token)
        add_service_errors(form, exc)
        return None
    if form.cleaned_data["open_case"] and call.case_id is None:
        target = f"{reverse('cases:intake')}?call={call.pk}"
    else:
        target = reverse("cases:calls")
        messages.success(request, _("Call logged."))
    submissions.finish(request, token, target)
    return redirect(target)


@member_required
@require_POST
def call_callers(request: HttpRequest) -> HttpResponse:
    """htmx: the migrants (and their cases) the caller may be, found by the case list's search."""
    if not allowed(request, permissions.Action.LOG_CALL):
        raise PermissionDenied
    form = CallerSearchForm(request.POST)
    if not form.is_valid():
        return render(request, "cases/_callers.html", {"searched": True}, status=400)
    text = form.cleaned_data["q"]
    found = calls.find_callers(
        user=request.user, organisation=request.membership.organisation, text=text
    )
    context = {"callers": found, "searched": bool(text.strip())}
    return render(request, "cases/_callers.html", context)
