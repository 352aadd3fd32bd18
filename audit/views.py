"""The audit log for organisation admins: their own organisation's events only, read-only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from audit.models import AuditEvent
from cases.models import Membership
from cases.organisations import current_membership


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None or membership.role != Membership.Role.ADMIN:
        raise Http404
    events = AuditEvent.objects.filter(organisation=membership.organisation).select_related("actor")
    action = request.GET.get("action", "").strip()[:64]
    if action:
        events = events.filter(action__startswith=action)
    actor = request.GET.get("actor", "")
    if actor.isdigit():
        events = events.filter(actor_id=int(actor))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    actions = (
        AuditEvent.objects.filter(organisation=membership.organisation)
        .order_by()
        .values_list("action", flat=True)
        .distinct()
    )
    context = {"page": page, "action": action, "actions": sorted(actions)}
    return render(request, "audit/log.html", context)
