"""The audit log for organisation admins: their own organisation's events only, read-only."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string

from audit.models import AuditEvent


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    # Whose log this user may read is the core's rule (AUDIT_LOG_ORGANISATION): audit knows
    # organisations only as the events' owners.
    organisation = import_string(settings.AUDIT_LOG_ORGANISATION)(request)
    if organisation is None:
        raise Http404
    events = AuditEvent.objects.filter(organisation=organisation).select_related("actor")
    action = request.GET.get("action", "").strip()[:64]
    if action:
        events = events.filter(action__startswith=action)
    actor = request.GET.get("actor", "")
    if actor.isdigit():
        events = events.filter(actor_id=int(actor))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    actions = (
        AuditEvent.objects.filter(organisation=organisation)
        .order_by()
        .values_list("action", flat=True)
        .distinct()
    )
    context = {"page": page, "action": action, "actions": sorted(actions)}
    return render(request, "audit/log.html", context)
