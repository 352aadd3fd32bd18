"""Does a translation carry everything its English source says? A check of the migrant-facing texts.

A translation fails when a number of the source (days, dates, article and law numbers, amounts)
is missing, when the source names a month or a glossary term (locale/glossary.yaml) and the
translation does not use that language's form, or when it is under 75 % of the source's length
(the usual sign of a dropped sentence). Reviewed exceptions, each with a reason, live in
locale/translation_exceptions.yaml. Runs over the gettext catalogues and content/rules/*.yaml;
`manage.py check_translations` prints the failures, tests/portal/test_translation_check.py
enforces them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polib
import yaml

from portal.languages import uz_latin_to_cyrillic

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "locale" / "glossary.yaml"
EXCEPTIONS = ROOT / "locale" / "translation_exceptions.yaml"
RULES = ROOT / "content" / "rules"
# The migrant's languages whose texts are checked (Russian is written from the same source by
# the rules engineer and reviewed separately).
LANGUAGES = ("tg", "uz", "uz_Cyrl", "ky")
MIN_RATIO = 0.75

_MARKUP = re.compile(r"<[^>]*>|%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}|&[a-z#0-9]+;|https?://\S+")
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Text:
    """One translated text and its English source; `where` says where to fix it."""

    where: str
    key: str
    language: str
    source: str
    translation: str


@dataclass(frozen=True)
class Failure:
    text: Text
    problems: tuple[str, ...]

    def __str__(self) -> str:
        t = self.text
        return f"{t.where} [{t.language}] {t.key!r}: {'; '.join(self.problems)}"


def _plain(text: str) -> str:
    return " ".join(_MARKUP.sub(" ", text).split())


def _load_glossary() -> list[dict]:
    data = yaml.safe_load(GLOSSARY.read_text())
    return [*data["terms"], *data.get("months", [])]


def _required_forms(term: dict, language: str) -> tuple[re.Pattern, list[str]]:
    """How the English source names the term, and the forms (any one) a translation must use."""
    match = term.get("match", {})
    source = match.get("en") or re.escape(term["en"])
    forms = match.get(language) or [term[language]]
    flags = 0 if term.get("case_sensitive") else re.IGNORECASE
    return re.compile(source, flags), forms if isinstance(forms, list) else [forms]


def problems(text: Text, glossary: list[dict]) -> list[str]:
    """What the translation leaves out of its source (empty when nothing)."""
    source, translation = _plain(text.source), _plain(text.translation)
    found = []
    missing = sorted(set(_NUMBER.findall(source)) - set(_NUMBER.findall(translation)), key=int)
    if missing:
        found.append("numbers missing: " + ", ".join(missing))
    lowered = translation.lower()
    for term in glossary:
        named, forms = _required_forms(term, text.language)
        if named.search(source) and not any(form.lower() in lowered for form in forms):
            found.append(f"term {term['term']!r} not as {' / '.join(forms)}")
    if len(source) and len(translation) < MIN_RATIO * len(source):
        found.append(f"length {len(translation)}/{len(source)} (< {MIN_RATIO:.0%})")
    return found


def _exceptions() -> dict[tuple[str, str], str]:
    """(language, source) → the reviewed reason the length rule does not apply."""
    if not EXCEPTIONS.exists():
        return {}
    rows = yaml.safe_load(EXCEPTIONS.read_text()) or []
    return {(row["language"], row["source"]): row["reason"] for row in rows}


def check(texts: Iterator[Text] | list[Text]) -> list[Failure]:
    glossary = _load_glossary()
    exempt = _exceptions()
    failures = []
    for text in texts:
        found = problems(text, glossary)
        if (text.language, text.source) in exempt:
            found = [p for p in found if not p.startswith("length")]
        if found:
            failures.append(Failure(text, tuple(found)))
    return failures


# --- Where the texts are -------------------------------------------------------------------
def catalogues(root: Path = ROOT) -> list[Path]:
    """The shipped catalogues of the checked languages (project, portal and apps)."""
    return sorted(
        path
        for language in LANGUAGES
        for path in root.glob(f"**/locale/{language}/LC_MESSAGES/django.po")
        if not path.relative_to(root).parts[0].startswith((".", "var", "node_modules"))
    )


def catalogue_texts(root: Path = ROOT) -> Iterator[Text]:
    for path in catalogues(root):
        language = path.parent.parent.name
        where = str(path.relative_to(root))
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.translated():
                continue
            if entry.msgid_plural:
                # Compare the plural form with the English plural (the one with the numbers).
                translation = entry.msgstr_plural[max(entry.msgstr_plural)]
                yield Text(where, entry.msgid_plural, language, entry.msgid_plural, translation)
            else:
                yield Text(where, entry.msgid, language, entry.msgid, entry.msgstr)


def _rule_texts(node, where: str, key: str) -> Iterator[Text]:
    """Every field of every `texts:` block, against its `en` field."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _rule_texts(item, where, f"{key}[{index}]")
        return
    if not isinstance(node, dict):
        return
    name = node.get("code") or node.get("key") or key
    texts = node.get("texts")
    if isinstance(texts, dict) and isinstance(texts.get("en"), dict):
        for language, fields in texts.items():
            if language not in ("tg", "uz", "ky") or not isinstance(fields, dict):
                continue
            for field, source in texts["en"].items():
                translation = fields.get(field) or ""
                if not isinstance(source, str) or not source:
                    continue
                yield Text(where, f"{name}.{field}", language, source, translation)
                if language == "uz":  # the portal shows the same text converted to Cyrillic
                    cyrillic = uz_latin_to_cyrillic(translation)
                    yield Text(where, f"{name}.{field}", "uz_Cyrl", source, cyrillic)
    for child_key, value in node.items():
        if child_key != "texts":
            yield from _rule_texts(value, where, f"{name}.{child_key}")


def rule_texts(root: Path = ROOT) -> Iterator[Text]:
    for path in sorted((root / "content" / "rules").glob("*.yaml")):
        yield from _rule_texts(yaml.safe_load(path.read_text()), str(path.relative_to(root)), "")
