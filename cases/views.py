"""The caseworker web UI: thin views over cases.services and cases.queries.

Scoping: cases and migrants are reached only through `visible_to(request.user)`; another
organisation's object is a 404. Bad input re-renders the form with field errors and HTTP 400.

Personal data stays out of URLs: the search box POSTs to `case_search`, which keeps the text
in the session under a random id and redirects to the list with only that id (`?s=…`). Filters
(status, problem, assignee id, citizenship) and the keyset cursor are not personal and are
ordinary query parameters, so the back button and bookmarks work.
"""

from __future__ import annotations

import secrets
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import forms, panels, permissions, queries, services
from cases.models import Case, Membership, Migrant, Task, TimelineEvent
from cases.organisations import current_membership, switch

SEARCH_SESSION_KEY = "case_searches"
SEARCHES_KEPT = 20
SUBMISSION_TTL = 6 * 3600


def member_required(view):
    """Signed in and an active member of some organisation (platform admins use /admin/)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        membership = current_membership(request)
        if membership is None:
            return render(request, "cases/no_organisation.html", status=403)
        request.membership = membership
        return view(request, *args, **kwargs)

    return wrapper


def _can(request, action: permissions.Action, organisation=None) -> bool:
    return permissions.can(request.user, organisation or request.membership.organisation, action)


def _case(request, pk: int) -> Case:
    queryset = Case.objects.visible_to(request.user).select_related(
        "migrant", "assignee", "organisation"
    )
    return get_object_or_404(queryset, pk=pk)


# --- Double submits ---------------------------------------------------------------------


def _submission_key(request, token: str) -> str:
    return f"submission:{request.user.pk}:{token}"


def claim_submission(request, token: str) -> tuple[bool, object]:
    """True the first time a form's one-time token arrives; afterwards False and what it made."""
    if not token:
        return True, None
    key = _submission_key(request, token)
    if cache.add(key, "pending", SUBMISSION_TTL):
        return True, None
    return False, cache.get(key)


def finish_submission(request, token: str, result) -> None:
    if token:
        cache.set(_submission_key(request, token), result, SUBMISSION_TTL)


def release_submission(request, token: str) -> None:
    """A submission that failed validation may be corrected and sent again."""
    if token:
        cache.delete(_submission_key(request, token))


# --- Dashboard, switching, language ------------------------------------------------------


@member_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    is_supervisor = membership.role in (Membership.Role.SUPERVISOR, Membership.Role.ADMIN)
    context = queries.dashboard(request.user, membership.organisation, is_supervisor=is_supervisor)
    context["is_supervisor"] = is_supervisor
    return render(request, "cases/dashboard.html", context)


@login_required
@require_POST
def organisation_switch(request: HttpRequest) -> HttpResponse:
    try:
        organisation_id = int(request.POST.get("organisation", ""))
    except ValueError:
        organisation_id = 0
    if not switch(request, organisation_id):
        raise Http404
    request.session.pop(SEARCH_SESSION_KEY, None)
    return redirect("cases:dashboard")


@login_required
@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    if language in dict(translation.trans_real.get_languages()) and language in ("en", "ru"):
        request.user.language = language
        request.user.save(update_fields=["language"])
        translation.activate(language)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("cases:dashboard")
    return HttpResponseRedirect(target)


# --- Case list and search ----------------------------------------------------------------


def _saved_search(request, token: str) -> str:
    return request.session.get(SEARCH_SESSION_KEY, {}).get(token, "") if token else ""


@member_required
@require_POST
def case_search(request: HttpRequest) -> HttpResponse:
    """Keep the search text out of the URL: store it in the session, redirect with an id."""
    form = forms.SearchForm(request.POST)
    params = request.GET.copy()
    params.pop("s", None)
    params.pop("after", None)
    if form.is_valid() and form.cleaned_data["q"].strip():
        searches = request.session.get(SEARCH_SESSION_KEY, {})
        token = secrets.token_urlsafe(6)
        searches[token] = form.cleaned_data["q"].strip()
        # Keep the newest few (dicts keep insertion order).
        request.session[SEARCH_SESSION_KEY] = dict(list(searches.items())[-SEARCHES_KEPT:])
        params["s"] = token
    elif not form.is_valid():
        return case_list(request, search_form=form, status=400)
    query = params.urlencode()
    return HttpResponseRedirect(reverse("cases:list") + (f"?{query}" if query else ""))


@member_required
def case_list(request: HttpRequest, search_form=None, status: int = 200) -> HttpResponse:
    organisation = request.membership.organisation
    filter_form = forms.FilterForm(request.GET or None, organisation=organisation)
    filters = queries.CaseFilters()
    if filter_form.is_bound and filter_form.is_valid():
        data = filter_form.cleaned_data
        filters = queries.CaseFilters(
            status=data["status"],
            problem_type=data["problem_type"],
            assignee=data["assignee"],
            citizenship=data["citizenship"],
            overdue=data["overdue"],
            due_soon=data["due_soon"],
            sort=data["sort"] or "newest",
        )
    elif filter_form.is_bound:
        status = 400
    token = request.GET.get("s", "")
    filters.text = _saved_search(request, token)
    if token and not filters.text:
        token = ""  # an expired or foreign search id: show everything
    cases = queries.filter_cases(
        queries.org_cases(request.user, organisation), filters, request.user
    )
    page = queries.keyset_page(cases, sort=filters.sort, cursor=request.GET.get("after", ""))
    similar = []
    if filters.text and not page.rows and not request.GET.get("after"):
        similar = queries.similar_cases(
            queries.org_cases(request.user, organisation), filters, request.user
        )
    params = request.GET.copy()
    params.pop("after", None)
    next_params = params.copy()
    if page.next_cursor:
        next_params["after"] = page.next_cursor
    context = {
        "filter_form": filter_form,
        "search_form": search_form or forms.SearchForm(initial={"q": filters.text}),
        "page": page,
        "similar_rows": similar,
        "search_text": filters.text,
        "search_token": token,
        "query_string": params.urlencode(),
        "next_query": next_params.urlencode() if page.next_cursor else "",
        "is_later_page": bool(request.GET.get("after")),
        "count_cap": queries.COUNT_CAP,
    }
    return render(request, "cases/case_list.html", context, status=status)


# --- Intake ------------------------------------------------------------------------------


@member_required
def intake(request: HttpRequest) -> HttpResponse:
    organisation = request.membership.organisation
    if not _can(request, permissions.Action.CREATE_CASE):
        raise PermissionDenied
    status = 200
    existing = None
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
                "case_form": forms.IntakeCaseForm(prefix="c", initial=initial),
                "existing": existing,
            },
        )
    if request.method == "POST":
        existing_id = request.POST.get("m-existing_migrant", "")
        if existing_id:
            existing = _intake_migrant(request, organisation, existing_id)
        migrant_form = forms.IntakeMigrantForm(
            request.POST, prefix="m", using_existing=existing is not None
        )
        case_form = forms.IntakeCaseForm(request.POST, prefix="c")
        migrant_ok = migrant_form.is_valid()
        case_ok = case_form.is_valid()
        if migrant_ok and case_ok:
            token = case_form.cleaned_data["submission"]
            first, result = claim_submission(request, token)
            if not first:
                if isinstance(result, int):
                    return redirect("cases:detail", pk=result)
                messages.info(request, _("This form was already sent; it is being saved."))
                return redirect("cases:dashboard")
            try:
                case = _open_from_intake(request, organisation, existing, migrant_form, case_form)
            except ValidationError as exc:
                release_submission(request, token)
                target = case_form if _is_case_error(exc) else migrant_form
                forms.add_service_errors(target, exc)
            else:
                finish_submission(request, token, case.pk)
                messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
                return redirect(case)
        status = 400
    else:
        migrant_form = forms.IntakeMigrantForm(prefix="m")
        case_form = forms.IntakeCaseForm(prefix="c")
    return render(
        request,
        "cases/intake.html",
        {"migrant_form": migrant_form, "case_form": case_form, "existing": existing},
        status=status,
    )


def _intake_migrant(request, organisation, raw_id: str) -> Migrant:
    migrant = (
        Migrant.objects.visible_to(request.user)
        .filter(organisation=organisation, pk=int(raw_id) if raw_id.isdigit() else 0)
        .first()
    )
    if migrant is None:
        raise Http404
    return migrant


_CASE_ERROR_FIELDS = {"problem_type", "priority", "summary", "assignee", *services.CASE_FACT_FIELDS}


def _is_case_error(exc: ValidationError) -> bool:
    return hasattr(exc, "error_dict") and bool(set(exc.error_dict) & _CASE_ERROR_FIELDS)


def _open_from_intake(request, organisation, existing, migrant_form, case_form) -> Case:
    """Find-or-create the migrant and open the case: one transaction, nothing half-saved."""
    data = case_form.cleaned_data
    facts = {name: data[name] for name in case_form.FACTS if data[name] not in (None, "")}
    with transaction.atomic():
        migrant = existing or services.create_migrant(
            organisation=organisation, by=request.user, **migrant_form.service_values()
        )
        return services.open_case(
            organisation=organisation,
            migrant=migrant,
            problem_type=data["problem_type"],
            priority=data["priority"],
            summary=data["summary"],
            assignee=request.user if data["assign_to_me"] else None,
            by=request.user,
            **facts,
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
    candidates = Migrant.objects.none()
    seen = set()
    found = []
    for full_name in filter(None, [data.get("full_name_latin"), data.get("full_name_cyrillic")]):
        candidates = services.find_duplicate_migrants(
            organisation=organisation,
            full_name=full_name,
            date_of_birth=data.get("date_of_birth"),
        )
        found.extend(m for m in candidates if m.pk not in seen and not seen.add(m.pk))
    for phone in filter(None, [data.get("phone"), data.get("phone_secondary")]):
        candidates = services.find_duplicate_migrants(organisation=organisation, phone=phone)
        found.extend(m for m in candidates if m.pk not in seen and not seen.add(m.pk))
    visible = set(
        Migrant.objects.visible_to(request.user).filter(pk__in=seen).values_list("pk", flat=True)
    )
    found = [m for m in found if m.pk in visible][:5]
    return render(
        request, "cases/_duplicates.html", {"duplicates": found, "typed_name": bool(name)}
    )


# --- Case page ---------------------------------------------------------------------------


def _trafficking_hidden(user, case: Case) -> bool:
    """Details of a trafficking case (facts, summary, note texts) need the Membership flag."""
    return case.problem_type == Case.ProblemType.TRAFFICKING and not permissions.can(
        user, case.organisation, permissions.Action.VIEW_TRAFFICKING
    )


def _case_context(request, case: Case, **extra) -> dict:
    organisation = case.organisation
    granted = permissions.allowed_actions(request.user, organisation)
    allowed = {action.value: action in granted for action in permissions.Action}
    next_status = _next_status(case)
    context = {
        "case": case,
        "migrant": case.migrant,
        "allowed": allowed,
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
        "assign_form": forms.AssignForm(
            organisation=organisation, initial={"assignee": case.assignee_id}
        ),
        "task_form": forms.TaskForm(),
        "facts": _facts(case),
        "citizenship_name": dict(forms.CITIZENSHIPS).get(
            case.migrant.citizenship, case.migrant.citizenship
        ),
        "timeline": _timeline(case),
        "tasks": case.tasks.select_related("assignee"),
        "history": _history(case),
        "trafficking_hidden": _trafficking_hidden(request.user, case),
        **panels.checklist_panel_context(case=case),
    }
    context.update(extra)
    return context


def _facts(case: Case) -> list[tuple[str, object]]:
    rows = []
    for name in services.CASE_FACT_FIELDS:
        if name in ("extra_facts", "country_of_stay", "currency"):
            continue
        value = getattr(case, name)
        if value in (None, ""):
            continue
        field = Case._meta.get_field(name)
        if field.choices:
            value = getattr(case, f"get_{name}_display")()
        elif name == "amount_owed":
            value = f"{value:,.2f} {case.currency}".replace(",", "\u202f")
        rows.append((str(field.verbose_name), value))
    return rows


# The sensible next step from each status: the case page's primary button.
NEXT_STATUS = {
    Case.Status.NEW: Case.Status.IN_PROGRESS,
    Case.Status.WAITING_MIGRANT: Case.Status.IN_PROGRESS,
    Case.Status.WAITING_AUTHORITY: Case.Status.IN_PROGRESS,
    Case.Status.WAITING_EMPLOYER: Case.Status.IN_PROGRESS,
}


def _next_status(case: Case) -> str:
    return NEXT_STATUS.get(case.status, "")


def _timeline(case: Case) -> list[dict]:
    """The case's feed, newest first, each event with a readable one-line description."""
    from accounts.models import User

    events = list(case.timeline.select_related("actor")[:200])
    user_ids = {
        value
        for event in events
        if event.kind == TimelineEvent.Kind.ASSIGNMENT
        for value in (event.data.get("from"), event.data.get("to"))
        if value
    }
    names = {
        user.pk: user.get_full_name() or user.username
        for user in User.objects.filter(pk__in=user_ids)
    }
    return [{"event": event, "description": _describe(event, names)} for event in events]


def _status_label(value: str) -> str:
    return Case.Status(value).label if value in Case.Status.values else value


def _describe(event: TimelineEvent, names: dict) -> str:
    data = event.data or {}
    if event.kind == TimelineEvent.Kind.STATUS:
        text = f"{_status_label(data.get('from', ''))} → {_status_label(data.get('to', ''))}"
        if data.get("outcome") in Case.Outcome.values and data.get("outcome"):
            text += " · " + _("outcome: %(outcome)s") % {
                "outcome": Case.Outcome(data["outcome"]).label
            }
        if data.get("reopened"):
            text = _("Reopened") + ": " + text
        return text
    if event.kind == TimelineEvent.Kind.ASSIGNMENT:
        target = names.get(data.get("to"))
        return _("Assigned to %(name)s") % {"name": target} if target else _("Unassigned")
    if event.kind == TimelineEvent.Kind.FACTS:
        return _("Changed: %(fields)s") % {
            "fields": ", ".join(_field_label(Case, name) for name in data.get("fields", []))
        }
    if event.kind == TimelineEvent.Kind.OPENED:
        problem = data.get("problem_type", "")
        return Case.ProblemType(problem).label if problem in Case.ProblemType.values else ""
    if event.kind == TimelineEvent.Kind.TASK:
        return _("Task done") if data.get("done") else _("Task added")
    return ""


def _history(case: Case) -> list:
    records = list(case.history.select_related("history_user")[:30])
    records += list(case.migrant.history.select_related("history_user")[:30])
    records.sort(key=lambda record: record.history_date, reverse=True)
    rows = []
    for record in records[:40]:
        previous = record.prev_record
        fields = []
        if previous is not None:
            fields = [change.field for change in record.diff_against(previous).changes]
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "kind": record.get_history_type_display(),
                "object": _("migrant") if record.instance_type is Migrant else _("case"),
                "fields": [_field_label(record.instance_type, name) for name in fields],
            }
        )
    return rows


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 — a renamed field in old history still shows its name
        return name


@member_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return render(request, "cases/case_detail.html", _case_context(request, case))


def _render_case_with_error(request, case: Case, status: int = 400, **forms_with_errors):
    return render(
        request,
        "cases/case_detail.html",
        _case_context(request, case, **forms_with_errors),
        status=status,
    )


@member_required
@require_POST
def case_note(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = forms.NoteForm(request.POST)
    status = 200
    if form.is_valid():
        token = form.cleaned_data["submission"]
        first, _result = claim_submission(request, token)
        if first:
            try:
                services.add_note(case=case, text=form.cleaned_data["text"], by=request.user)
            except ValidationError as exc:
                release_submission(request, token)
                forms.add_service_errors(form, exc)
                status = 400
            else:
                finish_submission(request, token, "done")
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
                "timeline": _timeline(case),
                "trafficking_hidden": _trafficking_hidden(request.user, case),
            },
            status=status,
        )
    if status == 400:
        return _render_case_with_error(request, case, note_form=form)
    return redirect(case)


@member_required
@require_POST
def case_status(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
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
    return _render_case_with_error(request, case, status_form=form)


@member_required
@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        to = Case.Status.RESOLVED if request.POST.get("resolve") else Case.Status.CLOSED
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
                messages.success(request, _("Case closed."))
            return redirect(case)
    return _render_case_with_error(request, case, close_form=form)


@member_required
@require_POST
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = forms.ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_case(case=case, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, _("Case reopened."))
            return redirect(case)
    return _render_case_with_error(request, case, reopen_form=form)


@member_required
@require_POST
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = forms.AssignForm(request.POST, organisation=case.organisation)
    if form.is_valid():
        try:
            services.assign_case(case=case, assignee=form.cleaned_data["assignee"], by=request.user)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            return redirect(case)
    return _render_case_with_error(request, case, assign_form=form)


@member_required
@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = forms.TaskForm(request.POST)
    if form.is_valid():
        token = form.cleaned_data["submission"]
        first, _result = claim_submission(request, token)
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
            release_submission(request, token)
            forms.add_service_errors(form, exc)
        else:
            finish_submission(request, token, "done")
            return redirect(case)
    return _render_case_with_error(request, case, task_form=form)


@member_required
@require_POST
def task_done(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    case = _case(request, pk)
    task = get_object_or_404(Task, case=case, pk=task_pk)
    services.complete_task(task=task, by=request.user)
    return redirect(case)


@member_required
@require_POST
def reveal_passport(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    number = services.reveal_passport_number(migrant=case.migrant, by=request.user)
    return render(request, "cases/_passport.html", {"number": number, "migrant": case.migrant})


def _save_through_service(request, form, save, success_message: str) -> bool:
    """Validate the form and save through a service; on failure the errors sit on the form."""
    if not form.is_valid():
        return False
    try:
        save(form.service_values())
    except ValidationError as exc:
        forms.add_service_errors(form, exc)
        return False
    messages.success(request, success_message)
    return True


@member_required
def case_facts(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    permissions.require(request.user, case.organisation, permissions.Action.EDIT_CASE)
    if case.problem_type == Case.ProblemType.TRAFFICKING:
        # The facts of a trafficking case are field-level protected (Membership flag).
        permissions.require(request.user, case.organisation, permissions.Action.VIEW_TRAFFICKING)
    status = 200
    if request.method == "POST":
        form = forms.CaseFactsForm(request.POST, instance=Case(pk=case.pk))
        saved = _save_through_service(
            request,
            form,
            lambda values: services.update_case_facts(case=case, by=request.user, **values),
            _("Facts saved."),
        )
        if saved:
            return redirect(case)
        status = 400
    else:
        form = forms.CaseFactsForm(instance=case)
    groups = [(title, [form[name] for name in names]) for title, names in forms.FACT_GROUPS]
    return render(
        request,
        "cases/case_facts.html",
        {"case": case, "form": form, "groups": groups},
        status=status,
    )


@member_required
def migrant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    migrant = case.migrant
    permissions.require(request.user, case.organisation, permissions.Action.EDIT_CASE)
    status = 200
    if request.method == "POST":
        form = forms.MigrantForm(request.POST, instance=Migrant(pk=migrant.pk))
        saved = _save_through_service(
            request,
            form,
            lambda values: services.update_migrant(migrant=migrant, by=request.user, **values),
            _("Migrant details saved."),
        )
        if saved:
            return redirect(case)
        status = 400
    else:
        form = forms.MigrantForm(instance=migrant)
    return render(request, "cases/migrant_edit.html", {"case": case, "form": form}, status=status)


# --- Members -----------------------------------------------------------------------------


def _members_context(request, *, add_form=None, failed=None) -> dict:
    """The members page; `failed` is a MembershipForm with errors to show in its row."""
    organisation = request.membership.organisation
    rows = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", "user__username")
    )

    def form_for(membership):
        if failed is not None and failed.instance.pk == membership.pk:
            return failed
        return forms.MembershipForm(instance=membership, prefix=f"m{membership.pk}")

    return {
        "memberships": [(membership, form_for(membership)) for membership in rows],
        "add_form": add_form or forms.MemberAddForm(),
    }


@member_required
def members(request: HttpRequest) -> HttpResponse:
    organisation = request.membership.organisation
    permissions.require(request.user, organisation, permissions.Action.MANAGE_MEMBERS)
    if request.method == "POST":
        form = forms.MemberAddForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_member(
                    organisation=organisation,
                    by=request.user,
                    role=data["role"],
                    existing_user=data.get("existing_user"),
                    new_username=data["new_username"],
                    new_email=data["new_email"],
                    new_password=data["new_password"],
                )
            except ValidationError as exc:
                forms.add_service_errors(form, exc)
            else:
                messages.success(request, _("Member added."))
                return redirect("cases:members")
        return render(
            request, "cases/members.html", _members_context(request, add_form=form), status=400
        )
    return render(request, "cases/members.html", _members_context(request))


@member_required
@require_POST
def member_update(request: HttpRequest, membership_pk: int) -> HttpResponse:
    organisation = request.membership.organisation
    permissions.require(request.user, organisation, permissions.Action.MANAGE_MEMBERS)
    membership = get_object_or_404(Membership, organisation=organisation, pk=membership_pk)
    form = forms.MembershipForm(
        request.POST, instance=Membership(pk=membership.pk), prefix=f"m{membership.pk}"
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_membership(
                membership=membership,
                by=request.user,
                role=data["role"],
                is_active=data["is_active"],
                **{name: data[name] for name in services.MEMBERSHIP_FLAGS},
            )
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, _("Member updated."))
            return redirect("cases:members")
    return render(
        request,
        "cases/members.html",
        _members_context(request, failed=form),
        status=400,
    )
