"""Per-language review of the rule and document texts: who checked which language, and when.

A review is stored with a digest of the English source and the translation it vouches for. The
text then stops being marked "not yet checked" (DocumentTranslation.needs_review, a deadline's
texts["needs_review"]); a reload of the rules files keeps it so only while the digest still
matches, so an edited source or translation waits for a reviewer again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from content import rulesdata
from content.models import DeadlineRule, DocumentTranslation, TranslationReview

# The signed-in reviewer (settings.AUTH_USER_MODEL); content knows no person (type left open).
Staff = Any
DEADLINE_TEXT_FIELDS = ("title", "advice")
SOURCE_LANGUAGE = "en"


class ReviewError(ValueError):
    """A review that cannot be recorded (no reviewer, the English source itself, no text)."""


def digest(source: Mapping[str, Any], translation: Mapping[str, Any], fields: Iterable[str]) -> str:
    """A fingerprint of the translation together with the source it was checked against."""
    fields = tuple(fields)
    payload = {
        "source": [" ".join(str(source.get(f) or "").split()) for f in fields],
        "translation": [" ".join(str(translation.get(f) or "").split()) for f in fields],
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def document_digest(row: DocumentTranslation) -> str:
    english = row.document.translations.filter(language=SOURCE_LANGUAGE).first()
    source = {f: getattr(english, f) for f in rulesdata.DOCUMENT_TEXT_FIELDS} if english else {}
    translation = {f: getattr(row, f) for f in rulesdata.DOCUMENT_TEXT_FIELDS}
    return digest(source, translation, rulesdata.DOCUMENT_TEXT_FIELDS)


def deadline_digest(texts: Mapping[str, Any], language: str) -> str:
    return digest(texts.get(SOURCE_LANGUAGE) or {}, texts.get(language) or {}, DEADLINE_TEXT_FIELDS)


def _reviewer_name(by: Staff) -> str:
    if not getattr(by, "is_authenticated", False):
        raise ReviewError(_("Only a signed-in person can review a translation."))
    return (by.get_full_name() or by.get_username())[:150]


@transaction.atomic
def review_document_text(row: DocumentTranslation, *, by: Staff) -> TranslationReview:
    """`by` has checked this language of the document against the English: record it."""
    name = _reviewer_name(by)
    if row.language == SOURCE_LANGUAGE:
        raise ReviewError(_("The English text is the source; it has no translation to review."))
    review = TranslationReview.objects.create(
        document_translation=row,
        language=row.language,
        text_digest=document_digest(row),
        reviewed_by=by,
        reviewer_name=name,
    )
    if row.needs_review:
        row.needs_review = False
        row.save(update_fields=["needs_review"])
    return review


@transaction.atomic
def review_deadline_texts(rule: DeadlineRule, language: str, *, by: Staff) -> TranslationReview:
    """`by` has checked the deadline's title and advice in `language`: record it."""
    name = _reviewer_name(by)
    texts = dict(rule.texts or {})
    if language == SOURCE_LANGUAGE:
        raise ReviewError(_("The English text is the source; it has no translation to review."))
    if not (texts.get(language) or {}).get("title"):
        raise ReviewError(_("This deadline has no text in that language yet."))
    review = TranslationReview.objects.create(
        deadline_rule=rule,
        language=language,
        text_digest=deadline_digest(texts, language),
        reviewed_by=by,
        reviewer_name=name,
    )
    waiting = list(texts.get("needs_review") or [])
    if language in waiting:
        waiting.remove(language)
        texts["needs_review"] = waiting
        rule.texts = texts
        # Not a change of substance: the rule's own verification stays as it is.
        rule.save(update_fields=["texts", "updated_at"])
    return review


def is_current(review: TranslationReview) -> bool:
    """Does the review still vouch for the text as it is now?"""
    if review.document_translation_id:
        return review.text_digest == document_digest(review.document_translation)
    return review.text_digest == deadline_digest(review.deadline_rule.texts or {}, review.language)


# --- Keeping reviews across a reload of the rules files -------------------------------------
def reviewed_document_digests() -> dict[tuple[int, str], set[str]]:
    """(document id, language) → digests of the texts someone reviewed."""
    found: dict[tuple[int, str], set[str]] = {}
    rows = TranslationReview.objects.filter(document_translation__isnull=False).values_list(
        "document_translation__document_id", "language", "text_digest"
    )
    for document_id, language, text_digest in rows:
        found.setdefault((document_id, language), set()).add(text_digest)
    return found


def reviewed_deadline_digests() -> dict[tuple[str, Any], dict[str, set[str]]]:
    """(deadline key, effective from) → language → digests of the texts someone reviewed."""
    found: dict[tuple[str, Any], dict[str, set[str]]] = {}
    rows = TranslationReview.objects.filter(deadline_rule__isnull=False).values_list(
        "deadline_rule__key", "deadline_rule__effective_from", "language", "text_digest"
    )
    for key, start, language, text_digest in rows:
        found.setdefault((key, start), {}).setdefault(language, set()).add(text_digest)
    return found


def without_reviewed(texts: dict[str, Any], reviewed: Mapping[str, set[str]]) -> dict[str, Any]:
    """A deadline's texts from the files, its languages reviewed in this very wording no longer
    awaiting review (`reviewed`: language → digests)."""
    waiting = texts.get("needs_review")
    if not waiting:
        return texts
    still = [
        language
        for language in waiting
        if deadline_digest(texts, language) not in reviewed.get(language, set())
    ]
    return texts if still == list(waiting) else {**texts, "needs_review": still}
