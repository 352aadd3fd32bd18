"""The case page's consent panel (htmx, with a plain-form fallback): record and withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases import consent, forms, permissions
from cases.models import Case, Consent, Reminder
from cases.send_decision import why_migrant_unreachable
from cases.views.access import member_required, scoped_case


def consent_panel_context(
    case: Case, form: forms.ConsentForm | None = None, *, reminder_waiting: bool | None = None
) -> dict:
    """The migrant's consents and, when a reminder is waiting, why it could not go out.
    `reminder_waiting`: whether a reminder to the migrant is scheduled, when the caller knows."""
    migrant = case.migrant
    rows = list(Consent.objects.filter(migrant=migrant).select_related("recorded_by"))
    # What consent.consented_channels reads, taken from the rows already here.
    consented = {
        c.channel for c in rows if c.purpose == Consent.Purpose.CONTACT and c.withdrawn_at is None
    }
    if reminder_waiting is None:
        reminder_waiting = Reminder.objects.filter(
            deadline__case=case,
            audience=Reminder.Audience.MIGRANT,
            state=Reminder.State.SCHEDULED,
        ).exists()
    return {
        "consents": [c for c in rows if c.withdrawn_at is None],
        "withdrawn_consents": [c for c in rows if c.withdrawn_at is not None],
        "consent_form": form or forms.ConsentForm(),
        "reminder_blocker": why_migrant_unreachable(migrant, consented)
        if reminder_waiting
        else None,
    }


def _answer(request: HttpRequest, case: Case, form=None, error: str = "") -> HttpResponse:
    if request.htmx:
        may_edit = permissions.can(request.user, case.organisation, permissions.Action.EDIT_CASE)
        context = {"case": case, "consent_error": error, "allowed": {"edit_case": may_edit}}
        context |= consent_panel_context(case, form)
        return render(request, "cases/_consent.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    return redirect(f"{case.get_absolute_url()}#consent")


@member_required
@require_POST
def consent_record(request: HttpRequest, pk: int) -> HttpResponse:
    case = scoped_case(request, pk)
    form = forms.ConsentForm(request.POST)
    if not form.is_valid():
        return _answer(
            request, case, form, error=" ".join(e for v in form.errors.values() for e in v)
        )
    try:
        consent.give_consent(migrant=case.migrant, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        return _answer(request, case, form, error=" ".join(exc.messages))
    return _answer(request, case)


@member_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    case = scoped_case(request, pk)
    try:
        consent.withdraw_consent(
            migrant=case.migrant,
            by=request.user,
            channel=request.POST.get("channel", ""),
            purpose=request.POST.get("purpose", Consent.Purpose.CONTACT),
        )
    except ValidationError as exc:
        return _answer(request, case, error=" ".join(exc.messages))
    return _answer(request, case)
