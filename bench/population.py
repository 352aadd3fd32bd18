"""Who the synthetic migrants are: the distributions (each cites shared/domain/FACTS.md), the
names they are given, and a fast weighted choice."""

from __future__ import annotations

import itertools
import random
from bisect import bisect

# --- distributions (each cites FACTS.md) ----------------------------------------------------

# Caseload by citizenship: Tajik, Uzbek, Kyrgyz first (§5.6 "Origin (focus)"); the small
# shares of other CIS countries (§5.6) make the small cells that suppression must hide.
CITIZENSHIP = {"TJ": 48, "UZ": 30, "KG": 18, "KZ": 1, "AZ": 1, "MD": 1, "UA": 1}
# Share of men by citizenship (§5.8): "between 60-90%" for Tajikistan and Uzbekistan,
# "almost half ... from Kyrgyzstan are female".
MALE_SHARE = {"TJ": 0.80, "UZ": 0.78, "KG": 0.52}
MALE_SHARE_OTHER = 0.70
# Problem types (§1, the P01..P10 codes mapped onto Case.ProblemType): unpaid wages dominate
# NGO complaints (P01: "90% of complaints" at Tajikistan Fund; weighted down for a general NGO).
PROBLEMS = {
    "unpaid_wages": 25,
    "registration": 18,
    "patent": 14,
    "documents_confiscated": 13,
    "reentry_ban": 10,
    "detention": 9,
    "other": 6,
    "trafficking": 5,
}
# Regions of stay (§5.7): Central Federal District "nearly 43 per cent" (Moscow + oblast), then
# the cities named: St Petersburg, Yekaterinburg, Samara, Astrakhan, Siberia, the Far East.
REGIONS = {
    "Moscow": 30,
    "Moscow Oblast": 13,
    "Saint Petersburg": 15,
    "Leningrad Oblast": 4,
    "Sverdlovsk Oblast": 10,
    "Samara Oblast": 5,
    "Astrakhan Oblast": 3,
    "Krasnoyarsk Krai": 5,
    "Novosibirsk Oblast": 5,
    "Sakhalin Oblast": 2,
    "Chelyabinsk Oblast": 4,
    "Tatarstan": 4,
}
# Sectors (§5.9): construction "over 40 per cent"; shuttle trade/stores; street sweepers and
# cleaning; drivers 6%; agriculture 6%; oil and gas 6%.
SECTORS = {
    "construction": 41,
    "trade": 15,
    "services": 12,
    "housing": 8,
    "transport": 8,
    "agriculture": 6,
    "industry": 6,
    "domestic": 3,
    "other": 1,
}
# Table 4.2 (§5.2), as printed (sums to 99.8; drawn proportionally).
MIGRATION_CARD = {"valid": 54.3, "expired": 10.2, "forged": 31.7, "lost": 1.6, "never": 2.0}
# Table 4.3 (§5.3), as printed (sums to 102.8; one reason per migrant, drawn proportionally).
REGISTRATION_OBSTACLE = {
    "not_aware": 11.6,
    "did_not_know_how": 22.0,
    "employer_refused": 8.8,
    "landlord_refused": 6.6,
    "no_valid_card": 14.8,
    "agency_not_found": 39.0,
}
# §5.5: "about 900 thousand out of 1.3 million Tajik migrants were registered" (70%). The
# unregistered are asked Table 4.3's question, as are all registration-problem cases.
UNREGISTERED_SHARE = 0.30
OUTCOMES = {
    "resolved": 45,
    "partly_resolved": 20,
    "referred": 13,
    "not_resolved": 12,
    "lost_contact": 10,
}
CHANNELS = {"sms": 60, "telegram": 30, "email": 10}
DELIVERY_FAILURE = 0.08
LANGUAGE = {"TJ": "tg", "UZ": "uz", "KG": "ky"}
PHONE_PREFIX = {"TJ": "+99293", "UZ": "+99890", "KG": "+99655"}
PASSPORT_PREFIX = {"TJ": "A", "UZ": "AA", "KG": "AC"}
DOCUMENTS = ["passport", "migration_card", "registration_slip", "patent", "labour_contract"]
EMPLOYERS = ["OOO StroyMontazh", "OOO Fruktovy Ryad", "IP Ivanov", "OOO ChistyGorod"]

# Given names (Latin spellings as in passports, with common variants) and Cyrillic forms.
# Surnames take -ov/-ova, -ev/-eva (§ names in both scripts; spellings as in seed_demo).
GIVEN = {
    ("TJ", "male"): [
        (("Rustam",), "Рустам"),
        (("Jamshed", "Dzhamshed", "Djamshed"), "Джамшед"),
        (("Khurshed", "Hurshed"), "Хуршед"),
        (("Shokhrukh", "Shohruh"), "Шохрух"),
        (("Firdavs",), "Фирдавс"),
        (("Suhrob", "Sukhrob"), "Сухроб"),
        (("Parviz",), "Парвиз"),
        (("Umed",), "Умед"),
    ],
    ("TJ", "female"): [
        (("Zarina",), "Зарина"),
        (("Manizha", "Manija"), "Манижа"),
        (("Dilnoza",), "Дилноза"),
        (("Nigina",), "Нигина"),
    ],
    ("UZ", "male"): [
        (("Sherzod",), "Шерзод"),
        (("Dilshod",), "Дилшод"),
        (("Jasur", "Zhasur"), "Жасур"),
        (("Otabek",), "Отабек"),
        (("Sanjar", "Sanzhar"), "Санжар"),
        (("Akmal",), "Акмал"),
    ],
    ("UZ", "female"): [
        (("Gulnora", "Gulnara"), "Гулнора"),
        (("Nodira",), "Нодира"),
        (("Malika",), "Малика"),
    ],
    ("KG", "male"): [
        (("Aibek", "Aybek"), "Айбек"),
        (("Nurlan",), "Нурлан"),
        (("Bakyt", "Bakit"), "Бакыт"),
        (("Azamat",), "Азамат"),
    ],
    ("KG", "female"): [
        (("Aizhan", "Aijan", "Ayzhan"), "Айжан"),
        (("Cholpon",), "Чолпон"),
        (("Gulzat",), "Гулзат"),
        (("Aigerim",), "Айгерим"),
    ],
}
SURNAME_STEMS = {
    "TJ": [
        (("Nazar",), "Назар"),
        (("Rahim", "Rakhim"), "Рахим"),
        (("Karim",), "Карим"),
        (("Davlat",), "Давлат"),
        (("Sharip", "Sharif"), "Шарип"),
        (("Kurbon", "Qurbon"), "Курбон"),
        (("Mirzo",), "Мирзо"),
        (("Safar",), "Сафар"),
    ],
    "UZ": [
        (("Toshmat",), "Тошмат"),
        (("Yusup", "Yusuf"), "Юсуп"),
        (("Ismoil", "Ismail"), "Исмоил"),
        (("Nemat", "Nematov"), "Немат"),
        (("Ergash",), "Эргаш"),
        (("Xasan", "Khasan", "Hasan"), "Хасан"),
    ],
    "KG": [
        (("Toktogul",), "Токтогул"),
        (("Mamat",), "Мамат"),
        (("Asan",), "Асан"),
        (("Sydyk",), "Сыдык"),
        (("Osmon",), "Осмон"),
        (("Zhumabai", "Jumabai"), "Жумабай"),
    ],
}


class Picker:
    """Weighted choice with precomputed cumulative weights (fast for millions of draws)."""

    def __init__(self, weights: dict):
        self.values = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random):
        return self.values[bisect(self.cumulative, rng.random() * self.total)]


PICK = {
    "citizenship": Picker(CITIZENSHIP),
    "problem": Picker(PROBLEMS),
    "region": Picker(REGIONS),
    "sector": Picker(SECTORS),
    "card": Picker(MIGRATION_CARD),
    "obstacle": Picker(REGISTRATION_OBSTACLE),
    "outcome": Picker(OUTCOMES),
    "channel": Picker(CHANNELS),
}


def person_name(rng: random.Random, citizenship: str, gender: str) -> tuple[str, str]:
    group = citizenship if citizenship in SURNAME_STEMS else "TJ"
    sex = "female" if gender == "female" else "male"
    given_latin, given_cyr = rng.choice(GIVEN[(group, sex)])
    stem_latin, stem_cyr = rng.choice(SURNAME_STEMS[group])
    latin_stem = rng.choice(stem_latin)
    ending_latin = "" if latin_stem.endswith("ov") else ("ova" if sex == "female" else "ov")
    ending_cyr = "ова" if sex == "female" else "ов"
    latin = f"{rng.choice(given_latin)} {latin_stem}{ending_latin}"
    return latin, f"{given_cyr} {stem_cyr}{ending_cyr}"
