"""The case page: what is known, what happens next, and the feed."""

from __future__ import annotations

from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases import (
    assign_forms,
    calculations,
    case_life,
    casefacts,
    custody,
    field_access,
    forms,
    panels,
    permissions,
    services,
)
from cases.models import Case
from cases.organisations import request_memberships
from cases.timeline import case_history, case_timeline
from cases.views.access import member_required, scoped_case
from cases.views.consent_panel import consent_panel_context

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
    """Everything the case page shows, in a fixed number of queries whatever the case's
    history: the checklist and deadlines are read once (panels.CasePlan) and shared by the
    panels, the member names come from the members cache, the history diffs are in memory."""
    organisation = case.organisation
    prefetch_related_objects([case], "problems")  # problem_types: labels and trafficking check
    membership = next(
        (m for m in request_memberships(request) if m.organisation_id == organisation.pk), None
    )
    granted = permissions.allowed_actions(request.user, organisation, membership=membership)
    next_status = NEXT_STATUS.get(case.status, "")
    # The facts shown come from the field-level view: a restricted field never reaches the page.
    visible = field_access.safe_case_view(request.user, case, granted=granted)
    plan = panels.CasePlan.load(case)
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
        "assign_form": assign_forms.AssignForm(
            organisation=organisation, initial={"assignee": case.assignee_id}
        ),
        "task_form": forms.TaskForm(),
        "facts": _facts(case, visible),
        "citizenship_name": dict(forms.CITIZENSHIPS).get(
            case.migrant.citizenship, case.migrant.citizenship
        ),
        "timeline": case_timeline(case, deadline_titles=plan.titles()),
        "tasks": case.tasks.select_related("assignee"),
        "history": case_history(case),
        "trafficking_hidden": bool(visible["hidden_fields"]),
        "passport_claim": custody.claim_pending(case),
        # The deadlines panel ({% deadline_reminders %}) and the portal panel use these too.
        "deadline_panel": panels.deadline_panel_context(case=case, plan=plan),
        **panels.checklist_panel_context(case=case, plan=plan),
        **consent_panel_context(case, reminder_waiting=plan.waiting_migrant_reminder()),
        **_calculations_context(request, case),
    }
    context.update(extra)
    return context


def _calculations_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """The "Calculations" panel of a wage or ban case (nothing for other cases)."""
    found = calculations.for_case(case, user=request.user)
    if found is None:
        return {"calculations": None}
    return {"calculations": found, "calculator_query": calculations.calculator_query(found)}


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
    request.audit_read_object = case  # the read audit logs this case without reading it again
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
