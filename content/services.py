"""Verbs on the rules table: import and export the YAML data, verify and save a rule, announce
a rules change (cases re-syncs its open cases)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import yaml
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from content import citations, rulesdata, rulesets, signals, translation_reviews
from content.models import (
    CitizenshipGroup,
    DeadlineRule,
    DocumentTranslation,
    DocumentType,
    GroupMembership,
    ResyncJob,
    Rule,
)
from content.vocabulary import ProblemType

M = TypeVar("M", bound=models.Model)
# The signed-in administrator (settings.AUTH_USER_MODEL). Content may not import accounts (it
# knows no person), so the type stays open here.
Staff = Any


@dataclass
class ImportReport:
    created: dict[str, list[str]] = field(default_factory=dict)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    not_in_files: list[str] = field(default_factory=list)
    problem_types: set[str] = field(default_factory=set)
    all_problem_types: bool = False  # a changed rule applies to every problem type

    def note(self, section: str, label: str, *, created: bool, changed: bool) -> None:
        if created:
            self.created.setdefault(section, []).append(label)
        elif changed:
            self.updated.setdefault(section, []).append(label)
        else:
            self.unchanged[section] = self.unchanged.get(section, 0) + 1

    @property
    def rules_changed(self) -> bool:
        return any(
            self.created.get(s) or self.updated.get(s) for s in ("rules", "deadlines", "groups")
        )

    def lines(self) -> list[str]:
        out: list[str] = []
        for section in rulesdata.SECTIONS:
            created, updated = self.created.get(section, []), self.updated.get(section, [])
            out.append(
                f"{section}: {len(created)} created, {len(updated)} updated, "
                f"{self.unchanged.get(section, 0)} unchanged"
            )
            out += [f"  + {label}" for label in created] + [f"  ~ {label}" for label in updated]
        if self.not_in_files:
            out.append("in the database but not in the files (left as they are):")
            out += [f"  ? {label}" for label in self.not_in_files]
        return out


def validate_data(data: dict[str, Any]) -> list[str]:
    return rulesdata.validate(data, problem_types=tuple(ProblemType.values))


def _flush(model: type[models.Model], pending: list[Any]) -> None:
    """Create the new rows of one model at once (with their history records)."""
    if pending:
        if hasattr(model, "history"):
            bulk_create_with_history(pending, model)
        else:
            model._default_manager.bulk_create(pending)
        pending.clear()


def _upsert(
    model: type[M],
    lookup: dict[str, Any],
    values: dict[str, Any],
    *,
    existing: dict[Any, M] | None = None,
    index: Any = None,
    pending: list[M] | None = None,
) -> tuple[M, bool, bool]:
    """Create or update one row; returns (row, created, changed).

    `existing` maps `index` (a tuple built from the lookup) to rows loaded up front, so a reload
    of unchanged data costs no query per row.
    """
    if existing is not None:
        row = existing.get(index)
    else:
        row = model._default_manager.filter(**lookup).first()
    if row is None:
        if pending is not None:  # created in bulk by _flush
            row = model(**lookup, **values)
            pending.append(row)
        else:
            row = model._default_manager.create(**lookup, **values)
        if existing is not None:
            existing[index] = row
        return row, True, True
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        row.save()
    return row, False, bool(changed)


@transaction.atomic
def import_rules(data: dict[str, Any], *, by: Staff | None = None) -> ImportReport:
    """Load validated data into the rules table (idempotent). Raises RulesDataError if invalid."""
    errors = validate_data(data)
    if errors:
        raise rulesdata.RulesDataError(errors)
    report = ImportReport()
    documents = _import_documents(data.get("documents", []), report)
    groups = _import_groups(data.get("groups", []), report)
    for section, model in (("rules", Rule), ("deadlines", DeadlineRule)):
        _import_rule_section(
            data.get(section, []), section, model, report, groups=groups, documents=documents
        )
    rulesets.bump_rules_version()  # bulk creation sends no post_save
    return report


def _import_documents(
    entries: list[dict[str, Any]], report: ImportReport
) -> dict[str, DocumentType]:
    """Document types and their translations; returns every document by code."""
    docs = {d.code: d for d in DocumentType.objects.all()}
    translations = {(t.document_id, t.language): t for t in DocumentTranslation.objects.all()}
    pending: list[Any] = []
    doc_changes: dict[str, tuple[bool, bool]] = {}
    for entry in entries:
        _doc, created, changed = _upsert(
            DocumentType,
            {"code": entry["code"]},
            {
                "kind": entry.get("kind", "document"),
                "source": rulesdata.source_text(entry),
                "citation": citations.as_json(entry.get("cite")),
                "provenance": str(entry.get("provenance") or "").strip(),
            },
            existing=docs,
            index=entry["code"],
            pending=pending,
        )
        doc_changes[entry["code"]] = (created, changed)
    _flush(DocumentType, pending)
    reviewed = translation_reviews.reviewed_document_digests()
    for entry in entries:
        doc = docs[entry["code"]]
        created, changed = doc_changes[entry["code"]]
        english = entry["texts"].get("en") or {}
        for language, text in entry["texts"].items():
            values: dict[str, str | bool] = {
                name: str(text.get(name) or "").strip() for name in rulesdata.DOCUMENT_TEXT_FIELDS
            }
            # A text someone reviewed in this very wording stays reviewed across reloads.
            wording = translation_reviews.digest(english, values, rulesdata.DOCUMENT_TEXT_FIELDS)
            values["needs_review"] = bool(text.get("needs_review", False)) and (
                wording not in reviewed.get((doc.pk, language), set())
            )
            _row, t_created, t_changed = _upsert(
                DocumentTranslation,
                {"document": doc, "language": language},
                values,
                existing=translations,
                index=(doc.pk, language),
                pending=pending,
            )
            changed = changed or t_created or t_changed
        report.note("documents", entry["code"], created=created, changed=changed)
    _flush(DocumentTranslation, pending)
    return docs


def _import_groups(
    entries: list[dict[str, Any]], report: ImportReport
) -> dict[str, CitizenshipGroup]:
    """Citizenship groups and their dated members; returns every group by code."""
    groups = {g.code: g for g in CitizenshipGroup.objects.all()}
    members = {(m.group_id, m.country, m.effective_from): m for m in GroupMembership.objects.all()}
    pending: list[Any] = []
    group_changes: dict[str, tuple[bool, bool]] = {}
    for entry in entries:
        _group, created, changed = _upsert(
            CitizenshipGroup,
            {"code": entry["code"]},
            {"name": entry["name"], "description": str(entry.get("description") or "").strip()},
            existing=groups,
            index=entry["code"],
            pending=pending,
        )
        group_changes[entry["code"]] = (created, changed)
    _flush(CitizenshipGroup, pending)
    for entry in entries:
        group = groups[entry["code"]]
        created, changed = group_changes[entry["code"]]
        for member in entry.get("members") or []:
            _row, m_created, m_changed = _upsert(
                GroupMembership,
                {"group": group, "country": member["country"], "effective_from": member["from"]},
                {
                    "effective_to": member.get("to"),
                    "source": str(member.get("source") or "").strip(),
                },
                existing=members,
                index=(group.pk, member["country"], member["from"]),
                pending=pending,
            )
            changed = changed or m_created or m_changed
        report.note("groups", entry["code"], created=created, changed=changed)
    _flush(GroupMembership, pending)
    return groups


def _import_rule_section(
    entries: list[dict[str, Any]],
    section: str,
    model: type[Rule] | type[DeadlineRule],
    report: ImportReport,
    *,
    groups: dict[str, CitizenshipGroup],
    documents: dict[str, DocumentType],
) -> None:
    """The rules or deadline rules, each version keyed by (key, from); notes the problem types
    whose open cases a changed version may affect, and versions the files no longer hold."""
    related = ("group", "document") if model is Rule else ("group",)
    rows = {(r.key, r.effective_from): r for r in model._default_manager.select_related(*related)}
    pending: list[Any] = []
    seen: set[tuple[str, date]] = set()
    reviewed = translation_reviews.reviewed_deadline_digests() if model is DeadlineRule else {}
    for entry in entries:
        values = _rule_values(entry, section, groups=groups, documents=documents)
        if model is DeadlineRule:
            mine = reviewed.get((entry["key"], entry["from"]), {})
            values["texts"] = translation_reviews.without_reviewed(values["texts"], mine)
        seen.add((entry["key"], entry["from"]))
        row = rows.get((entry["key"], entry["from"]))
        if row is not None and not entry.get("verified_on"):
            # An administrator's verification survives a reload unless the substance changed.
            if not any(getattr(row, n) != v for n, v in values.items()):
                report.note(section, _label(entry), created=False, changed=False)
                continue
            values |= {"needs_review": True, "verified_on": None, "verified_by": None}
        else:
            values |= {
                "needs_review": rulesdata._unverified(entry),
                "verified_on": entry.get("verified_on"),
            }
        _row, created, changed = _upsert(
            model,
            {"key": entry["key"], "effective_from": entry["from"]},
            values,
            existing=rows,
            index=(entry["key"], entry["from"]),
            pending=pending,
        )
        report.note(section, _label(entry), created=created, changed=changed)
        if created or changed:
            if not entry.get("problem_types"):
                report.all_problem_types = True
            report.problem_types |= set(entry.get("problem_types") or ())
    _flush(model, pending)
    report.not_in_files += [
        f"{section[:-1]} {key} from {start}" for key, start in rows if (key, start) not in seen
    ]


def _label(entry: dict[str, Any]) -> str:
    return f"{entry['key']} from {entry['from']}"


def _rule_values(
    entry: dict[str, Any],
    section: str,
    *,
    groups: dict[str, CitizenshipGroup],
    documents: dict[str, DocumentType],
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "slot": entry.get("slot") or "",
        "priority": int(entry.get("priority") or 0),
        "problem_types": list(entry.get("problem_types") or []),
        "group": groups.get(entry["group"]) if entry.get("group") else None,
        "conditions": [_condition_json(c) for c in entry.get("conditions") or []],
        "effective_to": entry.get("to"),
        "source": rulesdata.source_text(entry),
        "citation": citations.as_json(entry.get("cite")),
        "provenance": str(entry.get("provenance") or "").strip(),
        "note": str(entry.get("note") or "").strip(),
    }
    if section == "rules":
        values |= {
            "document": documents[entry["document"]],
            "position": int(entry.get("position") or 0),
        }
    else:
        values |= {
            "basis_fact": entry["basis"],
            "amount": int(entry.get("amount") or 0),
            "amount_fact": entry.get("amount_fact") or "",
            "unit": entry.get("unit", "calendar_days"),
            "then_amount": int(entry.get("then_amount") or 0),
            "then_unit": entry.get("then_unit") or "",
            "recurrence": entry.get("recurrence") or "",
            "occurrences": int(entry.get("occurrences") or 0),
            "reminder_offsets": list(entry.get("reminders") or []),
            "texts": entry["texts"],
        }
    return values


def _condition_json(condition: dict[str, Any]) -> dict[str, Any]:
    value = condition.get("value")
    if isinstance(value, date):
        value = value.isoformat()
    out = {"fact": condition["fact"], "op": condition["op"]}
    if value is not None:
        out["value"] = value
    return out


def export_yaml() -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(
        rulesets.export_data(), Dumper=dumper, allow_unicode=True, sort_keys=False, width=100
    )


class VerificationError(ValueError):
    """A verification that would not say who checked the rule or against which text."""


@transaction.atomic
def verify(*, rule: Rule | DeadlineRule, by: Staff, against: str) -> Rule | DeadlineRule:
    """A named person confirms a rule against a text of the law (`against`: the act's edition
    and where it was read); the rule's output loses its "not yet checked" flag."""
    against = " ".join(str(against or "").split())
    if not getattr(by, "is_authenticated", False):
        raise VerificationError(str(_("Only a signed-in person can verify a rule.")))
    if not against:
        raise VerificationError(str(_("Say which text you checked (the act's edition or URL).")))
    rule.needs_review = False
    rule.verified_on = timezone.localdate()
    rule.verified_by = by
    rule.verified_against = against[:300]
    rule.save(
        update_fields=[
            "needs_review", "verified_on", "verified_by", "verified_against", "updated_at"
        ]
    )  # fmt: skip
    signals.rule_verified.send(sender=type(rule), rule=rule, by=by)
    return rule


def resync_scope(*, after: list[str], before: list[str] | None) -> list[str]:
    """Problem types whose open cases a rule edit may change: the rule's scope before and
    after (to retire items it no longer gives). Empty: every open case."""
    scopes = [after] + ([before] if before is not None else [])
    return [] if any(not scope for scope in scopes) else sorted(set().union(*scopes))


def announce_rules_change(
    *,
    reason: str,
    problem_types: list[str],
    by: Staff | None = None,
    run_now: bool = False,
) -> ResyncJob:
    """Record the re-sync a rules change calls for and announce it; the cases app re-plans
    the affected open cases (on a worker once committed, or here with `run_now`)."""
    job = ResyncJob.objects.create(
        reason=reason[:200], problem_types=list(problem_types), created_by=by
    )
    signals.rules_changed.send(sender=ResyncJob, job=job, run_now=run_now)
    return job


def save_rule(
    *, rule: Rule | DeadlineRule, by: Staff, before: list[str] | None = None
) -> tuple[Rule | DeadlineRule, ResyncJob]:
    """Validate (the model's clean()), save and re-sync the affected open cases, as the admin
    does. `before`: the rule's problem types before an edit (None for a new rule)."""
    with transaction.atomic():
        rule.full_clean()
        rule.save()
        job = announce_rules_change(
            reason=f"{rule.key} edited",
            problem_types=resync_scope(after=rule.problem_types, before=before),
            by=by,
        )
    return rule, job
