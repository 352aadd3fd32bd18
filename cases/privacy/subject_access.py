"""Subject access (GDPR Art. 15/20): everything held about one migrant, as JSON or as a PDF
in the migrant's language."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import services as audit
from audit.actions import Action as AuditAction
from cases.models import Call, Case, Consent, LegalHold, Migrant, Organisation
from cases.privacy.registry import DERIVED_FIELDS, PERSONAL_DATA, USER_FIELDS, rows_of


def _record(obj: models.Model) -> dict[str, Any]:
    """The fields of one row, without staff members' identities (Art. 15(4))."""
    out: dict[str, Any] = {}
    for name in PERSONAL_DATA[type(obj)]:
        if name in USER_FIELDS or name in DERIVED_FIELDS:
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
    for case in rows_of(Case, migrant):
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
        "consents": [_record(c) for c in rows_of(Consent, migrant)],
        "legal_holds": [_record(h) for h in rows_of(LegalHold, migrant)],
        "calls": [_record(c) for c in rows_of(Call, migrant)],
        "cases": cases,
    }


def subject_access_json(migrant: Migrant, *, by=None) -> str:
    data = subject_access_data(migrant)
    audit.record(
        actor=by,
        action=AuditAction.SUBJECT_ACCESS_JSON,
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
        actor=by,
        action=AuditAction.SUBJECT_ACCESS_PDF,
        organisation=migrant.organisation,
        obj=migrant,
    )
    return result
