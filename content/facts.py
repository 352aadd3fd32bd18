"""The facts a caseworker records for the rules and the statistics, declared in
content/rules/facts.yaml (type, group, label in every UI language, choices).

Which facts a case needs is worked out from the rules: a rule reads its basis, its amount fact
and the facts of its conditions (`facts_read_by`), so a rule added later is covered without
touching this module. Case fields (content.engine.CASE_FIELD_FACTS) have their own form fields;
everything declared here is kept in Case.extra_facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from content import engine
from content.rulesdata import LANGUAGES, RULES_DIR

FACTS_FILE = RULES_DIR / "facts.yaml"
SECTIONS = ("facts", "fact_groups")  # read here, not by rulesdata (not rules rows)
TYPES = ("date", "bool", "choice", "multichoice", "text", "int")
# The engine's kind of each declared type: a declaration must agree with FACT_VOCABULARY.
ENGINE_KINDS = {
    "date": engine.DATE,
    "bool": engine.FLAG,
    "choice": engine.TEXT,
    "text": engine.TEXT,
    "int": engine.NUMBER,
}


@dataclass(frozen=True)
class FactSpec:
    key: str
    type: str
    group: str
    labels: Mapping[str, str]
    choices: tuple[tuple[str, Mapping[str, str]], ...] = ()
    problem_types: tuple[str, ...] = ()  # asked for these problems even if no rule reads it

    def label(self, language: str) -> str:
        return self.labels.get(language) or self.labels["en"]

    def choice_labels(self, language: str) -> list[tuple[str, str]]:
        return [(code, labels.get(language) or labels["en"]) for code, labels in self.choices]


@dataclass(frozen=True)
class Declarations:
    facts: Mapping[str, FactSpec]
    groups: Mapping[str, Mapping[str, str]]  # code -> labels, in display order

    def group_label(self, code: str, language: str) -> str:
        labels = self.groups.get(code, {})
        return labels.get(language) or labels.get("en") or code


def read(path: Path = FACTS_FILE) -> dict[str, list[dict]]:
    parsed = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {section: list(parsed.get(section) or []) for section in SECTIONS}


def declaration_errors(data: Mapping[str, list[dict]]) -> list[str]:
    """Everything wrong with the declarations, as readable lines (load_rules shows them)."""
    errors: list[str] = []
    groups = {g.get("code") for g in data.get("fact_groups", [])}
    for group in data.get("fact_groups", []):
        errors += _label_errors(group.get("labels"), f"fact group {group.get('code')!r}")
    seen: set[str] = set()
    for entry in data.get("facts", []):
        key = entry.get("key", "")
        where = f"fact {key!r}"
        if key in seen:
            errors.append(f"{where}: declared twice")
        seen.add(key)
        kind = entry.get("type")
        if kind not in TYPES:
            errors.append(f"{where}: type must be one of {', '.join(TYPES)}")
        elif key in engine.FACT_VOCABULARY and engine.FACT_VOCABULARY[key][0] != ENGINE_KINDS.get(
            kind
        ):
            errors.append(f"{where}: the rules read it as {engine.FACT_VOCABULARY[key][0]}")
        if key in engine.CASE_FIELD_FACTS:
            errors.append(f"{where}: a case field, not an extra fact")
        if key in engine.RECORD_FACTS:
            errors.append(f"{where}: computed from the recorded stays and addresses")
        if entry.get("group") not in groups:
            errors.append(f"{where}: unknown group {entry.get('group')!r}")
        errors += _label_errors(entry.get("labels"), where)
        if kind in ("choice", "multichoice") and not entry.get("choices"):
            errors.append(f"{where}: a {kind} fact needs choices")
        for choice in entry.get("choices") or []:
            errors += _label_errors(choice.get("labels"), f"{where} choice {choice.get('code')!r}")
    computed = engine.CASE_FIELD_FACTS | engine.RECORD_FACTS  # not typed in as extra facts
    undeclared = set(engine.FACT_VOCABULARY) - computed - seen
    errors += [f"fact {key!r}: read by the rules but not declared" for key in sorted(undeclared)]
    return errors


def _label_errors(labels: Any, where: str) -> list[str]:
    if not isinstance(labels, dict):
        return [f"{where}: labels missing"]
    return [f"{where}: no {language} label" for language in LANGUAGES if not labels.get(language)]


def build(data: Mapping[str, list[dict]]) -> Declarations:
    facts = {
        entry["key"]: FactSpec(
            key=entry["key"],
            type=entry["type"],
            group=entry["group"],
            labels=dict(entry["labels"]),
            choices=tuple((c["code"], dict(c["labels"])) for c in entry.get("choices") or []),
            problem_types=tuple(entry.get("problem_types") or ()),
        )
        for entry in data["facts"]
    }
    groups = {group["code"]: dict(group["labels"]) for group in data["fact_groups"]}
    return Declarations(facts=facts, groups=groups)


@cache
def declarations() -> Declarations:
    """The shipped declarations (a deploy ships them with the code, like the YAML rules)."""
    return build(read())


# --- Which facts a case needs ---------------------------------------------------------------


def facts_read_by(rule: engine.ItemRule | engine.DeadlineSpec) -> set[str]:
    """The facts a rule reads: its conditions' and, for a deadline, its basis and amount."""
    read = {condition.fact for condition in rule.conditions}
    if isinstance(rule, engine.DeadlineSpec):
        read |= {rule.basis_fact, rule.amount_fact} - {""}
    return read


def _asks(rule_problem_types: Iterable[str], problem_types: frozenset[str]) -> bool:
    rule_problem_types = tuple(rule_problem_types)
    return not rule_problem_types or not problem_types.isdisjoint(rule_problem_types)


def needed_facts(problem_types: Iterable[str], ruleset: engine.Ruleset) -> list[FactSpec]:
    """The declared facts to ask for a case with these problems, in declaration order."""
    wanted = frozenset(problem_types)
    read: set[str] = set()
    for rule in (*ruleset.items, *ruleset.deadlines):
        if _asks(rule.problem_types, wanted):
            read |= facts_read_by(rule)
    return [
        spec
        for key, spec in declarations().facts.items()
        if key in read or not wanted.isdisjoint(spec.problem_types)
    ]


# --- Validation (forms and the API) ---------------------------------------------------------


def fact_errors(values: Mapping[str, Any]) -> dict[str, str]:
    """Field-level errors for Case.extra_facts, all at once: name -> message."""
    declared = declarations().facts
    errors: dict[str, str] = {}
    for name, value in values.items():
        spec = declared.get(name)
        if spec is None:
            errors[name] = "not a fact the rules or statistics know (see docs/casework-ui.md)"
            continue
        if value in (None, "", []):
            continue
        message = _value_error(spec, value)
        if message:
            errors[name] = message
    return errors


def _value_error(spec: FactSpec, value: Any) -> str:
    codes = [code for code, _labels in spec.choices]
    if spec.type == "date":
        ok = isinstance(value, date) or (isinstance(value, str) and _is_iso_date(value))
        return "" if ok else "use a date like 2026-03-03"
    if spec.type == "bool":
        return "" if isinstance(value, bool) else "use true or false"
    if spec.type == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return "" if ok else "use a whole number"
    if spec.type == "choice":
        return "" if value in codes else f"use one of: {', '.join(codes)}"
    if spec.type == "multichoice":  # a list of codes; one code alone is a list of one
        ok = value in codes or (isinstance(value, list) and all(v in codes for v in value))
        return "" if ok else f"use a list of: {', '.join(codes)}"
    return "" if isinstance(value, str) else "use text"


def _is_iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10
