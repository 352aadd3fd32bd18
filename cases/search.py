"""Transliteration-aware name search: `Rustam` finds `Рустам` and the reverse.

Both scripts are folded to one Latin "skeleton": lower case, Cyrillic transliterated, and
spelling variants common in Tajik/Uzbek/Russian renderings merged (kh/h/x, sh/ş, j/dj/dzh, ...).
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models import F, Q, QuerySet, Subquery, Value

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "j", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Tajik, Uzbek and Kyrgyz letters
    "ғ": "g", "ҳ": "h", "ӣ": "i", "қ": "k", "ӯ": "u", "ҷ": "j", "ў": "u", "ң": "n", "ө": "o",
    "ү": "u", "ә": "a", "і": "i",
}  # fmt: skip

# Uzbek Latin oʻ/gʻ are Cyrillic ў/ғ (Oʻtkir = Ўткир = Уткир); folded before apostrophes go.
_UZBEK_LATIN = [("oʻ", "u"), ("o'", "u"), ("o`", "u"), ("oʼ", "u"), ("gʻ", "g"), ("g'", "g")]

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
    for old, new in _UZBEK_LATIN:
        text = text.replace(old, new)
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


def name_filter(text: str, field: str = "search_names") -> Q:
    """Every word of the query starts a word of the migrant's names, in either script."""
    condition = Q()
    for token in fold(text).split():
        condition &= Q(**{f"{field}__startswith": token}) | Q(**{f"{field}__contains": f" {token}"})
    return condition


class MaterializedIds(Subquery):
    """The ids a subquery selects, computed once before the outer query uses them.

    For a name search this makes the database find the matching migrants first, through the
    trigram index on `search_names`, and only then their cases. Left to itself the planner
    may instead walk the organisation's cases newest first and test each migrant's names,
    which is slow when the name is rare (it misjudges how many migrants match).
    """

    template = "(WITH matched AS MATERIALIZED (%(subquery)s) SELECT * FROM matched)"


def _trigram_indexable(text: str) -> bool:
    """Every word has three letters or more: the trigram index can find it."""
    tokens = fold(text).split()
    return bool(tokens) and all(len(token) >= 3 for token in tokens)


_CASE_NUMBER = re.compile(r"^[A-Za-z]{2,8}-\d{4}-\d{1,7}$")
_DIGITS = re.compile(r"\D+")


def case_query(text: str, migrants: QuerySet | None = None) -> Q:
    """What the case list's one search box means: a case number, a phone number or a name.

    `migrants`: the migrants the searcher may see; given, a name is matched among them first
    (see MaterializedIds) and the cases are those of the matching migrants.

    Phone numbers are matched in any format: the query is normalised to E.164 when it parses,
    otherwise its last nine digits are matched (a Tajik number typed without +992 still finds
    it; fewer digits find no phone: only the nine-digit tail is indexed, as a keyed hash).
    """
    from cases import phones
    from cases.models import phone_q, phone_tail_q

    text = " ".join(text.split())[:200]
    if not text:
        return Q()
    if _CASE_NUMBER.match(text):
        return Q(number=text.upper())  # numbers are stored upper case: the unique index serves
    digits = _DIGITS.sub("", text)
    looks_numeric = digits and len(digits) >= len(text.replace(" ", "")) * 0.6
    if looks_numeric and len(digits) <= 5:
        # "42" or "00042": the sequence part of a case number in this organisation.
        return Q(number__endswith=f"-{int(digits):05d}")
    if looks_numeric:
        normalised = phones.try_normalise(text)
        if normalised:
            return phone_q(normalised, "migrant__")
        return phone_tail_q(digits, "migrant__")
    if migrants is not None and _trigram_indexable(text):
        matching = migrants.filter(name_filter(text)).values("pk")
        return Q(migrant__in=MaterializedIds(matching))
    return name_filter(text, "migrant__search_names")


def similar_query(text: str, migrants: QuerySet) -> Q | None:
    """Cases of migrants whose names look like `text` — a letter wrong, missing or added
    ("Rustan Nazarof" for Rustam Nazarov) — for when nothing matches exactly.

    PostgreSQL's trigram word similarity between the folded query and the folded names, served
    by the same trigram index. None where it does not apply: a case or phone number, a word of
    fewer than three letters, or a database without pg_trgm (SQLite in development).
    """
    text = " ".join(text.split())[:200]
    if connection.vendor != "postgresql" or not _trigram_indexable(text):
        return None
    if _CASE_NUMBER.match(text) or sum(c.isdigit() for c in text) >= 3:
        return None
    from django.contrib.postgres.lookups import TrigramWordSimilar

    matching = migrants.filter(TrigramWordSimilar(F("search_names"), Value(fold(text))))
    return Q(migrant__in=MaterializedIds(matching.values("pk")))
