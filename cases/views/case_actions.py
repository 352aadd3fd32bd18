"""What a caseworker does on the case page: notes, status, closing, assigning, tasks, and the
audited passport reveal. Each is a POST that calls one service and redirects back."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import assign_forms, case_life, forms, services, submissions
from cases.models import Case, Reminder, Task
from cases.timeline import case_timeline
from cases.views.access import member_required, scoped_case
from cases.views.case_page import render_case_with_error, trafficking_hidden


@member_required
@require_POST
def case_note(request: HttpRequest, pk: int) -> HttpResponse:
    case = scoped_case(request, pk)
    form = forms.NoteForm(request.POST)
    status = 200
    if form.is_valid():
        token = form.cleaned_data["submission"]
        first, _result = submissions.claim(request, token)
        if first:
            try:
                services.add_note(case=case, text=form.cleaned_data["text"], by=request.user)
            except ValidationError as exc:
                submissions.release(request, token)
                forms.add_service_errors(form, exc)
                status = 400
            else:
                submissions.finish(request, token, "done")
                form = forms.NoteForm()
    else:
        status = 400
    if request.htmx:
        return render(
            request,
            "cases/_timeline_panel.html",
            {
                "case": case,
                "note_form": form,
                "timeline": case_timeline(case),
                "trafficking_hidden": trafficking_hidden(request.user, case),
            },
            status=status,
        )
    if status == 400:
        return render_case_with_error(request, case, note_form=form)
    return redirect(case)


@member_required
@require_POST
def case_status(request: HttpRequest, pk: int) -> HttpResponse:
    case = scoped_case(request, pk)
    form = forms.StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_status(
                case=case,
                to=data["to"],
                by=request.user,
                outcome=data["outcome"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            return redirect(case)
    return render_case_with_error(request, case, status_form=form)


@member_required
@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = scoped_case(request, pk)
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        to = Case.Status.RESOLVED if request.POST.get("resolve") else Case.Status.CLOSED
        if not data["confirmed"] and case.status not in (Case.Status.CLOSED, to):
            return _confirm_close(request, case, form, to)
        try:
            if case.status != Case.Status.CLOSED and case.status != to:
                services.change_status(
                    case=case,
                    to=to,
                    by=request.user,
                    outcome=data["outcome"],
                    reason=data["reason"],
                )
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            if to == Case.Status.CLOSED:
                messages.success(
                    request,
                    _("Case closed. You can undo this for %(minutes)s minutes.")
                    % {"minutes": settings.CASE_CLOSE_UNDO_MINUTES},
                )
            return redirect(case)
    return render_case_with_error(request, case, close_form=form)


def _confirm_close(request: HttpRequest, case: Case, form, to: str) -> HttpResponse:
    """The confirmation step: what closing stops, and the same choices to send again."""
    pending = Reminder.objects.filter(
        deadline__case=case, state__in=(Reminder.State.SCHEDULED, Reminder.State.SENDING)
    ).count()
    context = {
        "case": case,
        "form": form,
        "to": to,
        "outcome_label": Case.Outcome(form.cleaned_data["outcome"]).label,
        "pending_reminders": pending,
        "undo_minutes": settings.CASE_CLOSE_UNDO_MINUTES,
    }
    return render(request, "cases/close_confirm.html", context)


@member_required
@require_POST
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    case = scoped_case(request, pk)
    form = forms.ReopenForm(request.POST)
    if form.is_valid():
        try:
            case_life.reopen_case(case=case, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, _("Case reopened."))
            return redirect(case)
    return render_case_with_error(request, case, reopen_form=form)


@member_required
@require_POST
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = scoped_case(request, pk)
    form = assign_forms.AssignForm(request.POST, organisation=case.organisation)
    if form.is_valid():
        try:
            services.assign_case(case=case, assignee=form.cleaned_data["assignee"], by=request.user)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            return redirect(case)
    return render_case_with_error(request, case, assign_form=form)


@member_required
@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = scoped_case(request, pk)
    form = forms.TaskForm(request.POST)
    if form.is_valid():
        token = form.cleaned_data["submission"]
        first, _result = submissions.claim(request, token)
        if not first:
            return redirect(case)
        try:
            services.add_task(
                case=case,
                title=form.cleaned_data["title"],
                due_date=form.cleaned_data["due_date"],
                by=request.user,
            )
        except ValidationError as exc:
            submissions.release(request, token)
            forms.add_service_errors(form, exc)
        else:
            submissions.finish(request, token, "done")
            return redirect(case)
    return render_case_with_error(request, case, task_form=form)


@member_required
@require_POST
def task_done(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    case = scoped_case(request, pk)
    task = get_object_or_404(Task, case=case, pk=task_pk)
    services.complete_task(task=task, by=request.user)
    return redirect(case)


@member_required
@require_POST
def reveal_passport(request: HttpRequest, pk: int) -> HttpResponse:
    case = scoped_case(request, pk)
    number = services.reveal_passport_number(migrant=case.migrant, by=request.user)
    return render(request, "cases/_passport.html", {"number": number, "migrant": case.migrant})
