"""Deadline actions on the case page (met, waive, add), the case's ICS calendar, and the
migrant's public opt-out page. Thin: scoped lookup, form, service, response."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from icalendar import Calendar, Event

from cases import consent, deadlines, messages, panels
from cases.models import Case, Deadline, Migrant

PANEL = "cases/_deadline_reminders.html"


class MetForm(forms.Form):
    on = forms.DateField(label=_("Met on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WaiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ManualDeadlineForm(forms.Form):
    title = forms.CharField(label=_("What"), max_length=200)
    due_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    offsets = forms.CharField(
        label=_("Remind days before"),
        initial="3, 1, 0",
        max_length=60,
        help_text=_("Comma-separated, e.g. 3, 1, 0 (0 = on the day)."),
    )

    def clean_offsets(self) -> list[int]:
        parts = [p.strip() for p in self.cleaned_data["offsets"].split(",") if p.strip()]
        try:
            values = [int(p) for p in parts]
        except ValueError:
            raise forms.ValidationError(_("Use whole numbers separated by commas.")) from None
        if any(v < 0 or v > deadlines.MAX_OFFSET_DAYS for v in values):
            raise forms.ValidationError(
                _("Offsets are between 0 and %(max)d days.") % {"max": deadlines.MAX_OFFSET_DAYS}
            )
        return values


def _deadline_for(request: HttpRequest, pk: int) -> Deadline:
    visible = Case.objects.visible_to(request.user)
    return get_object_or_404(
        Deadline.objects.select_related("case__organisation", "case__migrant"),
        pk=pk,
        case__in=visible,
    )


def _panel(request: HttpRequest, case: Case, *, status: int = 200, **forms_by_name):
    context = panels.deadline_panel_context(case=case) | forms_by_name
    return render(request, PANEL, context, status=status)


def _done(request: HttpRequest, case: Case) -> HttpResponse:
    if getattr(request, "htmx", False):
        return _panel(request, case)
    return redirect(case)


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _run(request, case, form, action):
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied:
            raise Http404 from None  # hide what the user may not touch
        else:
            return _done(request, case)
    return _panel(request, case, status=400, bound_form=form)


@login_required
@require_POST
def deadline_met(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = _deadline_for(request, pk)
    return _run(
        request,
        deadline.case,
        MetForm(request.POST, prefix=f"met{pk}"),
        lambda data: deadlines.mark_met(
            deadline=deadline, on=data["on"], note=data["note"], by=request.user
        ),
    )


@login_required
@require_POST
def deadline_waive(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = _deadline_for(request, pk)
    return _run(
        request,
        deadline.case,
        WaiveForm(request.POST, prefix=f"waive{pk}"),
        lambda data: deadlines.waive(deadline=deadline, reason=data["reason"], by=request.user),
    )


@login_required
@require_POST
def deadline_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    return _run(
        request,
        case,
        ManualDeadlineForm(request.POST, prefix="add"),
        lambda data: deadlines.add_manual_deadline(
            case=case,
            title=data["title"],
            due_date=data["due_date"],
            reminder_offsets=tuple(data["offsets"]),
            by=request.user,
        ),
    )


@login_required
@require_POST
def case_stop_messages(request: HttpRequest, pk: int) -> HttpResponse:
    """The caseworker records the migrant's wish: no more reminder messages on any channel."""
    case = get_object_or_404(Case.objects.visible_to(request.user).select_related("migrant"), pk=pk)
    try:
        consent.withdraw_consent(migrant=case.migrant, channel=consent.Channel.ANY, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    return _done(request, case)


@login_required
def case_deadlines_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's deadlines as an iCalendar file for the caseworker's calendar."""
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    calendar = Calendar()
    calendar.add("prodid", "-//Hamroh//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{case.number} deadlines")
    stamp = timezone.now()
    for deadline in case.deadlines.exclude(state=Deadline.State.RETIRED):
        event = Event()
        # The migrant's name stays out: calendars sync to phones and get shared.
        event.add("uid", f"deadline-{deadline.pk}@hamroh")
        event.add("dtstamp", stamp)
        event.add("summary", f"{case.number}: {deadline.title}")
        event.add("dtstart", deadline.due_date)
        event.add("dtend", deadline.due_date + timedelta(days=1))
        event.add("description", deadline.explanation or "")
        event.add("url", request.build_absolute_uri(case.get_absolute_url()))
        if deadline.state != Deadline.State.OPEN:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{case.number}-deadlines.ics"'
    return response


@require_http_methods(["GET", "POST"])
def optout(request: HttpRequest, token: str) -> HttpResponse:
    """Public, no login: a signed link from a message. GET asks, POST withdraws consent
    (link previews in messengers fetch GETs, so a GET must never change anything)."""
    migrant_id = messages.migrant_from_token(token)
    migrant = Migrant.objects.filter(pk=migrant_id).first() if migrant_id else None
    language = migrant.preferred_language if migrant else messages.FALLBACK
    with translation.override(language if language in messages.LANGUAGES else messages.FALLBACK):
        if migrant is None:
            context = {"message": _("This link does not work. Please call your caseworker.")}
            return render(request, "cases/optout.html", context, status=400)
        if request.method == "POST":
            consent.withdraw_consent(
                migrant=migrant, channel=consent.Channel.ANY, by=None, source="stop_link"
            )
            context = {"message": _("Done: we will not send you messages any more.")}
            return render(request, "cases/optout.html", context)
        return render(request, "cases/optout.html", {"ask": True})
