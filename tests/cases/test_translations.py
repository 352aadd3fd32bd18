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


ROOT = PO.parents[3]
# The caseworker interface's templates (portal/ and stats/ have their own catalogues).
TEMPLATE_ROOTS = ("templates", "accounts/templates", "audit/templates")


def _template_messages() -> set[str]:
    """Every msgid the caseworker templates ask for, read the way makemessages reads them."""
    import ast

    from django.utils.translation.template import templatize

    found: set[str] = set()
    call = re.compile(r"\b(n?p?gettext)\(((?:u?'(?:[^'\\]|\\.)*'(?:,\s*)?)+)")
    for root in TEMPLATE_ROOTS:
        for path in sorted((ROOT / root).rglob("*.html")):
            source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            for name, args in call.findall(source):
                strings = [ast.literal_eval(s) for s in re.findall(r"u?'(?:[^'\\]|\\.)*'", args)]
                found.add(strings[1] if name.startswith(("pgettext", "npgettext")) else strings[0])
    return found


def test_every_template_message_is_in_the_catalogue_and_translated():
    """A string added to a caseworker template without re-running makemessages fails here."""
    catalogue = {}
    for lines in _entries():
        text = "\n".join(lines)
        match = re.search(r'^msgid "(.*)"((?:\n".*")*)', text, re.M)
        msgid = match.group(1) + "".join(re.findall(r'"(.*)"', match.group(2)))
        msgstr = "".join(
            first + "".join(re.findall(r'"(.*)"', rest))
            for first, rest in re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', text, re.M)
        )
        catalogue[msgid.encode().decode("unicode_escape").encode("latin-1").decode()] = msgstr
    messages = _template_messages()
    assert len(messages) > 200  # the extraction really read the templates
    missing = sorted(m for m in messages if not catalogue.get(m))
    assert not missing, missing[:10]
    with translation.override("ru"):
        assert translation.gettext("Deadlines and reminders") == "Сроки и напоминания"
        assert translation.gettext("unverified rule") == "непроверенное правило"
