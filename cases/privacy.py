"""Data-protection duties towards the people in the case files.

- A registry tags every field holding data about a migrant (`PERSONAL_DATA`). It drives the
  subject-access export, erasure and retention; a test fails when a field is left untagged.
- `subject_access_json` / `subject_access_pdf`: everything held about one migrant (GDPR
  Art. 15/20), the PDF in the migrant's language.
- `erase_migrant`: anonymise on request or at the end of retention, leaving no identifier in
  the case tables, their history tables, audit payloads, export files or queued reminders,
  and a pseudonymous tombstone (`ErasureRecord`). A legal hold blocks it.
- `run_retention`: the nightly job (with a dry-run report) over closed cases.
"""

from __future__ import annotations

import json
import secrets
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Max, Q
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import AuditEvent
from cases.models import (
    Case,
    ChecklistItem,
    Consent,
    Deadline,
    Delivery,
    ErasureRecord,
    LegalHold,
    Migrant,
    Organisation,
    Reminder,
    Task,
    TimelineEvent,
)


class Tag(StrEnum):
    ID = "identifier"  # names the person directly: erased
    TEXT = "free_text"  # may hold anything, names included: erased
    QUASI = "quasi_identifier"  # exact dates, places, employer: erased
    STAT = "statistical"  # coarse facts kept after anonymisation (statistics)
    SYS = "system"  # keys, states, timestamps of the work itself: kept


PERSONAL_DATA: dict[type[models.Model], dict[str, Tag]] = {
    Migrant: {
        "id": Tag.SYS,
        "organisation": Tag.SYS,
        "full_name_latin": Tag.ID,
        "full_name_cyrillic": Tag.ID,
        "search_names": Tag.ID,
        "date_of_birth": Tag.QUASI,
        "gender": Tag.STAT,
        "citizenship": Tag.STAT,
        "phone": Tag.ID,
        "phone_secondary": Tag.ID,
        "telegram": Tag.ID,
        "telegram_chat_id": Tag.ID,
        "email": Tag.ID,
        "preferred_language": Tag.STAT,
        "preferred_channel": Tag.SYS,
        "region": Tag.STAT,
        "city": Tag.QUASI,
        "sector": Tag.STAT,
        "phone_controlled": Tag.QUASI,
        "safe_call_time": Tag.TEXT,
        "do_not_contact": Tag.SYS,
        "safe_contact_notes": Tag.TEXT,
        "passport_number": Tag.ID,
        "passport_number_hash": Tag.ID,
        "created_by": Tag.SYS,
        "created_at": Tag.SYS,
        "updated_at": Tag.SYS,
    },
    Case: {
        "id": Tag.SYS,
        "organisation": Tag.SYS,
        "number": Tag.SYS,
        "migrant": Tag.SYS,
        "problem_type": Tag.STAT,
        "status": Tag.STAT,
        "outcome": Tag.STAT,
        "priority": Tag.STAT,
        "assignee": Tag.SYS,
        "summary": Tag.TEXT,
        "country_of_stay": Tag.STAT,
        "arrival_date": Tag.QUASI,
        "entry_point": Tag.QUASI,
        "host_address": Tag.ID,
        "employer_name": Tag.QUASI,
        "employer_tax_id": Tag.QUASI,
        "amount_owed": Tag.STAT,
        "currency": Tag.STAT,
        "wage_period_start": Tag.QUASI,
        "wage_period_end": Tag.QUASI,
        "employment_end_date": Tag.QUASI,
        "patent_issue_date": Tag.QUASI,
        "ban_start_date": Tag.QUASI,
        "ban_duration_years": Tag.STAT,
        "ban_reason": Tag.TEXT,
        "passport_holder": Tag.STAT,
        "passport_held_since": Tag.QUASI,
        "passport_recovery_steps": Tag.TEXT,
        "detention_date": Tag.QUASI,
        "extra_facts": Tag.TEXT,
        "opened_at": Tag.SYS,
        "closed_at": Tag.SYS,
        "created_by": Tag.SYS,
        "updated_at": Tag.SYS,
    },
    Consent: {
        "id": Tag.SYS,
        "migrant": Tag.SYS,
        "purpose": Tag.SYS,
        "channel": Tag.SYS,
        "notice_version": Tag.SYS,
        "language": Tag.SYS,
        "given_at": Tag.SYS,
        "withdrawn_at": Tag.SYS,
        "recorded_by": Tag.SYS,
    },
    TimelineEvent: {
        "id": Tag.SYS,
        "case": Tag.SYS,
        "kind": Tag.SYS,
        "actor": Tag.SYS,
        "text": Tag.TEXT,
        "data": Tag.TEXT,
        "created_at": Tag.SYS,
    },
    Task: {
        "id": Tag.SYS,
        "case": Tag.SYS,
        "kind": Tag.SYS,
        "title": Tag.TEXT,
        "due_date": Tag.SYS,
        "assignee": Tag.SYS,
        "done_at": Tag.SYS,
        "created_by": Tag.SYS,
        "created_at": Tag.SYS,
    },
    ChecklistItem: {
        "id": Tag.SYS,
        "case": Tag.SYS,
        "key": Tag.SYS,
        "document_code": Tag.SYS,
        "rule_key": Tag.SYS,
        "source": Tag.SYS,
        "unverified": Tag.SYS,
        "state": Tag.SYS,
        "note": Tag.TEXT,
        "position": Tag.SYS,
        "retired_at": Tag.SYS,
        "ticked_by_migrant_at": Tag.SYS,
        "updated_by": Tag.SYS,
        "updated_at": Tag.SYS,
    },
    Deadline: {
        "id": Tag.SYS,
        "case": Tag.SYS,
        "key": Tag.SYS,
        "kind": Tag.SYS,
        "title": Tag.TEXT,
        "due_date": Tag.SYS,
        "basis_fact": Tag.SYS,
        "basis_date": Tag.QUASI,
        "explanation": Tag.TEXT,
        "explanations": Tag.TEXT,
        "rule_key": Tag.SYS,
        "source": Tag.SYS,
        "unverified": Tag.SYS,
        "reminder_offsets": Tag.SYS,
        "state": Tag.SYS,
        "resolved_on": Tag.SYS,
        "resolution_note": Tag.TEXT,
        "created_by": Tag.SYS,
        "created_at": Tag.SYS,
        "updated_at": Tag.SYS,
    },
    Reminder: {
        "id": Tag.SYS,
        "deadline": Tag.SYS,
        "audience": Tag.SYS,
        "offset_days": Tag.SYS,
        "send_at": Tag.SYS,
        "state": Tag.SYS,
        "claimed_at": Tag.SYS,
        "attempts": Tag.SYS,
        "last_error": Tag.TEXT,
        "sent_at": Tag.SYS,
        "created_at": Tag.SYS,
        "updated_at": Tag.SYS,
    },
    Delivery: {
        "id": Tag.SYS,
        "reminder": Tag.SYS,
        "organisation": Tag.SYS,
        "channel": Tag.SYS,
        "state": Tag.SYS,
        "attempts": Tag.SYS,
        "provider_message_id": Tag.QUASI,
        "error": Tag.TEXT,
        "segments": Tag.SYS,
        "claimed_at": Tag.SYS,
        "created_at": Tag.SYS,
        "sent_at": Tag.SYS,
    },
    LegalHold: {
        "id": Tag.SYS,
        "migrant": Tag.SYS,
        "reason": Tag.TEXT,
        "placed_by": Tag.SYS,
        "placed_at": Tag.SYS,
        "released_at": Tag.SYS,
        "released_by": Tag.SYS,
    },
}

# How each registered model reaches its migrant (for export and erasure).
_PATH_TO_MIGRANT = {
    Migrant: "pk",
    Case: "migrant",
    Consent: "migrant",
    LegalHold: "migrant",
    TimelineEvent: "case__migrant",
    Task: "case__migrant",
    ChecklistItem: "case__migrant",
    Deadline: "case__migrant",
    Reminder: "deadline__case__migrant",
    Delivery: "reminder__deadline__case__migrant",
}
ERASED_TAGS = (Tag.ID, Tag.TEXT, Tag.QUASI)
_USER_FIELDS = {"created_by", "assignee", "actor", "recorded_by", "updated_by", "placed_by"}
_USER_FIELDS |= {"released_by"}


class ErasureBlocked(ValidationError):
    pass


def active_legal_holds(migrant: Migrant):
    return LegalHold.objects.filter(migrant=migrant, released_at__isnull=True)


@transaction.atomic
def place_legal_hold(*, migrant: Migrant, reason: str, by) -> LegalHold:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the data must be kept.")})
    hold = LegalHold.objects.create(migrant=migrant, reason=reason.strip(), placed_by=by)
    audit.record(
        actor=by, action="legal_hold.placed", organisation=migrant.organisation, obj=migrant
    )
    return hold


@transaction.atomic
def release_legal_hold(*, hold: LegalHold, by) -> LegalHold:
    if hold.released_at is None:
        hold.released_at = timezone.now()
        hold.released_by = by
        hold.save(update_fields=["released_at", "released_by"])
        audit.record(
            actor=by,
            action="legal_hold.released",
            organisation=hold.migrant.organisation,
            obj=hold.migrant,
        )
    return hold


# ---------------------------------------------------------------------------------------------
# Subject access


def _rows(model: type[models.Model], migrant: Migrant) -> models.QuerySet:
    return model.objects.filter(**{_PATH_TO_MIGRANT[model]: migrant.pk}).order_by("pk")


def _record(obj: models.Model) -> dict[str, Any]:
    """The fields of one row, without staff members' identities (Art. 15(4))."""
    out: dict[str, Any] = {}
    for name in PERSONAL_DATA[type(obj)]:
        if name in _USER_FIELDS or name in ("search_names", "passport_number_hash"):
            continue
        f = obj._meta.get_field(name)
        value = getattr(obj, f.attname)
        if f.choices and value not in (None, ""):
            value = {"value": value, "label": str(dict(f.flatchoices).get(value, value))}
        out[name] = value
    return out


def subject_access_data(migrant: Migrant) -> dict[str, Any]:
    org: Organisation = migrant.organisation
    days = org.retention_days or settings.RETENTION_DAYS
    cases = []
    for case in _rows(Case, migrant):
        entry = _record(case)
        entry["timeline"] = [_record(e) for e in case.timeline.order_by("created_at", "id")]
        entry["tasks"] = [_record(t) for t in case.tasks.order_by("id")]
        entry["checklist"] = [_record(i) for i in case.checklist.order_by("position", "id")]
        entry["deadlines"] = []
        for deadline in case.deadlines.order_by("due_date", "id"):
            d = _record(deadline)
            d["reminders"] = []
            for reminder in deadline.reminders.order_by("send_at", "id"):
                r = _record(reminder)
                r["deliveries"] = [_record(x) for x in reminder.deliveries.order_by("id")]
                d["reminders"].append(r)
            entry["deadlines"].append(d)
        cases.append(entry)
    return {
        "generated_at": timezone.now(),
        "controller": {"organisation": org.name, "email": org.email, "phone": org.hotline_phone},
        "purposes": [
            "Advice and help with the person's case (case work).",
            "Reminders about deadlines, on the channels the person agreed to.",
        ],
        "retention": f"Anonymised {days} days after the last case is closed, "
        "unless a legal hold is recorded.",
        "rights": "Access, correction, erasure, objection, withdrawal of consent at any time.",
        "migrant": _record(migrant),
        "consents": [_record(c) for c in _rows(Consent, migrant)],
        "legal_holds": [_record(h) for h in _rows(LegalHold, migrant)],
        "cases": cases,
    }


def subject_access_json(migrant: Migrant, *, by=None) -> str:
    data = subject_access_data(migrant)
    audit.record(
        actor=by,
        action="subject_access.json",
        organisation=migrant.organisation,
        obj=migrant,
    )
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def _font_path(bold: bool = False) -> Path:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    candidates = [
        Path(getattr(settings, "PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu")) / name,
        Path("/usr/share/fonts/truetype/dejavu") / name,
    ]
    for path in candidates:
        if path.exists():
            return path
    raise FileNotFoundError(f"{name}: install the Debian package fonts-dejavu-core")


def _label(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


def _text(value: Any) -> str:
    if isinstance(value, dict) and "label" in value:
        return str(value["label"])
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    return "" if value is None else str(value)


def subject_access_pdf(migrant: Migrant, *, by=None) -> bytes:
    """A readable PDF of everything held, in the migrant's preferred language."""
    from fpdf import FPDF

    data = subject_access_data(migrant)
    with translation.override(migrant.preferred_language or "ru"):
        pdf = FPDF(format="A4")
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_font("DejaVu", "", str(_font_path()))
        pdf.add_font("DejaVu", "B", str(_font_path(bold=True)))
        pdf.add_page()

        def heading(text: str) -> None:
            pdf.set_font("DejaVu", "B", 13)
            pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 10)

        def line(label: str, value: Any) -> None:
            text = _text(value)
            if text in ("", "{}", "[]"):
                return
            pdf.multi_cell(0, 5.5, f"{label}: {text}", new_x="LMARGIN", new_y="NEXT")

        def block(model: type[models.Model], record: dict[str, Any]) -> None:
            for name, value in record.items():
                if name == "id" or name not in PERSONAL_DATA[model]:
                    continue
                if model._meta.get_field(name).is_relation:
                    continue  # internal ids mean nothing to the reader
                line(_label(model, name), value)

        heading(_("Data we hold about you"))
        line(_("Organisation"), data["controller"]["organisation"])
        line(_("Prepared on"), data["generated_at"])
        pdf.ln(3)
        heading(_("You"))
        block(Migrant, data["migrant"])
        if data["consents"]:
            pdf.ln(2)
            heading(_("Your consents"))
            for consent in data["consents"]:
                block(Consent, consent)
                pdf.ln(1)
        for case in data["cases"]:
            pdf.ln(3)
            heading(_("Case") + f" {case['number']}")
            block(Case, case)
            for event in case["timeline"]:
                line(_text(event["created_at"]), event["text"] or _text(event["kind"]))
            for deadline in case["deadlines"]:
                line(_("Deadline"), f"{deadline['title']} — {deadline['due_date']}")
            for item in case["checklist"]:
                line(_("Document"), f"{item['document_code']}: {_text(item['state'])}")
            for task in case["tasks"]:
                line(_("Task"), task["title"])
        pdf.ln(3)
        heading(_("Your rights"))
        pdf.multi_cell(0, 5.5, data["rights"], new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 5.5, data["retention"], new_x="LMARGIN", new_y="NEXT")
        result = bytes(pdf.output())
    audit.record(
        actor=by, action="subject_access.pdf", organisation=migrant.organisation, obj=migrant
    )
    return result


# ---------------------------------------------------------------------------------------------
# Erasure


def identifier_tokens(migrant: Migrant) -> list[str]:
    """The strings that identify this migrant directly (searched in payloads and files)."""
    names = [
        name
        for name, tag in PERSONAL_DATA[Migrant].items()
        if tag == Tag.ID and name not in ("search_names", "passport_number_hash")
    ]
    tokens = {str(getattr(migrant, name)).strip() for name in names if getattr(migrant, name)}
    return sorted(t for t in tokens if len(t) >= 4)


def _blank(f: models.Field, replacement: str) -> Any:
    if f.null:
        return None
    if isinstance(f, models.JSONField):
        default = f.get_default()
        return type(default)() if isinstance(default, dict | list) else {}
    if isinstance(f, models.BooleanField):
        return f.get_default()
    if isinstance(f, models.CharField | models.TextField):
        return "" if f.blank else replacement
    return f.get_default()


def _history_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label == "cases" and m.__name__.startswith("Historical")
    ]


def _delete_history(migrant_id: int, case_ids: list[int]) -> int:
    deleted = 0
    for history in _history_models():
        names = {f.name for f in history._meta.concrete_fields}
        base = history.instance_type
        if base is Migrant:
            qs = history.objects.filter(id=migrant_id)
        elif base is Case:
            qs = history.objects.filter(id__in=case_ids)
        elif "migrant" in names:
            qs = history.objects.filter(migrant_id=migrant_id)
        elif "case" in names:
            qs = history.objects.filter(case_id__in=case_ids)
        elif "deadline" in names:
            deadline_ids = Deadline.objects.filter(case_id__in=case_ids).values("id")
            qs = history.objects.filter(deadline_id__in=deadline_ids)
        else:
            continue
        deleted += qs.delete()[0]
    return deleted


def _scrub_audit(migrant: Migrant, case_ids: list[int], tokens: list[str]) -> int:
    """Blank audit payloads that name the migrant; the events themselves stay (append-only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('hamroh.audit_redaction', 'on', true)")
    scrubbed = 0
    lowered = [t.lower() for t in tokens]
    events = AuditEvent.objects.filter(organisation=migrant.organisation).exclude(detail={})
    if connection.vendor == "postgresql" and lowered:
        # jsonb text keeps non-ASCII as is: let the database narrow the scan.
        match = Q()
        for token in tokens:
            match |= Q(detail_text__icontains=token)
        events = events.annotate(detail_text=Cast("detail", models.TextField())).filter(match)
    for event in events.only("id", "detail").iterator():
        text = json.dumps(event.detail, ensure_ascii=False).lower()
        if any(t in text for t in lowered):
            AuditEvent.objects.filter(pk=event.pk).update(detail={"redacted": "erasure"})
            scrubbed += 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('hamroh.audit_redaction', 'off', true)")
    return scrubbed


def _file_mentions(path: Path, needles: list[bytes]) -> bool:
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for member in archive.infolist():
                    if member.file_size > 200 * 1024 * 1024:
                        return True  # too big to inspect: drop it to be safe
                    body = archive.read(member).lower()
                    if any(n in body for n in needles):
                        return True
            return False
        body = path.read_bytes().lower()
    except OSError:
        return False
    return any(n in body for n in needles)


def _purge_export_files(tokens: list[str]) -> int:
    root = Path(settings.EXPORTS_DIR)
    if not root.exists() or not tokens:
        return 0
    needles = [t.lower().encode() for t in tokens]
    # XLSX cells and JSON may escape non-ASCII text; search those spellings too.
    needles += [json.dumps(t.lower())[1:-1].encode() for t in tokens]
    removed = 0
    for path in root.rglob("*"):
        if path.is_file() and _file_mentions(path, needles):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def erase_migrant(
    *, migrant: Migrant, by=None, basis: str = ErasureRecord.Basis.REQUEST, reference: str = ""
) -> ErasureRecord:
    """Anonymise everything about one migrant; keep a pseudonymous tombstone.

    Refused while a legal hold is active (the refusal is audited). One transaction: it
    happens whole or not at all.
    """
    try:
        return _erase(migrant=migrant, by=by, basis=basis, reference=reference)
    except ErasureBlocked:
        audit.record(
            actor=by, action="erasure.blocked", organisation=migrant.organisation, obj=migrant
        )
        raise


@transaction.atomic
def _erase(*, migrant: Migrant, by, basis: str, reference: str) -> ErasureRecord:
    migrant = Migrant.objects.select_for_update().get(pk=migrant.pk)
    if hasattr(migrant, "erasure"):
        return migrant.erasure  # already erased: idempotent
    if active_legal_holds(migrant).exists():
        raise ErasureBlocked(
            _("A legal hold is recorded for this person: the data must be kept until released.")
        )
    tokens = identifier_tokens(migrant)
    pseudonym = f"X-{secrets.token_hex(6).upper()}"
    case_ids = list(Case.objects.filter(migrant=migrant).values_list("id", flat=True))

    for model, tags in PERSONAL_DATA.items():
        updates = {}
        for name, tag in tags.items():
            if tag not in ERASED_TAGS:
                continue
            f = model._meta.get_field(name)
            updates[f.attname] = _blank(f, "[erased]")
        if model is Migrant:
            updates["full_name_latin"] = f"Erased {pseudonym}"
            updates["updated_at"] = timezone.now()
        if updates:
            _rows(model, migrant).update(**updates)

    # Reminders not sent yet are cancelled; the sender re-checks state before sending.
    _rows(Reminder, migrant).filter(
        state__in=[Reminder.State.SCHEDULED, Reminder.State.SENDING]
    ).update(state=Reminder.State.CANCELLED)
    _rows(Consent, migrant).filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())

    _delete_history(migrant.pk, case_ids)
    scrubbed = _scrub_audit(migrant, case_ids, tokens)
    removed_files = _purge_export_files(tokens)
    record = ErasureRecord.objects.create(
        migrant=migrant,
        pseudonym=pseudonym,
        basis=basis,
        reference=reference[:100],
        erased_by=by if getattr(by, "is_authenticated", False) else None,
        removed_export_files=removed_files,
    )
    audit.record(
        actor=by,
        action="migrant.erased",
        organisation=migrant.organisation,
        obj=migrant,
        detail={
            "pseudonym": pseudonym,
            "basis": basis,
            "cases": len(case_ids),
            "audit_payloads_redacted": scrubbed,
            "export_files_removed": removed_files,
        },
    )
    return record


def residual_rows(tokens: list[str]) -> list[str]:
    """Every row of every table whose text (decrypted via the ORM) still holds a token.

    Used by tests and by `erase_migrant --verify` to prove an erasure left nothing behind.
    """
    hits = []
    lowered = [t.lower() for t in tokens if t]
    text_types = (models.CharField, models.TextField, models.JSONField)
    for model in apps.get_models():
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, text_types) and not f.primary_key
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list("pk", *[f.attname for f in fields]).iterator():
            pk, *values = row
            for f, value in zip(fields, values, strict=True):
                if value in (None, "", {}, []):
                    continue
                text = (
                    json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
                    if not isinstance(value, str)
                    else value
                ).lower()
                if any(t in text for t in lowered):
                    hits.append(f"{model._meta.label}#{pk}.{f.name}")
    return hits


# ---------------------------------------------------------------------------------------------
# Retention


@dataclass
class RetentionReport:
    dry_run: bool
    ran_at: datetime
    due: list[int] = field(default_factory=list)  # migrant ids past retention
    held: list[int] = field(default_factory=list)  # past retention but under legal hold
    erased: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "ran_at": self.ran_at.isoformat(),
            "due": len(self.due),
            "held": len(self.held),
            "erased": len(self.erased),
            "errors": self.errors,
            "migrant_ids": self.due,
        }


def retention_due(*, now: datetime | None = None) -> tuple[list[int], list[int]]:
    """Migrants whose last case closed more than the retention period ago, and none open.

    Returns (due, held): held are due but under an active legal hold.
    """
    now = now or timezone.now()
    due: list[int] = []
    held: list[int] = []
    for org in Organisation.objects.all():
        cutoff = now - timedelta(days=org.retention_days or settings.RETENTION_DAYS)
        migrants = (
            Migrant.objects.filter(organisation=org, erasure__isnull=True)
            .exclude(cases__status__in=_open_statuses())
            .annotate(last_closed=Max("cases__closed_at"))
            .filter(last_closed__lt=cutoff)
        )
        with_hold = set(
            LegalHold.objects.filter(released_at__isnull=True, migrant__in=migrants).values_list(
                "migrant_id", flat=True
            )
        )
        for migrant_id in migrants.order_by("pk").values_list("pk", flat=True):
            (held if migrant_id in with_hold else due).append(migrant_id)
    return due, held


def _open_statuses() -> list[str]:
    return [s for s in Case.Status.values if s not in Case.CLOSED_STATUSES]


def run_retention(*, dry_run: bool, now: datetime | None = None) -> RetentionReport:
    report = RetentionReport(dry_run=dry_run, ran_at=now or timezone.now())
    report.due, report.held = retention_due(now=now)
    if not dry_run:
        for migrant_id in report.due:
            try:
                migrant = Migrant.objects.get(pk=migrant_id)
                erase_migrant(migrant=migrant, basis=ErasureRecord.Basis.RETENTION)
                report.erased.append(migrant_id)
            except ErasureBlocked:
                report.held.append(migrant_id)
            except Exception as exc:  # noqa: BLE001 - one bad row must not stop the night's run
                report.errors.append(f"migrant {migrant_id}: {type(exc).__name__}")
    audit.record(
        actor=None,
        action="retention.dry_run" if dry_run else "retention.run",
        detail={k: v for k, v in report.as_dict().items() if k != "migrant_ids"},
    )
    return report


# ---------------------------------------------------------------------------------------------
# Notification texts (lock screens, shared phones)

# Words that reveal why someone is being helped. A reminder says what to do, never why.
STATUS_WORDS = (
    "ban",
    "deport",
    "traffick",
    "illegal",
    "detention",
    "police",
    "запрет",
    "депорт",
    "выдвор",
    "нелегал",
    "торговл",
    "задерж",
    "полиц",
    "арест",
    "мамнӯъ",  # tg: forbidden
    "taqiq",  # uz: ban
    "тыюу",  # ky: ban
)


def notification_leaks(text: str, *, migrant: Migrant | None = None) -> list[str]:
    """What a notification text gives away: status words and the migrant's identifiers.

    Reminder templates are checked with this in tests (P6); an empty list means the text is
    safe to show on a lock screen.
    """
    lowered = text.lower()
    leaks = [word for word in STATUS_WORDS if word in lowered]
    if migrant is not None:
        leaks += [token for token in identifier_tokens(migrant) if token.lower() in lowered]
        if migrant.passport_number and migrant.passport_number[-4:] in text:
            leaks.append("passport digits")
    return leaks
