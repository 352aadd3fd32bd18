"""After closing: undo within the window, and a caseworker's request to reopen."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import case_life, forms
from cases.views.access import member_required, scoped_case
from cases.views.case_page import render_case_with_error


@member_required
@require_POST
def case_undo_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = scoped_case(request, pk)
    try:
        case_life.undo_close(case=case, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Closing undone: the case is open again."))
    return redirect(case)


@member_required
@require_POST
def case_request_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    case = scoped_case(request, pk)
    form = forms.ReopenRequestForm(request.POST)
    if form.is_valid():
        try:
            case_life.request_reopen(case=case, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, _("A supervisor has been asked to reopen the case."))
            return redirect(case)
    return render_case_with_error(request, case, reopen_request_form=form)
