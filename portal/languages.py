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
# Rule texts exist in Uzbek Latin only; the portal shows them in Cyrillic through this converter
# (the portal's own strings have an authored catalogue, portal/locale/uz_Cyrl). `uztransliterator`
# was evaluated and rejected: it writes "компенсатсия", "ҚР-код", "РуИД", "СМС".

_OKINA = "ʻ"  # U+02BB, the sign of oʻ and gʻ
_TUTUQ = "ʼ"  # U+02BC, the tutuq belgisi (maʼlumot)
_APOSTROPHES = "ʻʼ'‘’`"
_DIGRAPHS = {"sh": "ш", "ch": "ч", "yo": "ё", "yu": "ю", "ya": "я", "ye": "е"}
_LETTERS = dict(zip("abcdefghijklmnopqrstuvxyz", "абцдефгҳижклмнопқрстувхйз", strict=True))
# Placeholders, tags, entities, URLs and the acronyms a Cyrillic text keeps in Latin pass
# through; Russian offices' abbreviations follow the script (MVD → МВД, MFC → МФЦ, IIV → ИИВ).
_PROTECTED = re.compile(
    r"(%\([a-z_]+\)[sd]|%[sd]|<[^>]*>|&[a-z#0-9]+;|https?://\S+|\{[^}]*\}"
    r"|\b(?:QR|SMS|RuID|ID)\b)"
)
# Russian loanwords keep their Russian spelling (ц, я, ь): "ts" is ц in -tsiya/-tsion and
# protsent, and the s of -ksiya/-ksion (inspeksiya → инспекция, infeksion → инфекцион); month
# names take я and the soft sign (ь only at the end: "сентябрь", "сентябрдан").
_TSE = re.compile(r"ts(?=i[yo])|(?<=pro)ts(?=ent)|(?<=k)s(?=i[yo])", re.IGNORECASE)
_RUSSIAN_STEMS = {
    "sentabr": "сентябр",
    "oktabr": "октябр",
    "noyabr": "ноябр",
    "dekabr": "декабр",
    "yanvar": "январ",
    "fevral": "феврал",
    "aprel": "апрел",
    "iyun": "июн",
    "iyul": "июл",
}
_MONTH = re.compile(r"\b(" + "|".join(_RUSSIAN_STEMS) + r")([a-zʻʼ']*)", re.IGNORECASE)
# Other loanwords whose soft sign the Latin spelling drops.
_LOANWORDS = {"kuryer": "курьер"}
_LOANWORD = re.compile(r"\b(" + "|".join(_LOANWORDS) + r")", re.IGNORECASE)


def normalise_uz_latin(text: str) -> str:
    """Uzbek Latin with ʻ in oʻ/gʻ and ʼ for the tutuq belgisi, never an ASCII or curly quote."""
    text = re.sub(r"(?<=[oOgG])[ʼ'‘’`]", _OKINA, text)
    return re.sub(r"(?<=[^\W\d_oOgG])[ʻ'‘’`](?=\w)", _TUTUQ, text)


def _match_case(source: str, target: str) -> str:
    if source.isupper() and len(source) > 1:
        return target.upper()
    if source[0].isupper():
        return target[0].upper() + target[1:]
    return target


def _month(match: re.Match) -> str:
    stem, suffix = match.group(1), match.group(2)
    cyrillic = _match_case(stem, _RUSSIAN_STEMS[stem.lower()]) + ("" if suffix else "ь")
    return cyrillic + suffix


def _translit_plain(text: str) -> str:
    text = _MONTH.sub(_month, text)
    text = _LOANWORD.sub(lambda m: _match_case(m.group(1), _LOANWORDS[m.group(1).lower()]), text)
    text = _TSE.sub(lambda m: "Ц" if m.group(0)[0].isupper() else "ц", text)
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        low = ch.lower()
        nxt = text[i + 1] if i + 1 < len(text) else ""
        after = text[i + 2] if i + 2 < len(text) else ""
        prev_is_letter = i > 0 and text[i - 1].isalpha()
        if low in "og" and nxt and nxt in _APOSTROPHES:
            out.append(_match_case(ch, "ў" if low == "o" else "ғ"))
            i += 2
            continue
        pair = text[i : i + 2].lower()
        # "ye" is е at the start of a word and after a vowel (qayerda → қаерда, reyestr → реестр).
        ye_inside = pair == "ye" and prev_is_letter and text[i - 1].lower() not in "aeiou"
        # "yoʻq" is й + ў, not ё + ъ.
        oka = pair == "yo" and after in _APOSTROPHES
        if pair in _DIGRAPHS and not oka and not ye_inside:
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
    """Transliterate Uzbek Latin text to Cyrillic (tests/portal/test_uzbek_cyrillic.py)."""
    parts = _PROTECTED.split(text)
    return "".join(part if _PROTECTED.fullmatch(part) else _translit_plain(part) for part in parts)
