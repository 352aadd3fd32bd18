"""The rules engine: a pure function from a case's facts to a document checklist and deadlines.

No ORM, no clock, no I/O: `plan(facts, ruleset, on=date)` only reads its arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Facts:
    """What the rules may ask about a case. `extra` carries further facts named by conditions."""

    problem_type: str
    citizenship: str  # ISO 3166-1 alpha-2, e.g. "TJ"
    country_of_stay: str = "RU"
    arrival_date: date | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PlannedItem:
    key: str  # stable across re-syncs (normally the rule key)
    document_code: str
    rule_key: str
    source: str
    unverified: bool
    position: int = 0


@dataclass(frozen=True)
class PlannedDeadline:
    key: str  # stable across re-syncs; recurring deadlines add the occurrence date
    title: str
    due: date
    basis_fact: str
    basis_date: date
    explanation: str
    rule_key: str
    source: str
    unverified: bool
    reminder_offsets: tuple[int, ...] = ()


@dataclass(frozen=True)
class Plan:
    items: tuple[PlannedItem, ...] = ()
    deadlines: tuple[PlannedDeadline, ...] = ()
