"""The Russian interface is complete: every message translated, none fuzzy, .mo up to date."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "ru" / "LC_MESSAGES" / "django.po"


def _entries():
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        yield lines


def test_every_message_has_a_russian_translation():
    untranslated = []
    for lines in _entries():
        text = "\n".join(lines)
        if 'msgid ""\nmsgstr ""\n"Project-Id' in text:
            continue
        assert "#, fuzzy" not in text, text
        strings = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', text, re.M)
        if not strings or any(
            not (first + rest.replace('"', "").strip()) for first, rest in strings
        ):
            untranslated.append(text)
    assert not untranslated, untranslated[:5]


def test_compiled_catalogue_is_used():
    with translation.override("ru"):
        assert translation.gettext("Open the case") == "Открыть дело"
        assert translation.ngettext("%(n)s case", "%(n)s cases", 5) % {"n": 5} == "5 дел"
