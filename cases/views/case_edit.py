"""Editing a case's facts and its migrant's details: a form page saved through a service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases import concurrency, forms, permissions, problems, services
from cases.models import Case, Migrant
from cases.views.access import member_required, scoped_case
from cases.views.case_page import trafficking_hidden


def _save_through_service(request: HttpRequest, form, save, success_message: str) -> bool:
    """Validate the form and save through a service; on failure the errors sit on the form.

    A save from a stale copy raises StaleEdit for the view to show what changed meanwhile."""
    if not form.is_valid():
        return False
    try:
        save(form.service_values(), form.cleaned_data.get("version"))
    except ValidationError as exc:
        forms.add_service_errors(form, exc)
        return False
    messages.success(request, success_message)
    return True


def _stale(request: HttpRequest, form_class, instance, exc: concurrency.StaleEdit, **kwargs):
    """The user's unsaved values, now based on the current version: saving again applies them.

    A field the other person changed and this user left alone takes the new value, so saving
    again cannot undo it; a field both changed keeps this user's value, flagged on the page."""
    posted = form_class(request.POST, instance=instance, **kwargs)
    posted.is_valid()
    data = request.POST.copy()
    data["version"] = str(exc.current.version)
    both = []
    for change in exc.changes:
        mine = posted.cleaned_data.get(change.field, change.base)
        if mine != change.base:
            both.append(change.field)
            continue
        value = form_class(instance=exc.current, **kwargs)[change.field].value()
        if isinstance(value, bool):
            data.setlist(change.field, ["on"] if value else [])
        elif isinstance(value, list | tuple):
            data.setlist(change.field, [str(v) for v in value])
        else:
            data[change.field] = "" if value is None else str(value)
    form = form_class(data, instance=instance, **kwargs)
    form.is_valid()
    return form, {"changes": exc.changes, "both": both}


@member_required
def case_facts(request: HttpRequest, pk: int) -> HttpResponse:
    case = scoped_case(request, pk)
    permissions.require(request.user, case.organisation, permissions.Action.EDIT_CASE)
    if trafficking_hidden(request.user, case):
        # The facts of a trafficking case are field-level protected (Membership flag).
        permissions.require(request.user, case.organisation, permissions.Action.VIEW_TRAFFICKING)
    status, stale = 200, None
    if request.method == "POST":
        form = forms.CaseFactsForm(request.POST, instance=Case(pk=case.pk), case=case)

        def save(values: dict, version: int | None) -> None:
            with transaction.atomic():  # the problems and the facts, or neither
                chosen = form.problem_values()
                changed = case
                if chosen is not None:
                    changed = problems.change_problems(case=case, by=request.user, **chosen)
                services.update_case_facts(
                    case=changed, by=request.user, expected_version=version, **values
                )

        try:
            saved = _save_through_service(request, form, save, _("Facts saved."))
        except concurrency.StaleEdit as exc:
            form, stale = _stale(request, forms.CaseFactsForm, Case(pk=case.pk), exc, case=case)
            saved, status = False, 409
        if saved:
            return redirect(case)
        status = status if stale else 400
    else:
        form = forms.CaseFactsForm(instance=case, case=case)
    groups = [(title, [form[name] for name in names]) for title, names in forms.FACT_GROUPS]
    return render(
        request,
        "cases/case_facts.html",
        {
            "case": case,
            "form": form,
            "groups": groups,
            "fact_groups": form.fact_groups(),
            "stale": stale,
        },
        status=status,
    )


@member_required
def migrant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = scoped_case(request, pk)
    migrant = case.migrant
    permissions.require(request.user, case.organisation, permissions.Action.EDIT_CASE)
    status, stale = 200, None
    if request.method == "POST":
        form = forms.MigrantForm(request.POST, instance=Migrant(pk=migrant.pk))
        try:
            saved = _save_through_service(
                request,
                form,
                lambda values, version: services.update_migrant(
                    migrant=migrant, by=request.user, expected_version=version, **values
                ),
                _("Migrant details saved."),
            )
        except concurrency.StaleEdit as exc:
            form, stale = _stale(request, forms.MigrantForm, Migrant(pk=migrant.pk), exc)
            saved, status = False, 409
        if saved:
            return redirect(case)
        status = status if stale else 400
    else:
        form = forms.MigrantForm(instance=migrant)
    context = {"case": case, "form": form, "stale": stale}
    return render(request, "cases/migrant_edit.html", context, status=status)
