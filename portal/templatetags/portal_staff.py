"""`{% portal_panel case %}` for the caseworker's case page: link status and the migrant's ticks."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from cases.models import Case, TimelineEvent
from portal import languages, services, texts

register = template.Library()


@register.inclusion_tag("portal/_case_panel.html")
def portal_panel(case: Case, staff_page: bool = False) -> dict:
    """`staff_page`: on the link page itself, only what it does not show already (the ticks)."""
    ticked = case.checklist.filter(
        ticked_by_migrant_at__isnull=False, retired_at__isnull=True
    ).order_by("-ticked_by_migrant_at")
    lang = languages.pick(get_language())
    return {
        "case": case,
        "staff_page": staff_page,
        "link": None if staff_page else services.active_link(case=case),
        "ticked": [(item, texts.document(item.document_code, lang).name) for item in ticked],
        "migrant_events": case.timeline.filter(kind=TimelineEvent.Kind.MIGRANT)[:5],
    }
