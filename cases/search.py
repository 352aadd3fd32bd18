"""Transliteration-aware name search: `Rustam` finds `Рустам` and the reverse.

Both scripts are folded to one Latin "skeleton": lower case, Cyrillic transliterated, and
spelling variants common in Tajik/Uzbek/Russian renderings merged (kh/h/x, sh/ş, j/dj/dzh, ...).
"""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "j", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Tajik, Uzbek and Kyrgyz letters
    "ғ": "g", "ҳ": "h", "ӣ": "i", "қ": "k", "ӯ": "u", "ҷ": "j", "ў": "u", "ң": "n", "ө": "o",
    "ү": "u", "ә": "a", "і": "i",
}  # fmt: skip

# Latin spellings folded together, longest first.
_LATIN_FOLDS = [
    ("dzh", "j"), ("zh", "j"), ("dj", "j"), ("kh", "h"), ("x", "h"), ("q", "k"),
    ("sch", "sh"), ("tch", "ch"), ("ts", "s"), ("yo", "e"), ("ye", "e"),
    ("iy", "i"), ("yi", "i"), ("y", "i"), ("w", "v"), ("oo", "u"), ("ou", "u"),
    ("gh", "g"), ("'", ""), ("ʻ", ""), ("ʼ", ""), ("`", ""),
]  # fmt: skip
_DOUBLE = re.compile(r"(.)\1+")


def fold(text: str) -> str:
    """The searchable skeleton of a name in either script."""
    text = text.lower()
    text = "".join(_CYRILLIC.get(char, char) for char in text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    for old, new in _LATIN_FOLDS:
        text = text.replace(old, new)
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    text = _DOUBLE.sub(r"\1", text)
    return " ".join(text.split())


def index_names(*names: str) -> str:
    """What Migrant.search_names stores: the folded forms of every spelling, space-separated."""
    folded = {fold(name) for name in names if name}
    return " | ".join(sorted(folded))
