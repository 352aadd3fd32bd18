"""The rules engine: a pure function from a case's facts to a document checklist and deadlines.

No ORM, no clock, no I/O: `plan(facts, ruleset, on=date)` only reads its arguments.

Which version of a rule applies is decided by dates the case carries, never by today: checklist
rules and citizenship groups by the case's reference date (arrival, or `on` if unknown), deadline
rules by the date of the fact they count from. So a rule changed later never rewrites the past.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from content import calendars, explain_ru, stays
from content.conditions import (  # re-exported: the vocabulary is the engine's language
    CASE_FIELD_FACTS as CASE_FIELD_FACTS,
)
from content.conditions import DATE as DATE
from content.conditions import FACT_VOCABULARY as FACT_VOCABULARY
from content.conditions import FLAG as FLAG
from content.conditions import NUMBER as NUMBER
from content.conditions import OPERATORS as OPERATORS
from content.conditions import PER_ADDRESS_FACTS as PER_ADDRESS_FACTS
from content.conditions import RECORD_FACTS as RECORD_FACTS
from content.conditions import RECURRENCES as RECURRENCES
from content.conditions import STAY_UNITS as STAY_UNITS
from content.conditions import TEXT as TEXT
from content.conditions import UNITS as UNITS
from content.conditions import Condition as Condition
from content.conditions import Values as Values
from content.conditions import _fact_value, holds
from content.conditions import condition_errors as condition_errors


@dataclass(frozen=True)
class Facts:
    """What the rules may ask about a case. `extra` carries further facts named by conditions."""

    problem_type: str  # the primary problem (lists and statistics)
    citizenship: str  # ISO 3166-1 alpha-2, e.g. "TJ"
    country_of_stay: str = "RU"
    arrival_date: date | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    # The date the checklist and citizenship groups are judged by; None means arrival_date.
    reference_date: date | None = None
    # The case's further problems: the plan is the union of the rules of all of them.
    other_problem_types: tuple[str, ...] = ()
    # The migrant's recorded stays in the country, (entry, exit or None while still there), and
    # addresses, (arrival at the address, the day it was left or None). Rules counting from
    # these records (RECORD_FACTS) supersede the rules of their slot that count from the one
    # arrival date once the records exist.
    stays: tuple[tuple[date, date | None], ...] = ()
    addresses: tuple[tuple[date, date | None], ...] = ()

    @property
    def problem_types(self) -> frozenset[str]:
        return frozenset((self.problem_type, *self.other_problem_types)) - {""}


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
    # The explanation in other languages: (("ru", "7 рабочих дней после прибытия ..."),)
    explanations: tuple[tuple[str, str], ...] = ()
    # The last day is a day off: the working day before it, to file by.
    file_by: date | None = None
    # Counted on a year with no decree on days off loaded (art. 112 alone): may still move.
    provisional: bool = False


@dataclass(frozen=True)
class Plan:
    items: tuple[PlannedItem, ...] = ()
    deadlines: tuple[PlannedDeadline, ...] = ()


# --- The ruleset: what `plan` reads (built from YAML or from the database). --------------------


@dataclass(frozen=True)
class GroupMembership:
    group: str
    country: str
    effective_from: date
    effective_to: date | None = None  # inclusive

    def active_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


@dataclass(frozen=True)
class _Scoped:
    key: str
    effective_from: date
    effective_to: date | None
    problem_types: tuple[str, ...]  # empty: every problem type
    group: str  # empty: every citizenship
    conditions: tuple[Condition, ...]
    source: str
    unverified: bool
    slot: str  # what the rule fills; rules sharing a slot compete, the highest priority wins
    priority: int

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def applies(
        self, *, problem_types: frozenset[str], groups: frozenset[str], values: Values, day: date
    ) -> bool:
        return (
            self.in_force(day)
            and (not self.problem_types or not problem_types.isdisjoint(self.problem_types))
            and (not self.group or self.group in groups)
            and all(holds(condition, values) for condition in self.conditions)
        )


@dataclass(frozen=True)
class ItemRule(_Scoped):
    document_code: str = ""
    position: int = 0


@dataclass(frozen=True)
class DeadlineSpec(_Scoped):
    title: str = ""
    basis_fact: str = "arrival_date"
    unit: str = "calendar_days"
    amount: int = 0
    amount_fact: str = ""  # take the amount from a number fact (e.g. ban_duration_years)
    then_amount: int = 0  # an optional second step, e.g. 12 months then -10 working days
    then_unit: str = ""
    recurrence: str = ""  # "" or "monthly" (every `amount` months from the basis)
    occurrences: int = 0  # how many times a recurring deadline repeats (0: no limit)
    reminder_offsets: tuple[int, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Ruleset:
    memberships: tuple[GroupMembership, ...] = ()
    items: tuple[ItemRule, ...] = ()
    deadlines: tuple[DeadlineSpec, ...] = ()
    calendar_overrides: tuple[tuple[date, bool], ...] = ()  # days an administrator corrected
    calendar_decrees: tuple[calendars.Decree, ...] = ()  # of the ruleset's country of stay

    @property
    def empty(self) -> bool:
        return not self.items and not self.deadlines


def groups_of(country: str, day: date, memberships: tuple[GroupMembership, ...]) -> frozenset[str]:
    """The citizenship groups a country belonged to on a day."""
    return frozenset(m.group for m in memberships if m.country == country and m.active_on(day))


def fact_values(facts: Facts) -> dict[str, Any]:
    values = dict(facts.extra)
    values.update(
        problem_type=facts.problem_type,
        citizenship=facts.citizenship,
        country_of_stay=facts.country_of_stay,
        arrival_date=facts.arrival_date,
    )
    current = stays.current_stay(facts.stays)
    if current is not None:
        values["stay_entry_date"] = current[0]
    return values


def _reads_records(spec: DeadlineSpec, facts: Facts) -> bool:
    """Whether a rule counts from records this case has (stays or addresses)."""
    if spec.basis_fact in PER_ADDRESS_FACTS:
        return bool(facts.addresses)
    if spec.basis_fact == "stay_entry_date":
        return bool(facts.stays)
    return False


_Rule = TypeVar("_Rule", bound=_Scoped)


def _winners(candidates: Iterable[_Rule]) -> list[_Rule]:
    """Per slot, the applicable rule with the highest priority (ties: the first key)."""
    best: dict[str, _Rule] = {}
    for rule in sorted(candidates, key=lambda r: (r.slot, -r.priority, r.key)):
        best.setdefault(rule.slot, rule)
    return list(best.values())


def plan(facts: Facts, ruleset: Ruleset, *, on: date) -> Plan:
    """The checklist and deadlines the rules give for these facts.

    `on` is the day the plan is made for: it stands in for a missing arrival date and picks the
    next occurrence of recurring deadlines. Nothing else depends on it.
    """
    values = fact_values(facts)
    reference = facts.reference_date or facts.arrival_date or on
    groups = groups_of(facts.citizenship, reference, ruleset.memberships)
    items = _winners(
        rule
        for rule in ruleset.items
        if rule.applies(
            problem_types=facts.problem_types, groups=groups, values=values, day=reference
        )
    )
    planned_items = _one_per_document(
        sorted(
            (
                PlannedItem(
                    key=rule.slot,
                    document_code=rule.document_code,
                    rule_key=rule.key,
                    source=rule.source,
                    unverified=rule.unverified,
                    position=rule.position,
                )
                for rule in items
            ),
            key=lambda item: (item.position, item.key),
        )
    )
    work_calendar = calendars.WorkCalendar(
        country=facts.country_of_stay or "RU",
        overrides=dict(ruleset.calendar_overrides),
        decrees=ruleset.calendar_decrees,
    )
    # A slot with a rule counting from recorded stays or addresses leaves its rules counting
    # from the single arrival date out once those records exist (they are the better record).
    record_slots = {spec.slot for spec in ruleset.deadlines if _reads_records(spec, facts)}
    case_specs = [
        spec
        for spec in ruleset.deadlines
        if spec.basis_fact not in PER_ADDRESS_FACTS
        and not (spec.slot in record_slots and spec.basis_fact not in RECORD_FACTS)
    ]
    address_specs = [s for s in ruleset.deadlines if s.basis_fact in PER_ADDRESS_FACTS]
    deadlines = []
    for spec in _winners(_applicable(case_specs, facts, values, ruleset)):
        deadline = _compute(
            spec, values, on=on, calendar_=work_calendar, recorded_stays=facts.stays
        )
        if deadline is not None:
            deadlines.append(deadline)
    # Each address gets its own deadlines (re-registration on each move), keyed by its arrival.
    per_address = stays.address_facts(facts.stays, facts.addresses, arrival=facts.arrival_date)
    for overlay in per_address if address_specs else ():
        address = values | overlay
        arrival = overlay["address_arrival_date"]
        assert isinstance(arrival, date)  # stays.address_facts always gives the arrival
        for spec in _winners(_applicable(address_specs, facts, address, ruleset)):
            deadline = _compute(
                spec, address, on=on, calendar_=work_calendar,
                key=f"{spec.slot}@{arrival.isoformat()}", address_arrival=arrival,
            )  # fmt: skip
            if deadline is not None:
                deadlines.append(deadline)
    deadlines.sort(key=lambda d: (d.due, d.key))
    return Plan(items=planned_items, deadlines=tuple(deadlines))


def _applicable(
    specs: Iterable[DeadlineSpec], facts: Facts, values: Values, ruleset: Ruleset
) -> list[DeadlineSpec]:
    """The deadline rules whose basis is known and that apply on their basis date."""
    candidates = []
    for spec in specs:
        basis = _fact_value(values, spec.basis_fact)
        if basis is None:
            continue
        basis_groups = groups_of(facts.citizenship, basis, ruleset.memberships)
        if spec.applies(
            problem_types=facts.problem_types, groups=basis_groups, values=values, day=basis
        ):
            candidates.append(spec)
    return candidates


def _one_per_document(items: Iterable[PlannedItem]) -> tuple[PlannedItem, ...]:
    """Two problems asking for the same document list it once (the earliest position wins)."""
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.document_code and item.document_code in seen:
            continue
        seen.add(item.document_code)
        kept.append(item)
    return tuple(kept)


def _step(
    start: date, amount: int, unit: str, calendar_: calendars.WorkCalendar
) -> calendars.Result:
    if unit == "working_days":
        return calendars.add_working_days(start, amount, calendar_)
    if unit == "months":
        return calendars.add_months(start, amount)
    if unit == "years":
        return calendars.add_years(start, amount)
    return calendars.add_calendar_days(start, amount)


def _quantity(amount: int, unit: str) -> str:
    singular, plural = UNITS.get(unit, (unit, unit))
    return f"{abs(amount)} {singular if abs(amount) == 1 else plural}"


def _compute(
    spec: DeadlineSpec,
    values: Values,
    *,
    on: date,
    calendar_: calendars.WorkCalendar,
    key: str = "",
    recorded_stays: tuple[stays.Stay, ...] = (),
    address_arrival: date | None = None,
) -> PlannedDeadline | None:
    basis = _fact_value(values, spec.basis_fact)
    if not calendars.within_range(basis):
        return None  # a mistyped year (9999): no deadline rather than an overflow
    if spec.unit in STAY_UNITS:
        return _stay_limit(spec, basis, recorded_stays, calendar_=calendar_)
    amount = spec.amount
    if spec.amount_fact:
        raw = _fact_value(values, spec.amount_fact)
        try:
            amount = int(raw)
        except (TypeError, ValueError):
            return None
        if amount <= 0:
            return None
    label = FACT_VOCABULARY.get(spec.basis_fact, (None, spec.basis_fact))[1]
    basis_text = f"{label} on {calendars.human_date(basis)}"
    if address_arrival is not None and address_arrival != basis:
        basis_text += f" (for the address arrived at on {calendars.human_date(address_arrival)})"
    try:
        if spec.recurrence == "monthly":
            counted = _monthly(spec, basis, basis_text, amount, on=on, calendar_=calendar_)
            if counted is None:
                return None
            key, result, explanation, explanation_ru = counted
        else:
            key = key or spec.slot
            steps = [(amount, spec.unit)]
            if spec.then_unit:
                steps.append((spec.then_amount, spec.then_unit))
            result, explanation, explanation_ru = _stepped(
                spec, basis, basis_text, steps, calendar_=calendar_
            )
    except (OverflowError, ValueError):
        return None  # the due date would fall past the year 9999 (a huge amount)
    # A working-day count ends on a working day; a payment (monthly) can be made online any day.
    warn = not spec.recurrence and (spec.then_unit or spec.unit) != "working_days"
    return _planned(spec, key, basis, result, explanation, explanation_ru, calendar_, warn=warn)


def _planned(
    spec: DeadlineSpec,
    key: str,
    basis: date,
    result: calendars.Result,
    explanation: str,
    explanation_ru: str,
    calendar_: calendars.WorkCalendar,
    *,
    warn: bool,
) -> PlannedDeadline:
    """The deadline, with the day-off warning (`warn`) and the provisional-calendar note."""
    file_by, provisional = None, bool(result.provisional)
    if warn:
        file_by, warning, warning_ru = calendars.day_off_warning(result.due, calendar_)
        explanation, explanation_ru = explanation + warning, explanation_ru + warning_ru
        provisional = provisional or calendar_.provisional(result.due.year)
    if provisional:
        years = result.provisional or (result.due.year,)
        explanation += f" ({calendars.describe_provisional(years)})"
        explanation_ru += f" ({calendars.describe_provisional_ru(years)})"
    return PlannedDeadline(
        key=key,
        title=spec.title,
        due=result.due,
        basis_fact=spec.basis_fact,
        basis_date=basis,
        explanation=explanation,
        rule_key=spec.key,
        source=spec.source,
        unverified=spec.unverified,
        reminder_offsets=tuple(spec.reminder_offsets),
        explanations=(("ru", explanation_ru),),
        file_by=file_by,
        provisional=provisional,
    )


def _stay_limit(
    spec: DeadlineSpec,
    entry: date,
    recorded: tuple[stays.Stay, ...],
    *,
    calendar_: calendars.WorkCalendar,
) -> PlannedDeadline:
    """The last day of the current stay under a visa-free limit, told how it was reached. The
    limit is the day the person must be out by: no day-off warning (leaving is no filing)."""
    if spec.unit == "stay_days_180":
        window = stays.window_leave_by(recorded, entry, spec.amount or stays.LIMIT_DAYS)
        due, (explanation, explanation_ru) = window.leave_by, stays.explain_window(window)
    else:
        yearly = stays.visa_free_leave_by(recorded, entry, spec.amount or stays.LIMIT_DAYS)
        due, (explanation, explanation_ru) = yearly.leave_by, stays.explain_yearly(yearly)
    result = calendars.Result(due=due)
    return _planned(
        spec, spec.slot, entry, result, explanation, explanation_ru, calendar_, warn=False
    )


def _monthly(
    spec: DeadlineSpec,
    basis: date,
    basis_text: str,
    amount: int,
    *,
    on: date,
    calendar_: calendars.WorkCalendar,
) -> tuple[str, calendars.Result, str, str] | None:
    """The next monthly occurrence: its key, result and explanations (English, Russian)."""
    occurrence = _next_occurrence(spec, basis, amount, on=on, calendar_=calendar_)
    if occurrence is None:
        return None
    index, result = occurrence
    limit = f" of {spec.occurrences}" if spec.occurrences else ""
    explanation = (
        f"Every {_quantity(max(amount, 1), 'months').removeprefix('1 ')} from {basis_text}, "
        f"occurrence {index}{limit}"
    )
    if spec.then_unit:
        explanation += f", {_quantity(spec.then_amount, spec.then_unit)} " + (
            "after" if spec.then_amount >= 0 else "before"
        )
    if result.clamped:
        explanation += "; the month is shorter, so the last day of the month"
    explanation_ru = explain_ru.monthly_ru(
        spec.basis_fact, basis, amount, result, index, spec.occurrences,
        then=(spec.then_amount, spec.then_unit),
    )  # fmt: skip
    explanation += f" → {calendars.human_date(result.due)}"
    return f"{spec.slot}@{result.due.isoformat()}", result, explanation, explanation_ru


def _next_occurrence(
    spec: DeadlineSpec, basis: date, amount: int, *, on: date, calendar_: calendars.WorkCalendar
) -> tuple[int, calendars.Result] | None:
    """The first monthly occurrence due on or after `on` (its number from 1), if any is left.
    A second step applies to each occurrence (the paid month ends the day before)."""
    index = 0
    while True:
        index += 1
        if spec.occurrences and index > spec.occurrences:
            return None
        result = calendars.add_months(basis, index * max(amount, 1))
        if spec.then_unit:
            then = _step(result.due, spec.then_amount, spec.then_unit, calendar_)
            result = calendars.Result(due=then.due, clamped=result.clamped)
        if result.due >= on:
            return index, result


def _stepped(
    spec: DeadlineSpec,
    basis: date,
    basis_text: str,
    steps: list[tuple[int, str]],
    *,
    calendar_: calendars.WorkCalendar,
) -> tuple[calendars.Result, str, str]:
    """Where the steps from the basis land, told in English ("12 months after ... is ...; 10
    working days before that → ...") and in Russian."""
    done: list[explain_ru.Step] = []
    explanation, notes, start = "", [], basis
    provisional: tuple[int, ...] = ()
    for amount, unit in steps:
        result = _step(start, amount, unit, calendar_)
        provisional += tuple(y for y in result.provisional if y not in provisional)
        relation = "after" if amount >= 0 else "before"
        if not done:
            explanation = f"{_quantity(amount, unit)} {relation} {basis_text}"
        else:
            explanation += (
                f" is {calendars.human_date(start)}; {_quantity(amount, unit)} {relation} that"
            )
        notes += _notes(result, calendar_)
        done.append(explain_ru.Step(amount, unit, result, explain_ru.notes_ru(result, calendar_)))
        start = result.due
    if notes:
        explanation += "; " + "; ".join(notes)
    last = done[-1].result
    explanation += f" → {calendars.human_date(last.due)}"
    result = calendars.Result(
        due=last.due, skipped=last.skipped, clamped=last.clamped, provisional=provisional
    )
    return result, explanation, explain_ru.stepped_ru(spec.basis_fact, basis, done)


def _notes(result: calendars.Result, calendar_: calendars.WorkCalendar) -> list[str]:
    notes: list[str] = []
    if result.skipped:
        notes.append(calendars.describe_skipped(result.skipped, calendar_))
    if result.clamped:
        notes.append("the month is shorter, so the last day of the month")
    return notes
