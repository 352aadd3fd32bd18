"""The case page's stays panel (htmx, with a plain-form fallback): the migrant's entries, exits
and addresses, the days used this year, and forms to record an entry, an exit and a move."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cases import field_access, permissions, stay_forms, stays
from cases.models import Address, Case, Stay
from cases.views.access import member_required, scoped_case

FORMS = {"entry": stay_forms.EntryForm, "exit": stay_forms.ExitForm, "move": stay_forms.MoveForm}


def stays_panel_context(case: Case, **bound: forms.Form) -> dict:
    migrant = case.migrant
    today = timezone.localdate()
    records = list(Stay.objects.filter(migrant=migrant).order_by("-entry_date"))
    in_country = bool(records) and records[0].exit_date is None
    return {
        "stays": records,
        "addresses": list(Address.objects.filter(migrant=migrant).order_by("-arrival_date")),
        "days_used": stays.days_used(records, today=today),
        "this_year": today.year,
        "in_country": in_country,
        "entry_form": bound.get("entry") or stay_forms.EntryForm(),
        "exit_form": bound.get("exit") or stay_forms.ExitForm(),
        "move_form": bound.get("move") or stay_forms.MoveForm(),
    }


@member_required
@require_GET
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel on its own: the case page loads it when scrolled to (htmx), so that the page
    itself reads a fixed number of queries; without JavaScript it is a page of its own."""
    case = scoped_case(request, pk)
    hidden = not field_access.may_view_trafficking(request.user, case)
    context = {
        "case": case,
        "allowed": {
            "edit_case": permissions.can(
                request.user, case.organisation, permissions.Action.EDIT_CASE
            )
        },
        "trafficking_hidden": hidden,
    }
    if not hidden:
        context |= stays_panel_context(case)
    template = "cases/_stays.html" if request.htmx else "cases/stays_page.html"
    return render(request, template, context)


def _answer(request: HttpRequest, case: Case, kind: str = "", form=None) -> HttpResponse:
    failed = form is not None and bool(form.errors)
    error = " ".join(e for errors in form.errors.values() for e in errors) if failed else ""
    if request.htmx:
        context = {"case": case, "allowed": {"edit_case": True}, "stays_error": error}
        context |= stays_panel_context(case, **({kind: form} if failed else {}))
        return render(request, "cases/_stays.html", context, status=400 if failed else 200)
    if failed:
        messages.error(request, error)
    return redirect(f"{case.get_absolute_url()}#stays")


def _record(request: HttpRequest, pk: int, kind: str, verb: Callable) -> HttpResponse:
    case = scoped_case(request, pk)
    permissions.require(request.user, case.organisation, permissions.Action.EDIT_CASE)
    if not field_access.may_view_trafficking(request.user, case):
        raise PermissionDenied  # the addresses of a trafficking case are restricted
    form = FORMS[kind](request.POST)
    if form.is_valid():
        try:
            verb(migrant=case.migrant, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    return _answer(request, case, kind, form)


@member_required
@require_POST
def record_entry(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(request, pk, "entry", stays.record_entry)


@member_required
@require_POST
def record_exit(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(request, pk, "exit", stays.record_exit)


@member_required
@require_POST
def record_move(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(request, pk, "move", stays.record_move)
