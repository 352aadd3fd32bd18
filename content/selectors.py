"""Read helpers other apps use to ask the rules table (implemented by the rules issue)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from content.engine import Facts, Plan


@dataclass(frozen=True)
class DocumentText:
    code: str
    name: str
    description: str  # what it is and why it is needed, for migrants (second person)
    how_to_obtain: str
    cost: str
    validity: str


@dataclass(frozen=True)
class DeadlineText:
    rule_key: str
    title: str  # e.g. "Register your stay"
    advice: str  # what to do, for migrants


def plan_for(facts: Facts, *, on: date | None = None) -> Plan:
    """The plan the rules in the database give for these facts (reference date: arrival)."""
    raise NotImplementedError


def document_text(code: str, language: str) -> DocumentText:
    """A document's texts in the language (ru, tg, uz, ky, en), falling back to English."""
    raise NotImplementedError


def deadline_text(rule_key: str, language: str) -> DeadlineText:
    raise NotImplementedError
