"""The case page: what is known, what happens next, and the feed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases import case_life, casefacts, custody, field_access, forms, panels, permissions, services
from cases.models import Case
from cases.timeline import case_history, case_timeline
from cases.views.access import member_required, scoped_case
from cases.views.consent_panel import consent_panel_context
from cases.views.stays_panel import stays_panel_context

# The sensible next step from each status: the case page's primary button.
NEXT_STATUS = {
    Case.Status.NEW: Case.Status.IN_PROGRESS,
    Case.Status.WAITING_MIGRANT: Case.Status.IN_PROGRESS,
    Case.Status.WAITING_AUTHORITY: Case.Status.IN_PROGRESS,
    Case.Status.WAITING_EMPLOYER: Case.Status.IN_PROGRESS,
}


def trafficking_hidden(user, case: Case) -> bool:
    """Details of a trafficking case (facts, summary, note texts) need the Membership flag."""
    return not field_access.may_view_trafficking(user, case)


def case_context(request: HttpRequest, case: Case, **extra) -> dict:
    organisation = case.organisation
    granted = permissions.allowed_actions(request.user, organisation)
    next_status = NEXT_STATUS.get(case.status, "")
    # The facts shown come from the field-level view: a restricted field never reaches the page.
    visible = field_access.safe_case_view(request.user, case)
    context = {
        "case": case,
        "migrant": case.migrant,
        "allowed": {action.value: action in granted for action in permissions.Action},
        "next_status": next_status,
        "next_status_label": Case.Status(next_status).label if next_status else "",
        "other_statuses": [
            (value, label)
            for value, label in Case.Status.choices
            if value in services.TRANSITIONS.get(case.status, set())
            and value not in Case.CLOSED_STATUSES
            and value != next_status
        ],
        "note_form": forms.NoteForm(),
        "status_form": forms.StatusForm(),
        "close_form": forms.CloseForm(),
        "reopen_form": forms.ReopenForm(),
        "reopen_request_form": forms.ReopenRequestForm(),
        "may_undo_close": case_life.may_undo_close(case, request.user),
        "assign_form": forms.AssignForm(
            organisation=organisation, initial={"assignee": case.assignee_id}
        ),
        "task_form": forms.TaskForm(),
        "facts": _facts(case, visible),
        "citizenship_name": dict(forms.CITIZENSHIPS).get(
            case.migrant.citizenship, case.migrant.citizenship
        ),
        "timeline": case_timeline(case),
        "tasks": case.tasks.select_related("assignee"),
        "history": case_history(case),
        "trafficking_hidden": bool(visible["hidden_fields"]),
        "passport_claim": custody.claim_pending(case),
        **panels.checklist_panel_context(case=case),
        **consent_panel_context(case),
        **stays_panel_context(case),
    }
    context.update(extra)
    return context


def _facts(case: Case, visible: dict[str, Any]) -> list[tuple[str, object]]:
    rows = []
    for name in services.CASE_FACT_FIELDS:
        if name in ("extra_facts", "country_of_stay", "currency"):
            continue
        value = visible.get(name)
        if value in (None, ""):
            continue
        field = Case._meta.get_field(name)
        if field.choices:
            value = getattr(case, f"get_{name}_display")()
        elif name == "amount_owed":
            value = f"{value:,.2f} {case.currency}".replace(",", "\u202f")
        rows.append((str(field.verbose_name), value))
    extra = visible.get("extra_facts")
    return rows + casefacts.display_rows(extra if isinstance(extra, dict) else {})


@member_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = scoped_case(request, pk)
    return render(request, "cases/case_detail.html", case_context(request, case))


def render_case_with_error(
    request: HttpRequest, case: Case, status: int = 400, **forms_with_errors
) -> HttpResponse:
    """The case page again, with the failed form (and its errors) in place of the blank one."""
    return render(
        request,
        "cases/case_detail.html",
        case_context(request, case, **forms_with_errors),
        status=status,
    )
