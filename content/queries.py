"""Read helpers other apps use to ask the rules table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
    rows = {
        t.language: t
        for t in DocumentTranslation.objects.filter(
            document__code=code, language__in={_language(language), "en"}
        )
    }
    row = rows.get(_language(language)) or rows.get("en")
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
    versions = DeadlineRule.objects.filter(key=rule_key).order_by("-effective_from")
    rule = (versions.filter(effective_from__lte=on).first() if on else None) or versions.first()
    texts = rule.texts if rule else {}
    chosen = texts.get(_language(language)) or {}
    english = texts.get("en") or {}
    return DeadlineText(
        rule_key=rule_key,
        title=chosen.get("title") or english.get("title") or rule_key,
        advice=chosen.get("advice") or english.get("advice") or "",
        needs_review=bool(chosen) and _language(language) in texts.get("needs_review", []),
    )


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
