"""Uzbek in Cyrillic script: the converter on hard words, and no known error in shipped text."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
import yaml

from portal.languages import normalise_uz_latin, uz_latin_to_cyrillic

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "content" / "rules"
CATALOGUE = str(ROOT / "portal" / "locale" / "{}" / "LC_MESSAGES" / "django.po")

HARD_WORDS = [
    # oʻ / gʻ, with either sign a writer may type
    ("oʻzbek", "ўзбек"),
    ("Oʻzbekiston", "Ўзбекистон"),
    ("gʻalla", "ғалла"),
    ("soʻrang", "сўранг"),
    ("toʻlov", "тўлов"),
    ("roʻyxatdan oʻtish", "рўйхатдан ўтиш"),
    ("sugʻurta", "суғурта"),
    ("qoʻngʻiroq", "қўнғироқ"),
    ("bogʻliq", "боғлиқ"),
    ("o'z", "ўз"),
    # y + oʻ is й + ў, never ё + ъ
    ("yoʻq", "йўқ"),
    ("Yoʻq", "Йўқ"),
    ("yoʻqotsangiz", "йўқотсангиз"),
    ("yoʻqolgan", "йўқолган"),
    ("yoʻnaltirish", "йўналтириш"),
    ("yoʻl", "йўл"),
    # yo / yu / ya / ye
    ("yordam", "ёрдам"),
    ("yurak", "юрак"),
    ("yangi", "янги"),
    ("kelyapti", "келяпти"),
    ("Rossiya", "Россия"),
    ("Rossiyaga", "Россияга"),
    ("yetarli", "етарли"),
    ("qayerda", "қаерда"),
    ("reyestrga", "реестрга"),
    ("poyezd", "поезд"),
    ("qiyin", "қийин"),
    # e at the start of a word is э
    ("ekran", "экран"),
    ("eski", "эски"),
    ("elchixona", "элчихона"),
    ("bilet", "билет"),
    # tutuq belgisi
    ("maʼlumot", "маълумот"),
    ("vaʼda", "ваъда"),
    ("eʼtiroz", "эътироз"),
    ("qatʼiy", "қатъий"),
    # ts is ц in Russian loanwords, ts elsewhere
    ("migratsiya", "миграция"),
    ("politsiya", "полиция"),
    ("kompensatsiya", "компенсация"),
    ("deportatsiya", "депортация"),
    ("registratsiya", "регистрация"),
    ("operatsiya", "операция"),
    ("Federatsiyasi", "Федерацияси"),
    ("protsent", "процент"),
    ("mehnat inspeksiyasiga", "меҳнат инспекциясига"),
    ("infeksion", "инфекцион"),
    ("aksiya", "акция"),
    ("keksa", "кекса"),
    ("ketsa", "кетса"),
    ("aytsangiz", "айтсангиз"),
    ("yoʻqotsa", "йўқотса"),
    # month names keep the Russian spelling; ь only at the end of the word
    ("sentabr", "сентябрь"),
    ("oktabr", "октябрь"),
    ("noyabr", "ноябрь"),
    ("dekabr", "декабрь"),
    ("yanvar", "январь"),
    ("fevral", "февраль"),
    ("aprel", "апрель"),
    ("iyun", "июнь"),
    ("iyul", "июль"),
    ("31-dekabrgacha", "31-декабргача"),
    ("1-sentabrdan", "1-сентябрдан"),
    # International Latin acronyms and placeholders pass through; Russian offices'
    # abbreviations follow the script, as the Cyrillic page must be Cyrillic throughout.
    ("QR-kod", "QR-код"),
    ("RuID", "RuID"),
    ("SMS xabar", "SMS хабар"),
    ("PIN-kod", "ПИН-код"),
    ("Rossiya IIV (MVD)", "Россия ИИВ (МВД)"),
    ("FSB", "ФСБ"),
    ("MFCga", "МФЦга"),
    ("RKL", "РКЛ"),
    ("%(days)s kun qoldi", "%(days)s кун қолди"),
    ("<b>shartnoma</b>", "<b>шартнома</b>"),
    # sh / ch
    ("shartnoma", "шартнома"),
    ("chet el", "чет эл"),
    ("ishchi", "ишчи"),
    ("patent", "патент"),
    ("kuryerlik", "курьерлик"),  # a loanword keeps its soft sign
]

# The converter's known errors (issue #18) and their kin.
ERRORS = re.compile(
    r"ёъ|тсия|тсион|ҚР-|РуИД|СМС|сентабр|октабр|ноабр|курйер|рейестр|инспексия|қайерда",
    re.IGNORECASE,
)


def test_the_hard_words_set_is_large_enough():
    assert len(HARD_WORDS) >= 50


@pytest.mark.parametrize(("latin", "cyrillic"), HARD_WORDS)
def test_hard_words(latin, cyrillic):
    assert uz_latin_to_cyrillic(latin) == cyrillic


def _rule_texts(language: str) -> list[str]:
    """Every string under texts.<language> in the rules data."""
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

    for path in sorted(RULES.glob("*.yaml")):
        walk(yaml.safe_load(path.read_text()), False)
    return found


def _catalogue_texts(folder: str) -> list[str]:
    texts = []
    for entry in polib.pofile(CATALOGUE.format(folder)):
        texts += [entry.msgstr, *entry.msgstr_plural.values()]
    return [t for t in texts if t]


def test_no_known_error_in_shipped_uzbek_cyrillic():
    # The catalogue is authored; rule texts are converted from Uzbek Latin when shown.
    shipped = _catalogue_texts("uz_Cyrl") + [uz_latin_to_cyrillic(t) for t in _rule_texts("uz")]
    assert len(shipped) > 150
    bad = [text for text in shipped if ERRORS.search(text)]
    assert not bad, "\n".join(bad)


def test_uzbek_cyrillic_catalogue_has_no_latin_words_left():
    # Only the acronyms a Cyrillic text keeps in Latin (QR, SMS, RuID), placeholders and markup.
    latin_word = re.compile(r"\b(?![A-Z]{2,}\b|RuID\b)[A-Za-z]{2,}")
    texts = [re.sub(r"%\(\w+\)s|<[^>]*>", "", t) for t in _catalogue_texts("uz_Cyrl")]
    assert not [t for t in texts if latin_word.search(t)]


def test_uzbek_latin_uses_okina_and_tutuq_never_ascii_quotes():
    texts = _catalogue_texts("uz") + _rule_texts("uz")
    wrong = [t for t in texts if re.search(r"(?<=[^\W\d_])['‘’`]", t)]
    assert not wrong, "\n".join(wrong)
    assert all(normalise_uz_latin(t) == t for t in texts)
    assert any("oʻ" in t for t in texts) and any("ʼ" in t for t in texts)
