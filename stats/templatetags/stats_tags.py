from __future__ import annotations

from django import template
from django.urls import reverse

register = template.Library()

# Dashboard table key -> export dimensions (rows, cols).
_EXPORTS = {
    "outcomes_by_problem": ("problem", "outcome"),
}


@register.simple_tag(takes_context=True)
def export_url(context, key: str, fmt: str) -> str:
    """The aggregate-export URL for a dashboard table, keeping the page's filters."""
    query = context["request"].GET.copy()
    for name in ("rows", "cols", "fmt"):
        query.pop(name, None)
    rows, cols = _EXPORTS.get(key, (key, ""))
    query["rows"] = rows
    if cols:
        query["cols"] = cols
    query["fmt"] = fmt
    return f"{reverse('stats:export_table')}?{query.urlencode()}"
