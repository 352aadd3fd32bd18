"""Read helpers other apps use to ask the rules table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import F, JSONField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from content import citations, engine, facts, rulesets
from content.engine import Facts, Plan
from content.models import DeadlineRule, DocumentTranslation, Rule


@dataclass(frozen=True)
class DocumentText:
    code: str
    name: str
    description: str  # what it is and why it is needed, for migrants (second person)
    how_to_obtain: str
    cost: str
    validity: str
    needs_review: bool = False  # a translation nobody has checked yet: the portal says so


@dataclass(frozen=True)
class DeadlineText:
    rule_key: str
    title: str  # e.g. "Register your stay"
    advice: str  # what to do, for migrants
    needs_review: bool = False  # a translation nobody has checked yet: the portal says so


def plan_for(
    facts: Facts, *, on: date | None = None, ruleset: engine.Ruleset | None = None
) -> Plan:
    """The plan the rules in the database give for these facts (reference date: arrival).

    A caller planning many cases at once (the re-sync task) may pass the ruleset it loaded.
    """
    if ruleset is None:
        ruleset = rulesets.ruleset_from_db(country=facts.country_of_stay or "RU")
    return engine.plan(facts, ruleset, on=on or timezone.localdate())


def rules_loaded() -> bool:
    return Rule.objects.exists() or DeadlineRule.objects.exists()


def _language(language: str) -> str:
    return (language or "en").split("-")[0].lower()


def document_text(code: str, language: str) -> DocumentText:
    """A document's texts in the language (ru, tg, uz, ky, en), falling back to English."""
    return document_texts([code], language)[code]


def document_texts(codes: Iterable[str], language: str) -> dict[str, DocumentText]:
    """`document_text` for many documents in one query (a page's checklist), by code."""
    codes = set(codes)
    wanted = _language(language)
    rows: dict[str, dict[str, DocumentTranslation]] = {code: {} for code in codes}
    if codes:
        for row in DocumentTranslation.objects.filter(
            document__code__in=codes, language__in={wanted, "en"}
        ).annotate(code=F("document__code")):
            rows[row.code][row.language] = row
    return {code: _document_text(code, rows[code], wanted) for code in codes}


def _document_text(code: str, rows: dict[str, DocumentTranslation], language: str) -> DocumentText:
    row = rows.get(language) or rows.get("en")
    english = rows.get("en") or row
    if row is None:
        return DocumentText(
            code=code,
            name=code.replace("_", " "),
            description="",
            how_to_obtain="",
            cost="",
            validity="",
        )
    # A field left empty in a translation falls back to the English text.
    return DocumentText(
        code=code,
        **{
            name: getattr(row, name) or getattr(english, name)
            for name in ("name", "description", "how_to_obtain", "cost", "validity")
        },
        needs_review=row.needs_review and row.language != "en",
    )


def deadline_text(rule_key: str, language: str, *, on: date | None = None) -> DeadlineText:
    """A deadline rule's title and advice in the language, falling back to English.

    `on` (the deadline's basis date) picks the rule version the deadline came from, so a
    3-day deadline of 2009 does not get today's 7-working-day advice; default: the newest.
    """
    return deadline_texts([(rule_key, on)], language)[(rule_key, on)]


def deadline_texts(
    wanted: Iterable[tuple[str, date | None]], language: str
) -> dict[tuple[str, date | None], DeadlineText]:
    """`deadline_text` for many (rule key, basis date) pairs in one query (a case's deadlines)."""
    wanted = set(wanted)
    versions: dict[str, list[tuple[date, dict]]] = {key: [] for key, _on in wanted}
    if versions:
        rows = (
            DeadlineRule.objects.filter(key__in=versions)
            .order_by("key", "-effective_from", "id")
            .values_list("key", "effective_from", "texts")
        )
        for key, effective_from, texts in rows:
            versions[key].append((effective_from, texts or {}))
    result = {}
    for key, on in wanted:
        newest_first = versions[key]
        chosen = next((t for start, t in newest_first if on and start <= on), None)
        if chosen is None:
            chosen = newest_first[0][1] if newest_first else {}
        result[(key, on)] = _deadline_text(key, chosen, language)
    return result


def deadline_texts_column(rule_key: str, basis_date: str) -> Coalesce:
    """The texts of the rule version `deadline_text` picks, as a column of a query over rows
    with a rule key and a basis date (the names of those columns): a page reading its
    deadlines gets their titles and advice without a query of its own. Read the value with
    `deadline_text_from`."""
    versions = DeadlineRule.objects.filter(key=OuterRef(rule_key)).order_by("-effective_from", "id")
    return Coalesce(
        Subquery(versions.filter(effective_from__lte=OuterRef(basis_date)).values("texts")[:1]),
        Subquery(versions.values("texts")[:1]),
        output_field=JSONField(),
    )


def deadline_text_from(rule_key: str, texts: dict | None, language: str) -> DeadlineText:
    """A DeadlineText from the texts `deadline_texts_column` read (None: no such rule)."""
    return _deadline_text(rule_key, texts or {}, language)


def _deadline_text(rule_key: str, texts: dict, language: str) -> DeadlineText:
    chosen = texts.get(_language(language)) or {}
    english = texts.get("en") or {}
    return DeadlineText(
        rule_key=rule_key,
        title=chosen.get("title") or english.get("title") or rule_key,
        advice=chosen.get("advice") or english.get("advice") or "",
        needs_review=bool(chosen) and _language(language) in texts.get("needs_review", []),
    )


def citation_column(rule_key: str, source: str, *, deadline: bool = False) -> Coalesce:
    """The structured citation of the rule version a row came from (by its `source`, else the
    newest), as a column of a query over rows with those two columns: a page gets its sources
    in the reader's language without a query per row. Read it with `source_from`."""
    model = DeadlineRule if deadline else Rule
    versions = model.objects.filter(key=OuterRef(rule_key)).order_by("-effective_from")
    return Coalesce(
        Subquery(versions.filter(source=OuterRef(source)).values("citation")[:1]),
        Subquery(versions.values("citation")[:1]),
        output_field=JSONField(),
    )


def source_from(source: str, citation: list[dict] | None, language: str) -> str:
    """The source line in the reader's language from what `citation_column` read."""
    return citations.render(citation, _language(language)) if citation else source


def source_text(rule_key: str, source: str, language: str, *, deadline: bool = False) -> str:
    """A rule's citation in the reader's language ("Қонуни федералии № 115-ФЗ, моддаи 20, …").

    `source` is what the plan (or a case) carries: it picks the rule version the line came from.
    A rule without a structured citation (typed in by an administrator) shows its source as is.
    """
    model = DeadlineRule if deadline else Rule
    versions = model.objects.filter(key=rule_key).order_by("-effective_from")
    row = versions.filter(source=source).first() or versions.first()
    if row is None or not row.citation:
        return source
    return citations.render(row.citation, _language(language))


def needed_facts(problem_types, *, country: str = "RU") -> list[facts.FactSpec]:
    """The declared facts the rules in force read for a case with these problems."""
    return facts.needed_facts(problem_types, rulesets.ruleset_from_db(country=country))
