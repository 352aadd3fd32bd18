"""The portal's languages: the five of the issue, with Uzbek in Latin and (second) Cyrillic script.

Django's own language handling serves the caseworker UI; the portal chooses its language itself
(query → cookie → the migrant's preference) and renders inside `translation.override`, so adding
`uz-cyrl` needs no change to the site-wide LANGUAGES. Gettext finds `portal/locale/uz_Cyrl`.
"""

from __future__ import annotations

import re

# (code, name in that language). Order: the languages most migrants read, then the rest.
LANGUAGES: list[tuple[str, str]] = [
    ("ru", "Русский"),
    ("tg", "Тоҷикӣ"),
    ("uz", "Oʻzbekcha"),
    ("uz-cyrl", "Ўзбекча"),
    ("ky", "Кыргызча"),
    ("en", "English"),
]
CODES = {code for code, _ in LANGUAGES}
COOKIE = "portal_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

# BCP 47 tags for the `lang` attribute (screen readers, hyphenation, fonts).
_HTML_LANG = {"uz": "uz-Latn", "uz-cyrl": "uz-Cyrl"}


def html_lang(code: str) -> str:
    return _HTML_LANG.get(code, code)


def content_language(code: str) -> str:
    """The language the rules table is asked in (its texts exist for ru, tg, uz, ky, en)."""
    return "uz" if code == "uz-cyrl" else code


def pick(*candidates: str | None) -> str:
    """The first candidate that is a portal language (full code, or its base: "ru-RU" → "ru")."""
    for candidate in candidates:
        if not candidate:
            continue
        candidate = candidate.lower()
        if candidate in CODES:
            return candidate
        base = candidate.split("-")[0].split("_")[0]
        if base in CODES:
            return base
    return "ru"


# --- Uzbek Latin → Cyrillic (the 1995 alphabet's official correspondence) -----------------

_APOSTROPHES = "ʻʼ'‘’`"
_DIGRAPHS = {
    "sh": "ш",
    "ch": "ч",
    "yo": "ё",
    "yu": "ю",
    "ya": "я",
    "ye": "е",
}
_LETTERS = dict(
    zip(
        "abdefghijklmnopqrstuvxyz",
        "абдефгҳижклмнопқрстувхйз",
        strict=True,
    )
)
# Placeholders, tags, entities and URLs pass through untouched.
_PROTECTED = re.compile(r"(%\([a-z_]+\)[sd]|%[sd]|<[^>]*>|&[a-z#0-9]+;|https?://\S+|\{[^}]*\})")


def _match_case(source: str, target: str) -> str:
    if source.isupper() and len(source) > 1:
        return target.upper()
    if source[0].isupper():
        return target[0].upper() + target[1:]
    return target


def _translit_plain(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        low = ch.lower()
        nxt = text[i + 1] if i + 1 < len(text) else ""
        prev_is_letter = i > 0 and text[i - 1].isalpha()
        if low in "og" and nxt and nxt in _APOSTROPHES:
            out.append(_match_case(ch, "ў" if low == "o" else "ғ"))
            i += 2
            continue
        pair = text[i : i + 2].lower()
        if pair in _DIGRAPHS and not (pair == "ye" and prev_is_letter):
            out.append(_match_case(text[i : i + 2], _DIGRAPHS[pair]))
            i += 2
            continue
        if ch in _APOSTROPHES and prev_is_letter and nxt.isalpha():
            out.append("ъ")  # tutuq belgisi between letters
        elif low == "e":
            out.append(_match_case(ch, "е" if prev_is_letter else "э"))
        elif low in _LETTERS:
            out.append(_match_case(ch, _LETTERS[low]))
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def uz_latin_to_cyrillic(text: str) -> str:
    """Transliterate Uzbek Latin text to Cyrillic; needs a native reader's review for loanwords."""
    parts = _PROTECTED.split(text)
    return "".join(part if _PROTECTED.fullmatch(part) else _translit_plain(part) for part in parts)
