"""Erasure: anonymise one migrant on request or at the end of retention.

Nothing identifying is left in the case tables, their history tables, audit payloads, export
files or queued reminders; a pseudonymous tombstone (`ErasureRecord`) remains. A legal hold
blocks it.
"""

from __future__ import annotations

import json
import secrets
import zipfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.actions import Action as AuditAction
from audit.models import AuditEvent
from cases.models import (
    Address,
    Case,
    Consent,
    Deadline,
    ErasureRecord,
    Migrant,
    Reminder,
    Stay,
    TelegramStartCode,
)
from cases.privacy.holds import active_legal_holds
from cases.privacy.registry import ERASED_TAGS, PERSONAL_DATA, identifier_tokens, rows_of


class ErasureBlocked(ValidationError):
    pass


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
            actor=by,
            action=AuditAction.ERASURE_BLOCKED,
            organisation=migrant.organisation,
            obj=migrant,
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

    # Entry, exit and address rows are nothing but dates and places: they go entirely.
    deleted_whole = (Stay, Address)
    for model in deleted_whole:
        rows_of(model, migrant).delete()
    for model, tags in PERSONAL_DATA.items():
        if model in deleted_whole:
            continue
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
            rows_of(model, migrant).update(**updates)

    # Reminders not sent yet are cancelled; the sender re-checks state before sending.
    rows_of(Reminder, migrant).filter(
        state__in=[Reminder.State.SCHEDULED, Reminder.State.SENDING]
    ).update(state=Reminder.State.CANCELLED)
    rows_of(Consent, migrant).filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    # Unused Telegram start codes would bind a chat to the erased record: void them.
    rows_of(TelegramStartCode, migrant).delete()

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
        action=AuditAction.MIGRANT_ERASED,
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

    `manage.py erase_migrant --verify` runs it after an erasure to prove nothing is left.
    It reads every table: an operator's check, too slow for each erasure of the nightly run.
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
