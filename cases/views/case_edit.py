"""Editing a case's facts and its migrant's details: a form page saved through a service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases import forms, permissions, problems, services
from cases.models import Case, Migrant
from cases.views.access import member_required, scoped_case
from cases.views.case_page import trafficking_hidden


def _save_through_service(request: HttpRequest, form, save, success_message: str) -> bool:
    """Validate the form and save through a service; on failure the errors sit on the form."""
    if not form.is_valid():
        return False
    try:
        save(form.service_values())
    except ValidationError as exc:
        forms.add_service_errors(form, exc)
        return False
    messages.success(request, success_message)
    return True


@member_required
def case_facts(request: HttpRequest, pk: int) -> HttpResponse:
    case = scoped_case(request, pk)
    permissions.require(request.user, case.organisation, permissions.Action.EDIT_CASE)
    if trafficking_hidden(request.user, case):
        # The facts of a trafficking case are field-level protected (Membership flag).
        permissions.require(request.user, case.organisation, permissions.Action.VIEW_TRAFFICKING)
    status = 200
    if request.method == "POST":
        form = forms.CaseFactsForm(request.POST, instance=Case(pk=case.pk), case=case)

        def save(values: dict) -> None:
            with transaction.atomic():  # the problems and the facts, or neither
                chosen = form.problem_values()
                changed = case
                if chosen is not None:
                    changed = problems.change_problems(case=case, by=request.user, **chosen)
                services.update_case_facts(case=changed, by=request.user, **values)

        if _save_through_service(request, form, save, _("Facts saved.")):
            return redirect(case)
        status = 400
    else:
        form = forms.CaseFactsForm(instance=case, case=case)
    groups = [(title, [form[name] for name in names]) for title, names in forms.FACT_GROUPS]
    return render(
        request,
        "cases/case_facts.html",
        {"case": case, "form": form, "groups": groups, "fact_groups": form.fact_groups()},
        status=status,
    )


@member_required
def migrant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = scoped_case(request, pk)
    migrant = case.migrant
    permissions.require(request.user, case.organisation, permissions.Action.EDIT_CASE)
    status = 200
    if request.method == "POST":
        form = forms.MigrantForm(request.POST, instance=Migrant(pk=migrant.pk))
        saved = _save_through_service(
            request,
            form,
            lambda values: services.update_migrant(migrant=migrant, by=request.user, **values),
            _("Migrant details saved."),
        )
        if saved:
            return redirect(case)
        status = 400
    else:
        form = forms.MigrantForm(instance=migrant)
    return render(request, "cases/migrant_edit.html", {"case": case, "form": form}, status=status)
