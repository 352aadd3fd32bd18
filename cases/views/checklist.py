"""One-click checklist states on the case page (htmx), with a plain-form fallback."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cases import panels, planning
from cases.models import Case


def _message(exc: ValidationError) -> str:
    return (
        " ".join(" ".join(v) for v in exc.message_dict.values())
        if hasattr(exc, "error_dict")
        else " ".join(exc.messages)
    )


@login_required
@require_POST
def set_checklist_state(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    item = get_object_or_404(case.checklist, pk=item_pk)
    error = ""
    try:
        planning.set_item_state(
            item=item,
            state=request.POST.get("state", ""),
            note=request.POST.get("note", item.note),
            by=request.user,
        )
    except ValidationError as exc:
        error = _message(exc)
    # permissions.require raises PermissionDenied (403) for a member without EDIT_CASE.
    if request.htmx:
        context = panels.checklist_panel_context(case=case) | {
            "checklist_error": error,
            "error_item": item.pk,
        }
        return render(request, "cases/_checklist.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    return redirect(f"{case.get_absolute_url()}#checklist")
