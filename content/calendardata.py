"""The calendar decrees as data files (content/decrees/*.yaml): read, validate, load.

One file per decree ("О переносе выходных дней"): country, year, number, date and the days it
moves. `load_rules` loads them; an administrator edits them in the admin (CalendarDecree).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from django.db import transaction

from content import calendars
from content.models import CalendarDecree, CalendarOverride

DECREES_DIR = Path(__file__).resolve().parent / "decrees"
FIELDS = {"country", "year", "number", "signed_on", "title", "publication", "note", "days"}


def read_dir(path: Path = DECREES_DIR) -> list[dict]:
    return [
        yaml.safe_load(file.read_text(encoding="utf-8")) | {"file": file.name}
        for file in sorted(path.glob("*.yaml"))
    ]


def validate(entries: list[dict]) -> list[str]:
    errors: list[str] = []
    seen: set[tuple[str, int]] = set()
    for entry in entries:
        where = entry.get("file", "decree")
        unknown = set(entry) - FIELDS - {"file"}
        if unknown:
            errors.append(f"{where}: unknown keys {sorted(unknown)}")
        year, signed_on = entry.get("year"), entry.get("signed_on")
        if not isinstance(year, int) or not isinstance(signed_on, date) or not entry.get("number"):
            errors.append(f"{where}: year, number and signed_on (YYYY-MM-DD) are required")
            continue
        if (entry.get("country", "RU"), year) in seen:
            errors.append(f"{where}: a second decree for {year}")
        seen.add((entry.get("country", "RU"), year))
        for day in entry.get("days") or []:
            if not isinstance(day.get("day"), date) or day["day"].year != year:
                errors.append(f"{where}: {day.get('day')!r} is not a date in {year}")
            if not isinstance(day.get("working"), bool):
                errors.append(f"{where}: {day.get('day')}: working must be true or false")
    return errors


@transaction.atomic
def import_decrees(entries: list[dict]) -> list[str]:
    """Create or update each decree and replace its days; returns the decrees that changed."""
    changed: list[str] = []
    for entry in entries:
        decree, created = CalendarDecree.objects.get_or_create(
            country=entry.get("country", "RU"),
            year=entry["year"],
            defaults={"number": str(entry["number"]), "signed_on": entry["signed_on"]},
        )
        values = {
            "number": str(entry["number"]),
            "signed_on": entry["signed_on"],
            "title": str(entry.get("title") or "").strip(),
            "publication": str(entry.get("publication") or "").strip(),
            "note": str(entry.get("note") or "").strip(),
        }
        differs = {n: v for n, v in values.items() if getattr(decree, n) != v}
        wanted = {(d["day"], d["working"], str(d.get("note") or "")) for d in entry["days"] or []}
        stored = set(decree.days.values_list("day", "is_working_day", "note"))
        if not (created or differs or wanted != stored):
            continue
        for name, value in differs.items():
            setattr(decree, name, value)
        decree.save()
        decree.days.all().delete()
        # A correction an administrator made for one of these days gives way to the decree.
        CalendarOverride.objects.filter(
            country=decree.country, day__in=[day for day, _w, _n in wanted], decree=None
        ).delete()
        for day, working, note in sorted(wanted):
            CalendarOverride.objects.create(
                decree=decree, country=decree.country, day=day, is_working_day=working, note=note
            )
        changed.append(str(decree))
    return changed


def decrees_from_db(country: str) -> tuple[calendars.Decree, ...]:
    decrees = CalendarDecree.objects.filter(country=country).prefetch_related("days")
    return tuple(
        calendars.Decree(
            year=d.year,
            number=d.number,
            signed_on=d.signed_on,
            days=tuple((day.day, day.is_working_day) for day in d.days.all()),
        )
        for d in decrees
    )


def missing_next_year(today: date, *, country: str = "RU") -> int | None:
    """Next year, if it has no decree loaded (the administrator should load it once published)."""
    year = today.year + 1
    if CalendarDecree.objects.filter(country=country, year=year).exists():
        return None
    return year
