"""The rules table read back: as the YAML data format, and as the engine's Ruleset, cached per
process and rebuilt whenever the rules version token changes."""

from __future__ import annotations

import uuid
from datetime import date

from content import calendardata, engine, rulesdata
from content.models import (
    CalendarOverride,
    CitizenshipGroup,
    DeadlineRule,
    DocumentType,
    Rule,
    RulesVersion,
)


def _condition_yaml(condition: dict) -> dict:
    out = dict(condition)
    kind = engine.FACT_VOCABULARY.get(out.get("fact"), ("",))[0]
    if kind == engine.DATE and isinstance(out.get("value"), str):
        out["value"] = date.fromisoformat(out["value"])
    return out


def _rule_entry(row, section: str) -> dict:
    entry = {
        "key": row.key,
        "from": row.effective_from,
        "to": row.effective_to,
        "problem_types": list(row.problem_types),
        "group": row.group.code if row.group_id else None,
        "conditions": [_condition_yaml(c) for c in row.conditions],
        "source": row.source,
        "cite": row.citation,
        "provenance": row.provenance,
        "note": row.note,
        "verified_on": row.verified_on,
        "verified_by": row.verified_by.get_username() if row.verified_by_id else None,
        "verified_against": row.verified_against,
        "needs_review": row.needs_review,
        "slot": row.slot,
        "priority": row.priority,
    }
    if section == "rules":
        entry |= {"document": row.document.code, "position": row.position}
    else:
        entry |= {
            "basis": row.basis_fact,
            "amount": row.amount,
            "amount_fact": row.amount_fact,
            "unit": row.unit,
            "then_amount": row.then_amount,
            "then_unit": row.then_unit,
            "recurrence": row.recurrence,
            "occurrences": row.occurrences,
            "reminders": list(row.reminder_offsets),
            "texts": row.texts,
        }
    return entry


def export_data(*, include_documents: bool = True) -> dict:
    """The rules table in the YAML data format."""
    data: dict[str, list[dict]] = {section: [] for section in rulesdata.SECTIONS}
    if include_documents:
        for doc in DocumentType.objects.prefetch_related("translations"):
            texts = {}
            for t in doc.translations.all():
                texts[t.language] = {n: getattr(t, n) for n in rulesdata.DOCUMENT_TEXT_FIELDS}
                if t.needs_review:
                    texts[t.language]["needs_review"] = True
            data["documents"].append(
                {
                    "code": doc.code,
                    "kind": doc.kind,
                    "source": doc.source,
                    "cite": doc.citation,
                    "provenance": doc.provenance,
                    "texts": texts,
                }
            )
    for group in CitizenshipGroup.objects.prefetch_related("memberships"):
        data["groups"].append(
            {
                "code": group.code,
                "name": group.name,
                "description": group.description,
                "members": [
                    {
                        "country": m.country,
                        "from": m.effective_from,
                        "to": m.effective_to,
                        "source": m.source,
                    }
                    for m in group.memberships.all()
                ],
            }
        )
    data["rules"] = [
        _rule_entry(r, "rules")
        for r in Rule.objects.select_related("group", "document", "verified_by")
    ]
    data["deadlines"] = [
        _rule_entry(r, "deadlines")
        for r in DeadlineRule.objects.select_related("group", "verified_by")
    ]
    return data


# The Ruleset last built in this process per country of stay, with the version it was built at.
_RULESETS: dict[str, tuple[uuid.UUID, engine.Ruleset]] = {}


def bump_rules_version() -> None:
    """Every process rebuilds its cached Ruleset at its next read (called on any rules write)."""
    if not RulesVersion.objects.filter(pk=1).update(token=uuid.uuid4()):
        RulesVersion.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4()})


def ruleset_from_db(*, country: str = "RU") -> engine.Ruleset:
    """The Ruleset in force: one query for the version token while the rules don't change."""
    token = RulesVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    cached = _RULESETS.get(country)
    if token is not None and cached is not None and cached[0] == token:
        return cached[1]
    ruleset = _build_ruleset(country)
    if token is not None:
        _RULESETS[country] = (token, ruleset)
    return ruleset


def _build_ruleset(country: str) -> engine.Ruleset:
    data = export_data(include_documents=False)
    overrides = CalendarOverride.objects.filter(country=country, decree=None).values_list(
        "day", "is_working_day"
    )
    return rulesdata.to_ruleset(
        data, overrides=tuple(overrides), decrees=calendardata.decrees_from_db(country)
    )
