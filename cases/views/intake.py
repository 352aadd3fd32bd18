"""Intake: a new migrant (or one already known) and their first case, with a duplicate check."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import calls, consent, duplicates, forms, permissions, services, submissions
from cases.models import Call, Case, Consent, Migrant
from cases.views.access import allowed, member_required
from content.facts import declarations


@member_required
def intake(request: HttpRequest) -> HttpResponse:
    organisation = request.membership.organisation
    if not allowed(request, permissions.Action.CREATE_CASE):
        raise PermissionDenied
    status = 200
    existing = None
    country = organisation.country_of_stay
    # Opening a case from a logged call: its id (not personal) in the URL, then in the form.
    from_call = calls.call_for_intake(
        user=request.user,
        organisation=organisation,
        raw_id=request.POST.get("from_call", "") or request.GET.get("call", ""),
    )
    if request.method == "POST" and request.POST.get("use_existing"):
        # "Use this person" from the duplicate warning: keep what was typed about the case.
        existing = _intake_migrant(request, organisation, request.POST["use_existing"])
        initial = {
            name: request.POST.get(f"c-{name}")
            for name in forms.IntakeCaseForm.base_fields
            if request.POST.get(f"c-{name}") and name != "submission"
        }
        return render(
            request,
            "cases/intake.html",
            {
                "migrant_form": forms.IntakeMigrantForm(prefix="m"),
                "case_form": forms.IntakeCaseForm(prefix="c", initial=initial, country=country),
                "consent_form": forms.IntakeConsentForm(prefix="k"),
                "existing": existing,
                "from_call": from_call,
            },
        )
    if request.method == "POST":
        existing_id = request.POST.get("m-existing_migrant", "")
        if existing_id:
            existing = _intake_migrant(request, organisation, existing_id)
        migrant_form = forms.IntakeMigrantForm(
            request.POST, prefix="m", using_existing=existing is not None
        )
        case_form = forms.IntakeCaseForm(request.POST, prefix="c", country=country)
        consent_form = forms.IntakeConsentForm(request.POST, prefix="k")
        migrant_ok = migrant_form.is_valid()
        case_ok = case_form.is_valid()
        if migrant_ok and case_ok and consent_form.is_valid():
            token = case_form.cleaned_data["submission"]
            first, result = submissions.claim(request, token)
            if not first:
                if isinstance(result, int):
                    return redirect("cases:detail", pk=result)
                messages.info(request, _("This form was already sent; it is being saved."))
                return redirect("cases:dashboard")
            try:
                case = _open_from_intake(
                    request,
                    organisation,
                    existing,
                    migrant_form,
                    case_form,
                    consent_form,
                    from_call,
                )
            except ValidationError as exc:
                submissions.release(request, token)
                target = case_form if _is_case_error(exc) else migrant_form
                forms.add_service_errors(target, exc)
            else:
                submissions.finish(request, token, case.pk)
                messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
                return redirect(case)
        status = 400
    else:
        existing, migrant_form, case_form, consent_form = _new_forms(country, from_call)
    context = {"migrant_form": migrant_form, "case_form": case_form, "existing": existing}
    context |= {"consent_form": consent_form, "from_call": from_call}
    return render(request, "cases/intake.html", context, status=status)


def _new_forms(country: str, from_call: Call | None) -> tuple:
    """The empty intake forms, or filled from the call the case is opened from."""
    start = calls.intake_start(from_call) if from_call else None
    return (
        start.migrant if start else None,
        forms.IntakeMigrantForm(prefix="m", initial=start.migrant_initial if start else None),
        forms.IntakeCaseForm(
            prefix="c", country=country, initial=start.case_initial if start else None
        ),
        forms.IntakeConsentForm(prefix="k"),
    )


def _intake_migrant(request: HttpRequest, organisation, raw_id: str) -> Migrant:
    migrant = (
        Migrant.objects.visible_to(request.user)
        .filter(organisation=organisation, pk=int(raw_id) if raw_id.isdigit() else 0)
        .first()
    )
    if migrant is None:
        raise Http404
    return migrant


_CASE_ERROR_FIELDS = {
    "problem_type",
    "other_problem_types",
    "priority",
    "summary",
    "assignee",
    *services.CASE_FACT_FIELDS,
    *declarations().facts,
}


def _is_case_error(exc: ValidationError) -> bool:
    return hasattr(exc, "error_dict") and bool(set(exc.error_dict) & _CASE_ERROR_FIELDS)


def _open_from_intake(
    request, organisation, existing, migrant_form, case_form, consent_form, from_call: Call | None
) -> Case:
    """Find-or-create the migrant, record consent, open the case (and link the call it came
    from): one transaction."""
    data = case_form.cleaned_data
    facts = {name: data[name] for name in case_form.FACTS if data[name] not in (None, "")}
    with transaction.atomic():
        migrant = existing or services.create_migrant(
            organisation=organisation, by=request.user, **migrant_form.service_values()
        )
        _record_intake_consent(request, migrant, consent_form.cleaned_data)
        case = services.open_case(
            organisation=organisation,
            migrant=migrant,
            problem_type=data["problem_type"],
            other_problem_types=data["other_problem_types"],
            extra_facts=case_form.extra_facts(),
            priority=data["priority"],
            summary=data["summary"],
            assignee=request.user if data["assign_to_me"] else None,
            by=request.user,
            **facts,
        )
        if from_call is not None:
            calls.link_call(call=from_call, case=case, by=request.user, opened=True)
        return case


def _record_intake_consent(request, migrant: Migrant, data: dict) -> None:
    """Before the case opens, so the first reminders are planned knowing who may be messaged."""
    chosen = [(Consent.Purpose.CONTACT, channel) for channel in data["channels"]]
    if data["share_partner"]:
        chosen.append((Consent.Purpose.SHARE_PARTNER, Consent.Channel.ANY))
    for purpose, channel in chosen:
        consent.give_consent(
            migrant=migrant,
            channel=channel,
            purpose=purpose,
            method=data["method"],
            by=request.user,
        )


@member_required
@require_POST
def intake_duplicates(request: HttpRequest) -> HttpResponse:
    """htmx: likely duplicates of the migrant being typed (POSTed, so nothing in the URL)."""
    organisation = request.membership.organisation
    form = forms.IntakeMigrantForm(request.POST, prefix="m", using_existing=True)
    form.is_valid()  # partial input is normal here; use whatever parsed
    data = getattr(form, "cleaned_data", {})
    name = " ".join(
        filter(None, [data.get("full_name_latin", ""), data.get("full_name_cyrillic", "")])
    )
    found = duplicates.candidates(
        organisation=organisation,
        visible=Migrant.objects.visible_to(request.user),
        names=[data.get("full_name_latin", ""), data.get("full_name_cyrillic", "")],
        date_of_birth=data.get("date_of_birth"),
        phone_numbers=[p for p in (data.get("phone"), data.get("phone_secondary")) if p],
    )
    return render(
        request, "cases/_duplicates.html", {"duplicates": found, "typed_name": bool(name)}
    )
