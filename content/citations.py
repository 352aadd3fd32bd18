"""Legal citations as data, rendered in the reader's language.

A rule's `cite` is a list of mappings, one per act it rests on:

    {act: federal_law, number: 115-ФЗ, date: 2002-07-25, article: "13.3", point: "5",
     url: https://www.consultant.ru/document/cons_doc_LAW_37868/}

`act` names the kind of act (ACTS below); codes (Labour Code, KoAP, ...) need no number or date,
treaties carry their own `title` in every language. Pure: no Django, so the data checker and the
engine's neighbours can use it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

LANGUAGES = ("en", "ru", "tg", "uz", "ky")

# How each kind of act is named. "{number}" and "{date}" are filled in; an act without them is
# a code, named by its title alone.
ACTS: dict[str, dict[str, str]] = {
    "federal_law": {
        "en": "Federal Law No. {number}",
        "ru": "Федеральный закон № {number}",
        "tg": "Қонуни федералии № {number}",
        "uz": "{number}-son Federal qonun",
        "ky": "№ {number} Федералдык мыйзам",
    },
    "government_decree": {
        "en": "Government Decree No. {number}",
        "ru": "Постановление Правительства РФ № {number}",
        "tg": "Қарори Ҳукумати ФР № {number}",
        "uz": "RF Hukumatining {number}-son qarori",
        "ky": "РФ Өкмөтүнүн № {number} токтому",
    },
    "presidential_decree": {
        "en": "Presidential Decree No. {number}",
        "ru": "Указ Президента РФ № {number}",
        "tg": "Фармони Президенти ФР № {number}",
        "uz": "RF Prezidentining {number}-son farmoni",
        "ky": "РФ Президентинин № {number} Жарлыгы",
    },
    "mvd_order": {
        "en": "Order of the Ministry of Internal Affairs No. {number}",
        "ru": "Приказ МВД России № {number}",
        "tg": "Фармоиши ВКД-и Русия № {number}",
        "uz": "Rossiya IIVning {number}-son buyrugʻi",
        "ky": "Россиянын ИИМинин № {number} буйругу",
    },
    "labour_code": {
        "en": "Labour Code of the Russian Federation",
        "ru": "Трудовой кодекс РФ",
        "tg": "Кодекси меҳнати ФР",
        "uz": "RF Mehnat kodeksi",
        "ky": "РФ Эмгек кодекси",
    },
    "koap": {
        "en": "Code of Administrative Offences of the Russian Federation",
        "ru": "Кодекс РФ об административных правонарушениях",
        "tg": "Кодекси ФР дар бораи ҳуқуқвайронкуниҳои маъмурӣ",
        "uz": "RF Maʼmuriy huquqbuzarliklar toʻgʻrisidagi kodeksi",
        "ky": "РФ Административдик укук бузуулар жөнүндө кодекси",
    },
    "criminal_code": {
        "en": "Criminal Code of the Russian Federation",
        "ru": "Уголовный кодекс РФ",
        "tg": "Кодекси ҷиноятии ФР",
        "uz": "RF Jinoyat kodeksi",
        "ky": "РФ Кылмыш-жаза кодекси",
    },
    "tax_code": {
        "en": "Tax Code of the Russian Federation",
        "ru": "Налоговый кодекс РФ",
        "tg": "Кодекси андози ФР",
        "uz": "RF Soliq kodeksi",
        "ky": "РФ Салык кодекси",
    },
    "administrative_procedure_code": {
        "en": "Code of Administrative Procedure of the Russian Federation",
        "ru": "Кодекс административного судопроизводства РФ",
        "tg": "Кодекси мурофиаи судии маъмурии ФР",
        "uz": "RF Maʼmuriy sud ishlarini yuritish kodeksi",
        "ky": "РФ Административдик сот өндүрүшү кодекси",
    },
    "civil_procedure_code": {
        "en": "Code of Civil Procedure of the Russian Federation",
        "ru": "Гражданский процессуальный кодекс РФ",
        "tg": "Кодекси мурофиавии граждании ФР",
        "uz": "RF Fuqarolik protsessual kodeksi",
        "ky": "РФ Жарандык процесстик кодекси",
    },
    "civil_code": {
        "en": "Civil Code of the Russian Federation",
        "ru": "Гражданский кодекс РФ",
        "tg": "Кодекси граждании ФР",
        "uz": "RF Fuqarolik kodeksi",
        "ky": "РФ Жарандык кодекси",
    },
    "criminal_procedure_code": {
        "en": "Code of Criminal Procedure of the Russian Federation",
        "ru": "Уголовно-процессуальный кодекс РФ",
        "tg": "Кодекси мурофиавии ҷиноятии ФР",
        "uz": "RF Jinoyat-protsessual kodeksi",
        "ky": "РФ Кылмыш-жаза процесстик кодекси",
    },
    # A law of 1992 and the like: numbered, but not a "federal law" by name.
    "law": {
        "en": "Law of the Russian Federation No. {number}",
        "ru": "Закон РФ № {number}",
        "tg": "Қонуни ФР № {number}",
        "uz": "RFning {number}-son qonuni",
        "ky": "РФтин № {number} Мыйзамы",
    },
    # A treaty is named by its own `title` in every language (cite's `title` mapping).
    "treaty": {language: "{title}" for language in LANGUAGES},
}
CODES = {act for act, names in ACTS.items() if "{" not in names["en"]}

# "art. 20, part 3, p. 3" in each language; Uzbek and Kyrgyz put the number first.
UNITS: dict[str, dict[str, str]] = {
    "article": {
        "en": "art. {}", "ru": "ст. {}", "tg": "моддаи {}", "uz": "{}-modda", "ky": "{}-берене"
    },
    "part": {"en": "part {}", "ru": "ч. {}", "tg": "қисми {}", "uz": "{}-qism", "ky": "{}-бөлүк"},
    "point": {"en": "p. {}", "ru": "п. {}", "tg": "банди {}", "uz": "{}-band", "ky": "{}-пункт"},
    "subpoint": {
        "en": "subp. {}", "ru": "пп. {}", "tg": "зербанди {}", "uz": "{}-kichik band",
        "ky": "{}-пунктча",
    },
}  # fmt: skip
DATED = {"en": "of {}", "ru": "от {}", "tg": "аз {}", "uz": "{} yil", "ky": "{} ж."}
FIELDS = {"act", "number", "date", "title", "article", "part", "point", "subpoint", "url"}
# Latin-script readers get "115-FZ", not "115-ФЗ".
_LATIN_NUMBER = str.maketrans({"Ф": "F", "З": "Z", "К": "K", "П": "P"})


def errors(cite: Any) -> list[str]:
    """What is wrong with a rule's `cite` list (empty if every citation is complete)."""
    if not isinstance(cite, list) or not cite:
        return ["a citation (cite: [{act: ..., article: ...}]) is required"]
    problems = []
    for index, one in enumerate(cite, start=1):
        if not isinstance(one, dict):
            problems.append(f"cite {index}: must be a mapping")
            continue
        act = one.get("act")
        if act not in ACTS:
            problems.append(f"cite {index}: act must be one of {sorted(ACTS)}")
            continue
        if unknown := set(one) - FIELDS:
            problems.append(f"cite {index}: unknown fields {sorted(unknown)}")
        if not str(one.get("article") or "").strip():
            problems.append(f"cite {index}: an article is required")
        if act not in CODES and act != "treaty" and not str(one.get("number") or "").strip():
            problems.append(f"cite {index}: a {act} needs its number")
        if (act not in CODES or one.get("date")) and not _is_day(one.get("date")):
            problems.append(f"cite {index}: a {act} needs its date (YYYY-MM-DD)")
        title = one.get("title")
        if act == "treaty" and not (
            isinstance(title, dict) and all(title.get(language) for language in LANGUAGES)
        ):
            problems.append(f"cite {index}: a treaty needs a title in {', '.join(LANGUAGES)}")
        if one.get("url") and not str(one["url"]).startswith(("https://", "http://")):
            problems.append(f"cite {index}: url must be a web address")
    return problems


def _is_day(value: Any) -> bool:
    if isinstance(value, date):
        return True
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _day(value: Any) -> str:
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return day.strftime("%d.%m.%Y")


def render_one(one: dict, language: str) -> str:
    """One citation in one language: "Қонуни федералии № 115-ФЗ, моддаи 20, банди 3 (аз …)"."""
    language = language if language in LANGUAGES else "en"
    number = str(one.get("number") or "")
    if language in ("en", "uz"):
        number = number.translate(_LATIN_NUMBER)
    title = (one.get("title") or {}).get(language, "") if isinstance(one.get("title"), dict) else ""
    parts = [ACTS[one["act"]][language].format(number=number, title=title)]
    for unit in ("article", "part", "point", "subpoint"):
        if one.get(unit):
            parts.append(UNITS[unit][language].format(one[unit]))
    text = ", ".join(parts)
    if one.get("date") and one["act"] != "treaty":
        text += f" ({DATED[language].format(_day(one['date']))})"
    return text


def render(cite: list[dict] | None, language: str) -> str:
    """Every citation of a rule, joined; empty when the rule has none."""
    return "; ".join(render_one(one, language) for one in cite or ())


def as_json(cite: list[dict] | None) -> list[dict]:
    """The citations as stored in the database (dates as ISO strings)."""
    return [
        {k: (v.isoformat() if isinstance(v, date) else v) for k, v in one.items()}
        for one in cite or ()
    ]
