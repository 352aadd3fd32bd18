"""The rules as data files: read, validate and turn them into an engine Ruleset.

The YAML format is described in docs/rules.md. Pure (apart from reading the files): the database
import lives in content/services.py.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from content import citations, engine

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
RULES_DIR = Path(__file__).resolve().parent / "rules"
SECTIONS = ("documents", "groups", "rules", "deadlines")
LANGUAGES = ("en", "ru", "tg", "uz", "ky")
DOCUMENT_TEXT_FIELDS = ("name", "description", "how_to_obtain", "cost", "validity")
RULE_FIELDS = {
    "key",
    "slot",
    "priority",
    "problem_types",
    "group",
    "conditions",
    "from",
    "to",
    "source",
    "cite",
    "provenance",
    "note",
    "verified_on",
    "verified_by",
    "verified_against",
    "needs_review",
    "document",
    "position",
}
DEADLINE_FIELDS = RULE_FIELDS - {"document", "position"} | {
    "texts",
    "basis",
    "amount",
    "amount_fact",
    "unit",
    "then_amount",
    "then_unit",
    "recurrence",
    "occurrences",
    "reminders",
}


# libyaml's C loader when available (10x faster); both are the *safe* loader: no Python objects.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RulesDataError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def read_dir(path: Path = RULES_DIR) -> dict[str, list[dict]]:
    """All YAML files of a directory merged by section; each entry remembers its file."""
    data: dict[str, list[dict]] = {section: [] for section in SECTIONS}
    errors: list[str] = []
    for file in sorted(path.glob("*.yaml")):
        parsed = read_text(file.read_text(encoding="utf-8"), origin=file.name, errors=errors)
        for section in SECTIONS:
            data[section] += parsed.get(section, [])
    if errors:
        raise RulesDataError(errors)
    return data


def read_text(text: str, *, origin: str = "upload", errors: list[str] | None = None) -> dict:
    own_errors = errors if errors is not None else []
    try:
        parsed = yaml.load(text, Loader=_SafeLoader) or {}  # noqa: S506 — a safe loader
    except yaml.YAMLError as exc:
        own_errors.append(f"{origin}: not valid YAML ({exc.__class__.__name__})")
        parsed = {}
    if not isinstance(parsed, dict):
        own_errors.append(f"{origin}: the top level must be a mapping of sections")
        parsed = {}
    # content/rules/facts.yaml declares facts (content.facts reads it), not rules rows.
    unknown = set(parsed) - set(SECTIONS) - {"facts", "fact_groups"}
    if unknown:
        own_errors.append(f"{origin}: unknown sections {sorted(unknown)}")
    result: dict[str, list[dict]] = {}
    for section in SECTIONS:
        entries = parsed.get(section) or []
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            own_errors.append(f"{origin}: {section} must be a list of mappings")
            continue
        result[section] = [{**entry, "_file": origin} for entry in entries]
    if errors is None and own_errors:
        raise RulesDataError(own_errors)
    return result


def _where(entry: dict, section: str) -> str:
    return f"{entry.get('_file', '?')}: {section} {entry.get('key') or entry.get('code') or '?'}"


def _periods_overlap(a: dict, b: dict) -> bool:
    a_to, b_to = a.get("to") or date.max, b.get("to") or date.max
    return a["from"] <= b_to and b["from"] <= a_to


def validate(data: dict[str, list[dict]], *, problem_types: tuple[str, ...]) -> list[str]:
    """Everything wrong with the data, as readable lines (empty if it can be loaded)."""
    errors: list[str] = []
    documents = {}
    for doc in data.get("documents", []):
        where = _where(doc, "document")
        if not doc.get("code"):
            errors.append(f"{where}: missing code")
            continue
        if doc["code"] in documents:
            errors.append(f"{where}: duplicate document code")
        documents[doc["code"]] = doc
        if doc.get("kind", "document") not in ("document", "action"):
            errors.append(f"{where}: kind must be document or action")
        texts = doc.get("texts") or {}
        for language in LANGUAGES:
            text = texts.get(language)
            if not isinstance(text, dict) or not text.get("name"):
                errors.append(f"{where}: missing {language} name")
                continue
            unknown = set(text) - set(DOCUMENT_TEXT_FIELDS) - {"needs_review"}
            if unknown:
                errors.append(f"{where}: unknown {language} text fields {sorted(unknown)}")
        if not (texts.get("en") or {}).get("description"):
            errors.append(f"{where}: an English description is required")
        errors += [f"{where}: {e}" for e in citations.errors(doc.get("cite"))]
    groups = set()
    for group in data.get("groups", []):
        where = _where(group, "group")
        if not group.get("code") or not group.get("name"):
            errors.append(f"{where}: a group needs a code and a name")
            continue
        groups.add(group["code"])
        for member in group.get("members") or []:
            if not isinstance(member.get("from"), date) or len(str(member.get("country", ""))) != 2:
                errors.append(f"{where}: each member needs a two-letter country and a from date")
            elif member.get("to") is not None and member["to"] < member["from"]:
                errors.append(f"{where}: member {member['country']} ends before it starts")
    for section, fields in (("rules", RULE_FIELDS), ("deadlines", DEADLINE_FIELDS)):
        seen: dict[str, list[dict]] = {}
        for entry in data.get(section, []):
            where = _where(entry, section[:-1])
            unknown = set(entry) - fields - {"_file"}
            if unknown:
                errors.append(f"{where}: unknown fields {sorted(unknown)}")
            if not entry.get("key") or not isinstance(entry.get("from"), date):
                errors.append(f"{where}: needs a key and a from date (YYYY-MM-DD)")
                continue
            for name in ("key", "slot"):
                if entry.get(name) and not KEY_PATTERN.match(str(entry[name])):
                    errors.append(f"{where}: {name} must be lower-case words joined by . _ -")
            if entry.get("to") is not None and (
                not isinstance(entry["to"], date) or entry["to"] < entry["from"]
            ):
                errors.append(f"{where}: 'to' must be a date on or after 'from'")
                continue
            errors += [f"{where}: {e}" for e in citations.errors(entry.get("cite"))]
            for other in seen.get(entry["key"], []):
                if _periods_overlap(entry, other):
                    errors.append(f"{where}: overlaps the version from {other['from']}")
            seen.setdefault(entry["key"], []).append(entry)
            types = entry.get("problem_types") or []
            if not isinstance(types, list) or any(p not in problem_types for p in types):
                errors.append(f"{where}: problem_types must be a list from {list(problem_types)}")
            if entry.get("group") and entry["group"] not in groups:
                errors.append(f"{where}: unknown group {entry['group']!r}")
            conditions = entry.get("conditions") or []
            if not isinstance(conditions, list):
                errors.append(f"{where}: conditions must be a list")
            else:
                for condition in conditions:
                    errors += [f"{where}: {e}" for e in engine.condition_errors(condition)]
            if section == "rules":
                if entry.get("document") not in documents:
                    errors.append(f"{where}: unknown document {entry.get('document')!r}")
            else:
                errors += _deadline_errors(entry, where)
    return errors


def _deadline_errors(entry: dict, where: str) -> list[str]:
    errors = []
    if engine.FACT_VOCABULARY.get(entry.get("basis"), ("",))[0] != engine.DATE:
        errors.append(f"{where}: basis must be a date fact, not {entry.get('basis')!r}")
    if entry.get("unit", "calendar_days") not in engine.UNITS:
        errors.append(f"{where}: unit must be one of {list(engine.UNITS)}")
    if entry.get("then_unit") and entry["then_unit"] not in engine.UNITS:
        errors.append(f"{where}: then_unit must be one of {list(engine.UNITS)}")
    if entry.get("amount_fact"):
        if engine.FACT_VOCABULARY.get(entry["amount_fact"], ("",))[0] != engine.NUMBER:
            errors.append(f"{where}: amount_fact must be a number fact")
    elif not isinstance(entry.get("amount"), int):
        errors.append(f"{where}: amount must be a whole number")
    if entry.get("recurrence", "") not in engine.RECURRENCES:
        errors.append(f"{where}: recurrence must be empty or monthly")
    if entry.get("recurrence") and entry.get("unit") != "months":
        errors.append(f"{where}: a monthly deadline counts in months")
    reminders = entry.get("reminders", [])
    if not isinstance(reminders, list) or not all(isinstance(r, int) for r in reminders):
        errors.append(f"{where}: reminders must be a list of whole days before the deadline")
    texts = entry.get("texts") or {}
    for language in LANGUAGES:
        if not (texts.get(language) or {}).get("title"):
            errors.append(f"{where}: missing {language} title")
    if not (texts.get("en") or {}).get("advice"):
        errors.append(f"{where}: an English advice text is required")
    return errors


def _conditions(entry: dict) -> tuple[engine.Condition, ...]:
    return tuple(
        engine.Condition(fact=c["fact"], op=c["op"], value=_freeze(c.get("value")))
        for c in entry.get("conditions") or []
    )


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _unverified(entry: dict) -> bool:
    """Unverified unless a named person checked it (the database export says who)."""
    if not entry.get("verified_by"):
        return True
    return bool(entry.get("needs_review", not entry.get("verified_on")))


def source_text(entry: dict) -> str:
    """The citation in English, as stored on a case's items (the portal renders its own)."""
    return citations.render(entry.get("cite"), "en") or str(entry.get("source") or "").strip()


def to_ruleset(data: dict[str, list[dict]], *, overrides=(), decrees=()) -> engine.Ruleset:
    memberships = tuple(
        engine.GroupMembership(
            group=group["code"],
            country=member["country"],
            effective_from=member["from"],
            effective_to=member.get("to"),
        )
        for group in data.get("groups", [])
        for member in group.get("members") or []
    )
    common = lambda e: dict(  # noqa: E731
        key=e["key"],
        effective_from=e["from"],
        effective_to=e.get("to"),
        problem_types=tuple(e.get("problem_types") or ()),
        group=e.get("group") or "",
        conditions=_conditions(e),
        # The database's source column when it has one (what cases carry), else the citation.
        source=str(e.get("source") or "").strip() or source_text(e),
        unverified=_unverified(e),
        slot=e.get("slot") or e["key"],
        priority=int(e.get("priority") or 0),
    )
    items = tuple(
        engine.ItemRule(
            **common(e), document_code=e["document"], position=int(e.get("position") or 0)
        )
        for e in data.get("rules", [])
    )
    deadlines = tuple(
        engine.DeadlineSpec(
            **common(e),
            title=e["texts"]["en"]["title"],
            basis_fact=e["basis"],
            unit=e.get("unit", "calendar_days"),
            amount=int(e.get("amount") or 0),
            amount_fact=e.get("amount_fact") or "",
            then_amount=int(e.get("then_amount") or 0),
            then_unit=e.get("then_unit") or "",
            recurrence=e.get("recurrence") or "",
            occurrences=int(e.get("occurrences") or 0),
            reminder_offsets=tuple(e.get("reminders") or ()),
            note=e.get("note") or "",
        )
        for e in data.get("deadlines", [])
    )
    return engine.Ruleset(
        memberships=memberships,
        items=items,
        deadlines=deadlines,
        calendar_overrides=tuple(overrides),
        calendar_decrees=tuple(decrees),
    )
