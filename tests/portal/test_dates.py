"""Dates in the migrant's language, never with the Russian "г." outside Russian."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import formats, translation

DAY = date(2026, 12, 16)
MOMENT = datetime(2026, 12, 16, 9, 30)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "16 декабря 2026 г."),
        ("tg", "16 декабри соли 2026"),
        ("ky", "16-декабрь 2026-ж."),
        ("uz", "16-Dekabr, 2026-yil"),
        ("uz-cyrl", "16-Декабрь, 2026-йил"),
    ],
)
def test_a_date_reads_as_in_that_language(language, expected):
    with translation.override(language):
        assert formats.date_format(DAY) == expected
        assert formats.date_format(MOMENT, "DATETIME_FORMAT").startswith(expected)


@pytest.mark.parametrize("language", ["tg", "ky", "uz", "uz-cyrl"])
def test_no_russian_year_abbreviation(language):
    with translation.override(language):
        for name in ("DATE_FORMAT", "DATETIME_FORMAT", "YEAR_MONTH_FORMAT"):
            assert " г." not in formats.date_format(MOMENT, name)
