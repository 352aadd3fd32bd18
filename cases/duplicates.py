"""The duplicate warning at intake: people of the organisation who may be the one being typed.

The name alone is enough to warn (a birth date is often unknown at intake): folded and
transliterated (cases.search.fold), every word matching the start of a word of the names, and
on a near miss ("Rustan Nazarof") names that look alike. A matching birth date or phone makes
the match strong; a different known birth date rules a name match out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from django.db.models import Q

from cases import phones, search
from cases.models import Case, Migrant, Organisation, phone_q

LIMIT = 5
SIMILAR = 0.8  # how alike two folded names must be to count as a near miss


@dataclass
class Candidate:
    migrant: Migrant
    strong: bool  # the birth date or a phone matches too
    reasons: list[str] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)


def _phone_matches(organisation: Organisation, typed: list[str]) -> set[int]:
    numbers = set()
    for raw in typed:
        try:
            numbers.add(phones.normalise(raw))
        except ValueError:
            continue
    if not numbers:
        return set()
    any_number = Q(pk__in=[])
    for number in numbers:
        any_number |= phone_q(number)
    return set(
        Migrant.objects.filter(any_number, organisation=organisation).values_list("pk", flat=True)
    )


def _name_matches(migrants, names: list[str]) -> set[int]:
    found: set[int] = set()
    for name in names:
        if len(search.fold(name).split()) < 2 and len(search.fold(name)) < 4:
            continue  # one short word matches half the register
        found |= set(migrants.filter(search.name_filter(name)).values_list("pk", flat=True))
    return found


def _similar_matches(migrants, names: list[str]) -> set[int]:
    """Names a letter or two off: compared folded, among people sharing a word's first letters."""
    found: set[int] = set()
    for name in names:
        typed = search.fold(name)
        words = [w for w in typed.split() if len(w) >= 3]
        if not words:
            continue
        nearby = Q()
        for word in words:
            nearby |= Q(search_names__contains=word[:3])
        for pk, indexed in migrants.filter(nearby).values_list("pk", "search_names")[:300]:
            spellings = [s.strip() for s in indexed.split("|")]
            if any(SequenceMatcher(None, typed, s).ratio() >= SIMILAR for s in spellings):
                found.add(pk)
    return found


def candidates(
    *,
    organisation: Organisation,
    visible,
    names: list[str],
    date_of_birth: date | None = None,
    phone_numbers: Sequence[str] = (),
) -> list[Candidate]:
    """Up to LIMIT people who may be the one typed, strong matches first, with their cases."""
    names = [n for n in names if n and n.strip()]
    migrants = visible.filter(organisation=organisation)
    by_phone = _phone_matches(organisation, list(phone_numbers))
    by_name = _name_matches(migrants, names)
    by_name |= _similar_matches(migrants.exclude(pk__in=by_name), names) if names else set()
    people = {m.pk: m for m in migrants.filter(pk__in=by_phone | by_name)}
    found = []
    for pk, person in people.items():
        reasons = []
        if pk in by_name:
            reasons.append("name")
        born_same = bool(date_of_birth and person.date_of_birth == date_of_birth)
        if date_of_birth and person.date_of_birth and not born_same and pk not in by_phone:
            continue  # the same name, but another person: a different known birth date
        if born_same:
            reasons.append("date_of_birth")
        if pk in by_phone:
            reasons.append("phone")
        found.append(Candidate(person, strong=born_same or pk in by_phone, reasons=reasons))
    found.sort(key=lambda c: (not c.strong, c.migrant.pk))
    found = found[:LIMIT]
    cases = Case.objects.filter(migrant__in=[c.migrant for c in found]).order_by("-opened_at")
    by_migrant: dict[int, list[Case]] = {}
    for case in cases.only("pk", "number", "opened_at", "status", "migrant_id"):
        by_migrant.setdefault(case.migrant_id, []).append(case)
    for candidate in found:
        candidate.cases = by_migrant.get(candidate.migrant.pk, [])[:3]
    return found
