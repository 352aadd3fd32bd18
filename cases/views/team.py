"""The supervisor's team view: who carries what, and reassigning several cases at once."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cases import forms, permissions, services, team
from cases.assign_forms import BulkAssignForm
from cases.views.access import member_required


def _render(request: HttpRequest, form=None, status: int = 200) -> HttpResponse:
    organisation = request.membership.organisation
    loads = team.workload(organisation, today=timezone.localdate())
    context = {
        "loads": loads,
        "form": form or BulkAssignForm(organisation=organisation),
        "due_soon_days": team.DUE_SOON_DAYS,
        "cases_per_worker": team.CASES_PER_WORKER,
    }
    return render(request, "cases/team.html", context, status=status)


@member_required
def team_view(request: HttpRequest) -> HttpResponse:
    permissions.require(
        request.user, request.membership.organisation, permissions.Action.ASSIGN_OTHERS
    )
    return _render(request)


@member_required
@require_POST
def team_assign(request: HttpRequest) -> HttpResponse:
    organisation = request.membership.organisation
    permissions.require(request.user, organisation, permissions.Action.ASSIGN_OTHERS)
    form = BulkAssignForm(request.POST, organisation=organisation)
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        try:
            changed = services.assign_cases(
                organisation=organisation,
                case_ids=form.cleaned_data["cases"],
                assignee=assignee,
                by=request.user,
            )
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            name = (assignee.get_full_name() or assignee.username) if assignee else None
            if name:
                text = ngettext(
                    "%(n)d case assigned to %(name)s.", "%(n)d cases assigned to %(name)s.", changed
                )
            else:
                text = ngettext("%(n)d case unassigned.", "%(n)d cases unassigned.", changed)
            messages.success(request, text % {"n": changed, "name": name})
            return redirect("cases:team")
    return _render(request, form, status=400)
