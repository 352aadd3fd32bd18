"""Statistics pages: the dashboard, aggregate downloads, case-level exports and their jobs.

Organisation admins see their current organisation; platform admins (superusers) see the
network view across organisations, always with small-cell suppression.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import permissions
from cases.models import Organisation
from cases.organisations import current_membership
from stats import charts, exports, queries, services, tables
from stats import dashboard as stats_dashboard
from stats.forms import CaseExportForm, FilterForm, TableExportForm
from stats.models import ExportJob
from stats.tasks import run_export

Action = permissions.Action


@dataclass(frozen=True)
class Scope:
    organisation: Organisation | None  # None: the network view
    network: bool


def _scope(request: HttpRequest) -> Scope:
    membership = current_membership(request)
    admin_here = membership is not None and permissions.can(
        request.user, membership.organisation, Action.VIEW_STATISTICS
    )
    if request.user.is_superuser and (request.GET.get("scope") == "network" or not admin_here):
        return Scope(organisation=None, network=True)
    if admin_here:
        return Scope(organisation=membership.organisation, network=False)
    raise PermissionDenied


def _filters(scope: Scope, form: FilterForm) -> tuple[queries.Filters, int | None, str]:
    """The query filters, k (None: exact numbers) and a line naming the organisations."""
    data = form.cleaned_data
    if scope.network:
        chosen = data.get("organisation")
        ids = (chosen.pk,) if chosen else None
        names = chosen.name if chosen else _("all organisations (network view)")
        k: int | None = settings.STATS_MIN_CELL
    else:
        ids = (scope.organisation.pk,)
        names = scope.organisation.name
        k = settings.STATS_MIN_CELL if data.get("audience") == FilterForm.OUTSIDE else None
    filters = services.filters_from_params(form.params(), ids)
    return filters, k, names


def _tables(tables: list[tables.CountTable], k: int | None) -> list[dict]:
    shown = []
    for table in tables:
        view = exports.present(table, k=k)
        chart = None
        if view.rows and view.one_way and not view.withheld:
            chart = charts.bar_chart(view.row_labels, [r[0] for r in view.rows], title=view.title)
        shown.append(
            {
                "table": view,
                "chart": chart,
                "exportable": table.key in _EXPORTABLE,
                "counts_problems": table.counts_problems,
                "note": table.note,
            }
        )
    return shown


# Dashboard tables that map onto export dimensions (rows[, cols]).
_EXPORTABLE = {
    "problem": ("problem", ""),
    "citizenship": ("citizenship", ""),
    "gender": ("gender", ""),
    "age_band": ("age_band", ""),
    "region": ("region", ""),
    "sector": ("sector", ""),
    "organisation": ("organisation", ""),
    "outcomes_by_problem": ("problem", "outcome"),
}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form = FilterForm(request.GET or None, network=scope.network)
    if request.GET and not form.is_valid():
        return render(request, "stats/dashboard.html", {"form": form, "scope": scope}, status=400)
    if not request.GET:
        today = timezone.localdate()
        start = (today.replace(day=1) - timedelta(days=330)).replace(day=1)
        defaults = {"audience": FilterForm.INTERNAL, "date_from": start, "date_to": today}
        form = FilterForm(defaults, network=scope.network)
        form.is_valid()
    filters, k, names = _filters(scope, form)
    figures = stats_dashboard.dashboard(filters, network=scope.network)
    opened = exports.present(figures.opened, k=k)
    closed = exports.present(figures.closed, k=k)
    medians = figures.medians
    tables = _tables(figures.tables, k)
    query = request.GET.copy()
    query.pop("rows", None)
    context = {
        "form": form,
        "scope": scope,
        "k": k,
        "organisations": names,
        "opened": opened,
        "closed": closed,
        "months": list(
            zip(
                opened.row_labels,
                (r[0] for r in opened.rows),
                (r[0] for r in closed.rows),
                strict=True,
            )
        ),
        "trend": charts.line_chart(
            opened.row_labels,
            [
                (_("Opened"), [r[0] for r in opened.rows]),
                (_("Closed"), [r[0] for r in closed.rows]),
            ],
            title=_("Cases opened and closed per month"),
        ),
        "medians": [{"m": m, "hidden": k is not None and m.cases < k} for m in medians],
        "tables": tables,
        "exportable": _EXPORTABLE,
        "any_primary": any(t["table"].has_primary for t in tables)
        or opened.has_primary
        or closed.has_primary,
        "any_complementary": any(t["table"].has_complementary for t in tables),
        "any_withheld": any(t["table"].withheld for t in tables),
        "query": query.urlencode(),
        "table_form": TableExportForm(network=scope.network),
        "can_export_cases": scope.organisation is not None
        and services.may_export_cases(request.user, scope.organisation, ExportJob.Kind.RESEARCH),
    }
    return render(request, "stats/dashboard.html", context)


@login_required
def export_table(request: HttpRequest) -> HttpResponse:
    """An aggregate table (one- or two-way) as CSV or XLSX, suppressed when it leaves the org."""
    scope = _scope(request)
    form = FilterForm(request.GET, network=scope.network)
    table_form = TableExportForm(request.GET, network=scope.network)
    if not form.is_valid() or not table_form.is_valid():
        return render(
            request,
            "stats/export_error.html",
            {"errors": [*form.errors.values(), *table_form.errors.values()]},
            status=400,
        )
    if scope.organisation is not None:
        permissions.require(request.user, scope.organisation, Action.EXPORT_AGGREGATES)
    filters, k, names = _filters(scope, form)
    rows, cols = table_form.cleaned_data["rows"], table_form.cleaned_data.get("cols") or None
    if cols:
        # The one-way tables of both dimensions are on the dashboard: link the patterns.
        table, row_margin, col_margin = tables.breakdown_with_margins(filters, rows, cols)
        shown = exports.present(table, k=k, row_margin=row_margin, col_margin=col_margin)
    else:
        shown = exports.present(tables.breakdown(filters, rows), k=k)
    notes = exports.aggregate_notes(shown, services.filter_context(form.params(), names))
    fmt = table_form.cleaned_data["fmt"]
    services.record_aggregate_export(
        by=request.user, organisation=scope.organisation, table_key=shown.key, fmt=fmt, k=k
    )
    stamp = timezone.localdate().isoformat()
    if fmt == ExportJob.Format.XLSX:
        body = exports.aggregate_xlsx(shown, notes)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exports.aggregate_csv(shown, notes)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="hamroh-{shown.key}-{stamp}.{fmt}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def export_cases(request: HttpRequest) -> HttpResponse:
    """Case-level exports of the current organisation: small ones download at once."""
    scope = _scope(request)
    if scope.organisation is None:
        raise PermissionDenied
    organisation = scope.organisation
    if not services.may_export_cases(request.user, organisation, ExportJob.Kind.RESEARCH):
        raise PermissionDenied
    allow_full = services.may_export_cases(request.user, organisation, ExportJob.Kind.FULL)
    filter_form = FilterForm(request.GET or None, network=False)
    if request.GET and not filter_form.is_valid():
        return render(
            request, "stats/export_error.html", {"errors": filter_form.errors.values()}, status=400
        )
    if not request.GET:
        filter_form = FilterForm({}, network=False)
        filter_form.is_valid()
    form = CaseExportForm(request.POST or None, allow_full=allow_full)
    context = {"form": form, "organisation": organisation, "query": request.GET.urlencode()}
    if request.method == "GET":
        return render(request, "stats/export_cases.html", context)
    if not form.is_valid():
        return render(request, "stats/export_cases.html", context, status=400)
    try:
        job = services.request_case_export(
            by=request.user,
            organisation=organisation,
            kind=form.cleaned_data["kind"],
            fmt=form.cleaned_data["fmt"],
            params=filter_form.params(),
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return render(request, "stats/export_cases.html", context, status=400)
    if services.runs_in_background(job):
        transaction.on_commit(lambda: run_export.delay(str(job.pk)))
        return redirect("stats:job", pk=job.pk)
    job = services.run_export_job(job_id=job.pk)
    return _download(request, job)


def _job_for(request: HttpRequest, pk) -> ExportJob:
    job = get_object_or_404(ExportJob.objects.select_related("organisation"), pk=pk)
    if not services.visible_job(request.user, job):
        raise Http404  # another organisation's job does not exist, as far as you know
    return job


@login_required
def job_detail(request: HttpRequest, pk) -> HttpResponse:
    job = _job_for(request, pk)
    context = {"job": job, "htmx": bool(finders.find("js/htmx.min.js"))}
    return render(request, "stats/job.html", context)


@login_required
def job_progress(request: HttpRequest, pk) -> HttpResponse:
    job = _job_for(request, pk)
    return render(request, "stats/_job_progress.html", {"job": job, "htmx": True})


@login_required
def job_download(request: HttpRequest, pk) -> HttpResponse:
    return _download(request, _job_for(request, pk))


def _download(request: HttpRequest, job: ExportJob | None) -> HttpResponse:
    path = services.job_file(job) if job else None
    if path is None:
        return render(
            request,
            "stats/job.html",
            {"job": job, "htmx": False},
            status=410 if job and job.state == ExportJob.State.EXPIRED else 409,
        )
    services.record_download(by=request.user, job=job)
    stamp = timezone.localtime(job.created_at).date().isoformat()
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"hamroh-{job.kind}-{stamp}.{job.format}",
    )
