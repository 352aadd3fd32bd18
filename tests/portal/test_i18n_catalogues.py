"""Catalogues cannot override one another, and the words with two meanings carry a context."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]


def catalogues() -> list[Path]:
    """Every gettext catalogue the project ships (LOCALE_PATHS and the apps' own locale/)."""
    return sorted(
        path
        for path in ROOT.glob("**/LC_MESSAGES/django.po")
        if ".venv" not in path.parts and "node_modules" not in path.parts
    )


def _language(path: Path) -> str:
    return path.parent.parent.name


def _value(entry: polib.POEntry) -> str | tuple:
    return entry.msgstr if not entry.msgid_plural else tuple(sorted(entry.msgstr_plural.items()))


def test_no_two_catalogues_translate_the_same_msgid_differently():
    # Django merges catalogues, and the first one in its search order wins (LOCALE_PATHS before
    # the apps'): a shared msgid with two translations shows whichever wins, in every app. Words
    # with several meanings need a context (pgettext, {% translate "Open" context "verb" %}).
    seen: dict[str, dict[tuple, tuple[Path, object]]] = defaultdict(dict)
    clashes = []
    for path in catalogues():
        language = _language(path)
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.translated():
                continue
            key = (entry.msgctxt, entry.msgid)
            value = _value(entry)
            if key in seen[language] and seen[language][key][1] != value:
                first, other = seen[language][key]
                clashes.append(
                    f"{language} {key}: {first.relative_to(ROOT)} {other!r} ≠ "
                    f"{path.relative_to(ROOT)} {value!r}"
                )
            seen[language].setdefault(key, (path, value))
    assert len(catalogues()) >= 7
    assert not clashes, "\n".join(clashes)


@pytest.mark.django_db
def test_russian_portal_login_button_reads_open_the_verb(client):
    client.cookies["portal_lang"] = "ru"
    body = client.get("/m/").content.decode()
    assert '<button type="submit">Открыть</button>' in body
    assert "Открыт<" not in body


@pytest.mark.django_db
def test_open_the_state_stays_the_adjective_in_russian():
    from django.utils import translation

    with translation.override("ru"):
        assert translation.gettext("Open") == "Открыт"  # a task or reminder that is open
        assert str(translation.pgettext("verb", "Open")) == "Открыть"
        assert str(translation.gettext("Kyrgyzstan")) == "Кыргызстан"
