"""The rules table's texts for the portal, in the portal's languages (incl. Uzbek Cyrillic)."""

from __future__ import annotations

import dataclasses

from django.core.exceptions import ObjectDoesNotExist

from content import queries
from content.queries import DeadlineText, DocumentText
from portal import languages

# What the rules table may raise for a code it does not know (KeyError, DoesNotExist, ...).
UNKNOWN = (LookupError, ObjectDoesNotExist)


def _in_script(obj, lang: str):
    """Uzbek texts as an administrator typed them, with the right apostrophes; in Cyrillic for
    uz-cyrl. Other languages as stored."""
    if lang not in ("uz", "uz-cyrl"):
        return obj
    convert = languages.uz_latin_to_cyrillic if lang == "uz-cyrl" else languages.normalise_uz_latin
    values = {
        f.name: convert(getattr(obj, f.name))
        for f in dataclasses.fields(obj)
        if f.name not in ("code", "rule_key") and isinstance(getattr(obj, f.name), str)
    }
    return dataclasses.replace(obj, **values)


def document(code: str, lang: str) -> DocumentText:
    """A document's texts for the migrant; an unknown code still shows something useful."""
    try:
        text = queries.document_text(code, languages.content_language(lang))
    except UNKNOWN:
        return DocumentText(
            code=code, name=code, description="", how_to_obtain="", cost="", validity=""
        )
    return _in_script(text, lang)


def documents(codes, lang: str) -> dict[str, DocumentText]:
    """`document` for many codes in one query, by code."""
    found = queries.document_texts(codes, languages.content_language(lang))
    return {code: _in_script(text, lang) for code, text in found.items()}


def deadline(rule_key: str, lang: str, *, fallback_title: str = "") -> DeadlineText:
    if not rule_key:
        return DeadlineText(rule_key="", title=fallback_title, advice="")
    try:
        text = queries.deadline_text(rule_key, languages.content_language(lang))
    except UNKNOWN:
        return DeadlineText(rule_key=rule_key, title=fallback_title, advice="")
    return _in_script(text, lang)


def source(rule_key: str, source_line: str, lang: str, *, deadline: bool = False) -> str:
    """The rule's citation in the reader's language, never an internal id (Uzbek script kept)."""
    if not rule_key:
        return source_line
    try:
        text = queries.source_text(
            rule_key, source_line, languages.content_language(lang), deadline=deadline
        )
    except UNKNOWN:
        return source_line
    if lang == "uz-cyrl":
        return languages.uz_latin_to_cyrillic(text)
    return languages.normalise_uz_latin(text) if lang == "uz" else text
