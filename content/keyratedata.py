"""The key-rate table as data (content/rates/key-rate.yaml): read, validate, load, and the
calculators' view of the table in the database (which administrators edit in the admin)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from content import calculators
from content.models import KeyRate

KEY_RATE_FILE = Path(__file__).resolve().parent / "rates" / "key-rate.yaml"
FIELDS = {"from", "rate", "decision", "to_verify", "note"}


def read(path: Path = KEY_RATE_FILE) -> list[dict[str, Any]]:
    parsed = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(parsed.get("rates") or [])


def _rate(value: Any) -> Decimal | None:
    try:
        rate = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return rate if rate.is_finite() and 0 <= rate <= 100 else None


def validate(entries: list[dict[str, Any]]) -> list[str]:
    errors: list[str] = []
    seen: set[date] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"key rate row {number}"
        if not isinstance(entry, dict):
            errors.append(f"{where}: a row is a mapping with from, rate and decision")
            continue
        unknown = set(entry) - FIELDS
        if unknown:
            errors.append(f"{where}: unknown keys {sorted(unknown)}")
        day = entry.get("from")
        if not isinstance(day, date):
            errors.append(f"{where}: from must be a date (YYYY-MM-DD)")
        elif day in seen:
            errors.append(f"{where}: a second rate from {day.isoformat()}")
        else:
            seen.add(day)
        if _rate(entry.get("rate")) is None:
            errors.append(f"{where}: rate must be a number of percent between 0 and 100")
        if not str(entry.get("decision") or "").strip():
            errors.append(f"{where}: the Bank of Russia decision is required")
        if not isinstance(entry.get("to_verify", False), bool):
            errors.append(f"{where}: to_verify must be true or false")
    return errors


def parse(entries: list[dict[str, Any]]) -> tuple[calculators.KeyRate, ...]:
    """The rows as the calculators read them (entries must be valid)."""
    return calculators.rate_periods(
        calculators.KeyRate(
            effective_from=entry["from"],
            rate=Decimal(str(entry["rate"])),
            decision=str(entry["decision"]).strip(),
            to_verify=bool(entry.get("to_verify", False)),
        )
        for entry in entries
    )


@transaction.atomic
def import_rates(entries: list[dict[str, Any]]) -> list[str]:
    """Create or update a row per day in the file; returns the rows that changed. Rows added in
    the admin for other days are kept (a newer decision may be entered before the file has it)."""
    changed: list[str] = []
    for entry in entries:
        values = {
            "rate": Decimal(str(entry["rate"])),
            "decision": str(entry["decision"]).strip(),
            "to_verify": bool(entry.get("to_verify", False)),
            "note": str(entry.get("note") or "").strip(),
        }
        row, created = KeyRate.objects.get_or_create(effective_from=entry["from"], defaults=values)
        differs = {n: v for n, v in values.items() if getattr(row, n) != v}
        if created or differs:
            for name, value in differs.items():
                setattr(row, name, value)
            if differs:
                row.save()
            changed.append(str(row))
    return changed


def rates_from_db() -> tuple[calculators.KeyRate, ...]:
    return tuple(
        calculators.KeyRate(
            effective_from=row.effective_from,
            rate=row.rate,
            decision=row.decision,
            to_verify=row.to_verify,
        )
        for row in KeyRate.objects.order_by("effective_from")
    )
