"""The fact vocabulary the rules speak: every fact a condition or a deadline may read, with its
type, the operators, the units, and how a condition is checked against a case's values.

Pure, like the engine (content.engine re-exports these names).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

# A case's facts by name, as conditions and deadlines read them (see FACT_VOCABULARY).
Values = Mapping[str, Any]

# --- The fact vocabulary: every name a condition or a deadline may use, with its type. ---------

DATE, TEXT, NUMBER, FLAG = "date", "text", "number", "flag"
FACT_VOCABULARY: dict[str, tuple[str, str]] = {
    # name: (type, how an explanation names it)
    "problem_type": (TEXT, "problem type"),
    "citizenship": (TEXT, "citizenship"),
    "country_of_stay": (TEXT, "country of stay"),
    "arrival_date": (DATE, "arrival"),
    "entry_purpose": (TEXT, "purpose of entry"),  # work / study / private / tourism / business
    "patent_issue_date": (DATE, "patent issue"),
    "patent_paid_through": (DATE, "the last paid day of the patent"),
    "ban_start_date": (DATE, "ban start"),
    "ban_duration_years": (NUMBER, "ban duration (years)"),
    "employment_end_date": (DATE, "job loss"),
    "contract_start_date": (DATE, "contract signing"),
    "passport_holder": (TEXT, "who holds the passport"),
    "passport_held_since": (DATE, "the passport being taken"),
    "detention_date": (DATE, "detention"),
    "wage_period_start": (DATE, "the start of the unpaid period"),
    "wage_period_end": (DATE, "the end of the unpaid period"),
    "wage_due_date": (DATE, "the wage due date"),
    "amount_owed": (NUMBER, "amount owed"),
    "employer_name": (TEXT, "employer"),
    "hotel_checkin_date": (DATE, "hotel check-in"),
    "expulsion_date": (DATE, "expulsion or deportation"),
    "ban_decision_learned_date": (DATE, "learning of the ban decision"),
    "expulsion_order_date": (DATE, "receipt of the court's expulsion order"),
    "migration_card_lost_date": (DATE, "loss of the migration card"),
    "breach_learned_date": (DATE, "learning of the breach"),
    "dismissal_date": (DATE, "receipt of the dismissal order"),
    "kts_application_date": (DATE, "the application to the labour dispute commission"),
    "kts_decision_date": (DATE, "receipt of the commission's decision"),
    "exam_certificate_date": (DATE, "exam certificate issue"),
    "medical_expiry_date": (DATE, "expiry of the medical certificates"),
    "planned_entry_date": (DATE, "the planned entry"),
    "work_permit_issue_date": (DATE, "work permit issue"),
    "trp_issue_date": (DATE, "temporary residence permit issue"),
    "stay_shortened_date": (DATE, "the decision shortening the stay"),
    "residence_permit_annulled_date": (DATE, "the annulment of the residence permit"),
    "self_exit_order_date": (DATE, "the court's controlled self-exit order entering into force"),
    "contract_end_date": (DATE, "the end of the contract's term"),
    # Computed from the recorded stays and addresses (RECORD_FACTS), never typed in.
    "stay_entry_date": (DATE, "entry"),
    "address_arrival_date": (DATE, "arrival at the address"),
    "address_entry_date": (DATE, "entry"),
    "first_address_of_stay": (FLAG, "the first address after entry"),
    "stay_over_90_days": (FLAG, "stay of more than 90 days planned"),
    "has_legal_basis_to_stay": (FLAG, "has a patent, contract, study place or permit"),
}
OPERATORS: dict[str, set[str]] = {
    "equals": {TEXT, NUMBER, FLAG},
    "not_equals": {TEXT, NUMBER, FLAG},
    "in": {TEXT, NUMBER},
    "not_in": {TEXT, NUMBER},
    "present": {DATE, TEXT, NUMBER, FLAG},
    "absent": {DATE, TEXT, NUMBER, FLAG},
    "before": {DATE},  # strictly before the value date
    "on_or_after": {DATE},
    "after": {DATE},  # strictly after
    "on_or_before": {DATE},
}
UNITS = {
    "calendar_days": ("calendar day", "calendar days"),
    "working_days": ("working day", "working days"),
    "months": ("month", "months"),
    "years": ("year", "years"),
    # The visa-free limits, counted from the recorded stays (content.stays): `amount` days of stay
    # per calendar year (and in a row), or in any 180 days.
    "stay_days_year": ("day of stay per calendar year", "days of stay per calendar year"),
    "stay_days_180": ("day of stay in any 180 days", "days of stay in any 180 days"),
}
STAY_UNITS = ("stay_days_year", "stay_days_180")
RECURRENCES = ("", "monthly")


@dataclass(frozen=True)
class Condition:
    fact: str
    op: str
    value: Any = None


def condition_errors(condition: Mapping[str, Any] | Condition) -> list[str]:
    """What is wrong with a condition (an empty list if it is valid)."""
    # Read from a Condition or a raw mapping (YAML, admin input): checked below, so typed loosely.
    fact: Any
    op: Any
    value: Any
    if isinstance(condition, Condition):
        fact, op, value = condition.fact, condition.op, condition.value
    else:
        if not isinstance(condition, Mapping):
            return ["a condition must be a mapping with fact, op and value"]
        unknown = set(condition) - {"fact", "op", "value"}
        if unknown:
            return [f"unknown keys in condition: {sorted(unknown)}"]
        fact, op, value = condition.get("fact"), condition.get("op"), condition.get("value")
    if fact not in FACT_VOCABULARY:
        return [f"unknown fact {fact!r}"]
    if op not in OPERATORS:
        return [f"unknown operator {op!r} (allowed: {', '.join(OPERATORS)})"]
    kind = FACT_VOCABULARY[fact][0]
    if kind not in OPERATORS[op]:
        return [f"operator {op!r} does not apply to the {kind} fact {fact!r}"]
    if op in ("present", "absent"):
        return []
    if op in ("in", "not_in"):
        if not isinstance(value, list | tuple) or not value:
            return [f"{op!r} needs a non-empty list of values"]
        return []
    if kind == DATE and not isinstance(value, date):
        return [f"{op!r} on {fact!r} needs a date value (YYYY-MM-DD)"]
    if kind == FLAG and not isinstance(value, bool):
        return [f"{fact!r} is a yes/no fact: use true or false"]
    if value is None:
        return [f"{op!r} needs a value"]
    return []


# Facts that come from Case fields or the migrant, not from Case.extra_facts.
CASE_FIELD_FACTS = frozenset(
    {
        "problem_type", "citizenship", "country_of_stay", "arrival_date", "patent_issue_date",
        "ban_start_date", "ban_duration_years", "employment_end_date", "passport_holder",
        "passport_held_since", "detention_date", "wage_period_start", "wage_period_end",
        "amount_owed", "employer_name",
    }
)  # fmt: skip


# Facts the engine computes from Facts.stays and Facts.addresses (not declared, not asked).
PER_ADDRESS_FACTS = frozenset({"address_arrival_date", "address_entry_date"})
RECORD_FACTS = PER_ADDRESS_FACTS | {"stay_entry_date", "first_address_of_stay"}


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _fact_value(values: Values, name: str) -> Any:
    value = values.get(name)
    if value in ("", None):
        return None
    if FACT_VOCABULARY.get(name, (None,))[0] == DATE:
        return _as_date(value)
    return value


def holds(condition: Condition, values: Values) -> bool:
    value = _fact_value(values, condition.fact)
    op, target = condition.op, condition.value
    if op == "present":
        return value is not None
    if op == "absent":
        return value is None
    if value is None:
        return False  # an unknown fact never satisfies a comparison
    if op == "equals":
        return bool(value == target)
    if op == "not_equals":
        return bool(value != target)
    if op == "in":
        return value in target
    if op == "not_in":
        return value not in target
    target_date = _as_date(target)
    if target_date is None:
        return False
    comparisons: dict[str, bool] = {
        "before": value < target_date,
        "on_or_before": value <= target_date,
        "after": value > target_date,
        "on_or_after": value >= target_date,
    }
    return comparisons[op]
