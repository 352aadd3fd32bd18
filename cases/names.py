"""What a person's name may hold: letters of one script, and the marks names are written with.

The Latin field is the passport's transliteration (RAKHIMOV FARRUKH, Oʻlmas, D'Artagnan), the
Cyrillic one the name as written in Russian, Tajik, Uzbek or Kyrgyz (Раҳимов, Ҷӯраев, Үсөнов).
Digits, emoji and the other script are refused: they are typing errors, and a name that
searches fold into the other script must be in one script to be found.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Between the parts of a name: spaces, hyphens, apostrophes (ASCII, typographic, Uzbek ʻ ʼ), dots.
MARKS = frozenset(" -'’‘ʻʼ.")


def _script_of(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0]  # "LATIN", "CYRILLIC", "DIGIT", "EMOJI"…


def _check(value: str, script: str, message) -> None:
    text = unicodedata.normalize("NFC", value)
    # Combining marks (a stress or diaeresis typed separately) belong to the letter before.
    wrong = [
        ch
        for ch in text
        if ch not in MARKS
        and not unicodedata.combining(ch)
        and not (ch.isalpha() and _script_of(ch) == script)
    ]
    if wrong:
        shown = " ".join(dict.fromkeys(wrong))
        raise ValidationError(message, code="script", params={"chars": shown})
    if not any(ch.isalpha() for ch in text):
        raise ValidationError(_("A name needs letters."), code="no_letters")


def validate_latin_name(value: str) -> None:
    _check(value, "LATIN", _("Latin letters only, as in the passport (not: %(chars)s)."))


def validate_cyrillic_name(value: str) -> None:
    _check(value, "CYRILLIC", _("Cyrillic letters only (not: %(chars)s)."))
