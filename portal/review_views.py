"""The translators' page: what still awaits a native speaker's review, per language."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from content.models import DeadlineRule, DocumentTranslation
from portal import review

_SHOWN = 50  # entries listed per language; the count says how many there are in all


def _rule_texts_awaiting() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in DocumentTranslation.objects.filter(needs_review=True).select_related("document"):
        found.setdefault(row.language, []).append(f"{row.document.code} ({row.name})")
    for rule in DeadlineRule.objects.all().only("key", "texts"):
        for language in (rule.texts or {}).get("needs_review", []):
            found.setdefault(language, []).append(rule.key)
    return found


@login_required
def awaiting_review(request: HttpRequest) -> HttpResponse:
    if not review.can_translate(request.user):
        raise PermissionDenied
    catalogues = review.awaiting_review()
    rules = _rule_texts_awaiting()
    rows = [
        {
            "language": language,
            "catalogue_count": len(catalogues.get(language, [])),
            "catalogue": catalogues.get(language, [])[:_SHOWN],
            "rules_count": len(rules.get(language, [])),
            "rules": sorted(set(rules.get(language, [])))[:_SHOWN],
        }
        for language in review.LANGUAGES
    ]
    return render(request, "portal/translation_review.html", {"rows": rows})
