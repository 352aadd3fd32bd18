"""Migrant-facing texts use the glossary's words (locale/glossary.yaml), no forbidden variant."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import yaml

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = yaml.safe_load((ROOT / "locale" / "glossary.yaml").read_text())["terms"]
LANGUAGES = ("en", "ru", "tg", "uz", "uz_Cyrl", "ky")


def _rule_texts(language: str) -> list[str]:
    found: list[str] = []

    def walk(node, inside: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, inside or key == language)
        elif isinstance(node, list):
            for value in node:
                walk(value, inside)
        elif inside and isinstance(node, str):
            found.append(node)

    for path in sorted((ROOT / "content" / "rules").glob("*.yaml")):
        walk(yaml.safe_load(path.read_text()), False)
    return found


def _texts(language: str) -> list[str]:
    texts = _rule_texts(language)
    path = ROOT / "portal" / "locale" / language / "LC_MESSAGES" / "django.po"
    if path.exists():
        for entry in polib.pofile(str(path)):
            texts += [entry.msgstr, *entry.msgstr_plural.values()]
    return [t for t in texts if t]


def test_every_term_has_every_language():
    for term in GLOSSARY:
        assert all(term.get(lang) for lang in LANGUAGES), term["term"]
        for pattern in (p for ps in term.get("forbidden", {}).values() for p in ps):
            re.compile(pattern)


def test_no_migrant_facing_text_uses_a_forbidden_variant():
    found = []
    for term in GLOSSARY:
        for language, patterns in term.get("forbidden", {}).items():
            for text in _texts(language):
                for pattern in patterns:
                    if re.search(pattern, text):
                        found.append(f"{term['term']} ({language}) {pattern!r}: {text}")
    assert not found, "\n".join(found)


def test_the_named_wrong_strings_are_gone():
    assert not [t for t in _texts("ky") if "эч ким аны" in t]
    assert any("Ба қайди муҳоҷиратӣ гузаред" in t for t in _texts("tg"))
