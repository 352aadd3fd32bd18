"""No lost update: an edit carries the version it was made from, and a save from a stale copy
is refused with what changed meanwhile, so the user can look and apply their change again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext as _

from cases.models.versioned import Versioned

V = TypeVar("V", bound=Versioned)
# Written by the system on every save; a change of these alone is not someone else's edit.
BOOKKEEPING = {"version", "updated_at", "search_names", "passport_number_hash", "plan_version"}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    value: str  # the value saved meanwhile, as shown on a page
    base: Any = None  # the stored value in the version the editor read
    current: Any = None  # the stored value now


class StaleEdit(Exception):
    """Someone saved the row after the editor read it, and changed what the editor can see."""

    def __init__(self, current: Versioned, changes: list[Change]) -> None:
        super().__init__(_("Someone else saved this record while you were editing it."))
        self.current = current
        self.changes = changes


def lock_current(model: type[V], pk: int, *, expected_version: int | None, fields: Any) -> V:
    """The row, locked for this transaction; StaleEdit if `fields` changed since the version
    the editor read (`expected_version`; None: the caller does not check, e.g. the portal)."""
    row = model._default_manager.select_for_update(of=("self",)).get(pk=pk)
    if expected_version is None or row.version == expected_version:
        return row
    changes = changes_since(row, expected_version, fields)
    if changes is None or changes:
        raise StaleEdit(row, changes or [])
    return row  # only the system's bookkeeping moved: not a conflict


def require_version(row: Versioned, expected_version: int | None) -> None:
    """For a row locked by the caller whose every save matters (a deadline, a checklist item):
    StaleEdit when it was saved after the version the client read."""
    if expected_version is not None and row.version != expected_version:
        raise StaleEdit(row, [])


def changes_since(row: Versioned, version: int, fields: Any) -> list[Change] | None:
    """The editable fields that differ between `version` (from the row's history) and now;
    None when that version is not in the history (no diff to show, still a conflict)."""
    history = getattr(row, "history", None)
    if history is None:
        return None
    then = history.filter(version=version).order_by("-history_date").first()
    if then is None:
        return None
    out = []
    for name in fields:
        if name in BOOKKEEPING:
            continue
        field = row._meta.get_field(name)
        now_value = getattr(row, field.attname)
        if getattr(then, field.attname, now_value) != now_value:
            base = getattr(then, field.attname)
            label, shown = str(field.verbose_name), _display(row, field, now_value)
            out.append(Change(name, label, shown, base, now_value))
    return out


def _display(row: models.Model, field: Any, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def etag(row: Versioned) -> str:
    return f'"v{row.version}"'


def version_from_if_match(header: str | None) -> int | None:
    """The version an API client read (its If-Match ETag); None without the header.
    ValueError for a header that is no ETag of ours."""
    if not header:
        return None
    tag = header.strip().removeprefix("W/").strip('"')
    if not tag.startswith("v") or not tag[1:].isdigit():
        raise ValueError(header)
    return int(tag[1:])
