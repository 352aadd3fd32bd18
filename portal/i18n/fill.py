"""Fill the portal's empty catalogue entries from the machine seed.

From the project root, after `makemessages` (run inside portal/), then compile:
    cd portal && python ../manage.py makemessages -l ru -l tg -l uz -l ky -l uz_Cyrl --no-location
    cd .. && python -m portal.i18n.fill
    cd portal && python ../manage.py compilemessages
- ru, tg, uz, ky: from portal.i18n.machine (marked for native-speaker review);
- uz_Cyrl: the Uzbek (Latin) entry transliterated to Cyrillic (also marked for review);
- month names: copied from Django's own catalogues (transliterated for uz_Cyrl).
Entries that already have a translation are left alone, so reviewed work survives.
"""

from __future__ import annotations

from pathlib import Path

import django
import polib

from portal.i18n.machine import P, T
from portal.languages import uz_latin_to_cyrillic

LOCALE = Path(__file__).resolve().parent.parent / "locale"
DJANGO_LOCALE = Path(django.__file__).resolve().parent / "conf" / "locale"
REVIEW = "machine translation — needs review by a native speaker"
REVIEW_TRANSLIT = "machine transliteration from Uzbek (Latin) — needs review by a native speaker"
PLURAL_FORMS = {
    "ru": "nplurals=4; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<12 || n%100>14) ? 1 : n%10==0 || (n%10>=5 && n%10<=9) || "
    "(n%100>=11 && n%100<=14)? 2 : 3);",
    "tg": "nplurals=2; plural=(n != 1);",
    "uz": "nplurals=1; plural=0;",
    "uz_Cyrl": "nplurals=1; plural=0;",
    "ky": "nplurals=1; plural=0;",
}


def _django_catalogue(lang: str) -> dict[tuple[str | None, str], str]:
    po = polib.pofile(str(DJANGO_LOCALE / lang / "LC_MESSAGES" / "django.po"))
    return {(e.msgctxt, e.msgid): e.msgstr for e in po if e.msgstr}


def _translate(entry: polib.POEntry, lang: str, django_cat) -> tuple[str | list[str], str] | None:
    source = "uz" if lang == "uz_Cyrl" else lang
    convert = uz_latin_to_cyrillic if lang == "uz_Cyrl" else (lambda s: s)
    note = REVIEW_TRANSLIT if lang == "uz_Cyrl" else REVIEW
    if (entry.msgctxt, entry.msgid) in django_cat:
        return convert(django_cat[(entry.msgctxt, entry.msgid)]), (
            "from Django's own catalogue" + (" (transliterated)" if lang == "uz_Cyrl" else "")
        )
    if entry.msgid_plural:
        forms = P.get(entry.msgid, {}).get(source)
        return ([convert(f) for f in forms], note) if forms else None
    text = T.get(entry.msgid, {}).get(source)
    return (convert(text), note) if text else None


def fill(lang: str) -> list[str]:
    path = LOCALE / lang / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path), wrapwidth=100)
    po.metadata["Language"] = lang
    po.metadata["Plural-Forms"] = PLURAL_FORMS[lang]
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata_is_fuzzy = False
    django_cat = _django_catalogue("uz" if lang == "uz_Cyrl" else lang)
    missing = []
    for entry in po:
        if entry.obsolete or entry.translated():
            continue
        result = _translate(entry, lang, django_cat)
        if result is None:
            missing.append(entry.msgid)
            continue
        value, note = result
        if isinstance(value, list):
            entry.msgstr_plural = dict(enumerate(value))
        else:
            entry.msgstr = value
        entry.tcomment = note
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(str(path))
    return missing


if __name__ == "__main__":
    for code in ("ru", "tg", "uz", "uz_Cyrl", "ky"):
        for msgid in fill(code):
            print(f"{code}: no translation for {msgid!r}")
