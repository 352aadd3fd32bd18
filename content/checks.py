"""System check: next year's calendar decree should be loaded before deadlines reach it.

Reads the database, so it runs with `manage.py check --database default` (not on every command).
"""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone


@register(Tags.database)
def next_year_decree_check(app_configs=None, databases=None, **kwargs):
    from content import calendardata

    if not databases:
        return []
    try:
        year = calendardata.missing_next_year(timezone.localdate())
    except DatabaseError:
        return []  # not migrated yet: nothing to warn about
    if year is None:
        return []
    return [
        Warning(
            f"No calendar decree for {year} is loaded; its deadlines are provisional.",
            hint="Load the decree: content/decrees/*.yaml + load_rules, or the admin.",
            id="hamroh.W101",
        )
    ]
