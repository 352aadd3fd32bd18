"""`{% deadline_reminders case %}` and `{% reminders_dashboard %}`: the reminder partials with
their context, so a page includes them in one line."""

from __future__ import annotations

from django import template

from cases import panels
from cases.models import Consent

register = template.Library()


@register.inclusion_tag("cases/_deadline_reminders.html", takes_context=True)
def deadline_reminders(context, case):
    # The case page has built the panel with the rest of the page (panels.CasePlan).
    panel = context.get("deadline_panel")
    if panel is None or panel["case"] != case:
        panel = panels.deadline_panel_context(case=case)
    return panel | {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("cases/_reminders_dashboard.html", takes_context=True)
def reminders_dashboard(context, only_mine: bool = False):
    request = context["request"]
    return panels.dashboard_context(
        user=request.user,
        organisation=context.get("current_organisation"),
        only_mine=only_mine,
    ) | {"request": request}


@register.filter
def channel_labels(codes) -> str:
    """Contact channels by their translated names ("sms" → "SMS"), for the caseworker."""
    labels = dict(Consent.Channel.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or [])
