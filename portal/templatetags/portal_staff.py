"""`{% portal_panel case %}` for the caseworker's case page: link status and the migrant's ticks."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from cases.models import Case, TimelineEvent
from portal import languages, services, texts

register = template.Library()


@register.inclusion_tag("portal/_case_panel.html", takes_context=True)
def portal_panel(context, case: Case, staff_page: bool = False) -> dict:
    """`staff_page`: on the link page itself, only what it does not show already (the ticks)."""
    items = context.get("checklist_items")
    if items is not None and context.get("case") == case:
        # The case page has read the current checklist already: pick the ticked items.
        ticked = sorted(
            (item for item in items if item.ticked_by_migrant_at is not None),
            key=lambda item: item.ticked_by_migrant_at,
            reverse=True,
        )
    else:
        ticked = case.checklist.filter(
            ticked_by_migrant_at__isnull=False, retired_at__isnull=True
        ).order_by("-ticked_by_migrant_at")
    ticked = list(ticked)
    lang = languages.pick(get_language())
    names = texts.documents({item.document_code for item in ticked}, lang) if ticked else {}
    return {
        "case": case,
        "staff_page": staff_page,
        "link": None if staff_page else services.active_link(case=case),
        "ticked": [(item, names[item.document_code].name) for item in ticked],
        "migrant_events": case.timeline.filter(kind=TimelineEvent.Kind.MIGRANT)[:5],
    }
