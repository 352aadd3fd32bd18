"""Every shipped rule cites an act (kind, number, date, article) in force from the act's date,
and nothing shown to a reader carries a research note's id or file name."""

from __future__ import annotations

import re
from datetime import date

import pytest

from content import citations, rulesdata

SHIPPED = rulesdata.read_dir()
ENTRIES = [
    (section, entry)
    for section in ("documents", "rules", "deadlines")
    for entry in SHIPPED[section]
]
# Research-note ids ("CURRENT_LAW REG-02", "PAT-07", "DR-11", "R15") and seed file names
# ("002_7d9f1d547931b5c5.txt §…").
INTERNAL = re.compile(r"CURRENT_LAW|\b[A-Z]{2,5}-\d{2}\b|\bR\d+\b|\.txt|§|\b\d{3}_[0-9a-f]{8,}")
PLACEHOLDER_STARTS = {date(2000, 1, 1), date(1996, 8, 15)}


def _name(section: str, entry: dict) -> str:
    return f"{section} {entry.get('key') or entry.get('code')} {entry.get('from', '')}"


@pytest.mark.parametrize(("section", "entry"), ENTRIES, ids=lambda v: str(v)[:40])
def test_shipped_entry_cites_an_act_with_article(section, entry):
    assert citations.errors(entry.get("cite")) == [], _name(section, entry)
    for one in entry["cite"]:
        assert one["act"] in citations.ACTS and str(one["article"]).strip()
        if one["act"] not in citations.CODES:
            assert isinstance(one["date"], date), _name(section, entry)


def test_no_shown_source_carries_an_internal_id_or_file_name():
    shown = [
        (name, language, citations.render(entry.get("cite"), language))
        for section, entry in ENTRIES
        for name in [_name(section, entry)]
        for language in citations.LANGUAGES
    ]
    shown += [(_name(s, e), "source", rulesdata.source_text(e)) for s, e in ENTRIES]
    shown += [
        (group["code"], member["country"], member.get("source", ""))
        for group in SHIPPED["groups"]
        for member in group.get("members") or []
    ]
    leaks = [(name, where, text) for name, where, text in shown if INTERNAL.search(text)]
    assert leaks == []
    assert all(text for _name, _where, text in shown)


def test_rules_start_on_a_real_date_not_a_placeholder():
    placeholders = [
        _name(section, entry)
        for section, entry in ENTRIES
        if section != "documents" and entry["from"] in PLACEHOLDER_STARTS
    ]
    assert placeholders == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("tg", "Қонуни федералии № 115-ФЗ, моддаи 20, банди 3 (аз 25.07.2002)"),
        ("ru", "Федеральный закон № 115-ФЗ, ст. 20, п. 3 (от 25.07.2002)"),
        ("uz", "115-FZ-son Federal qonun, 20-modda, 3-band (25.07.2002 yil)"),
        ("ky", "№ 115-ФЗ Федералдык мыйзам, 20-берене, 3-пункт (25.07.2002 ж.)"),
        ("en", "Federal Law No. 115-FZ, art. 20, p. 3 (of 25.07.2002)"),
    ],
)
def test_a_citation_reads_naturally_in_each_language(language, expected):
    cite = [{"act": "federal_law", "number": "115-ФЗ", "date": date(2002, 7, 25),
             "article": "20", "point": "3"}]  # fmt: skip
    assert citations.render(cite, language) == expected


def test_codes_need_no_number_and_treaties_their_title():
    assert citations.render([{"act": "labour_code", "article": "392", "part": "2"}], "tg") == (
        "Кодекси меҳнати ФР, моддаи 392, қисми 2"
    )
    assert citations.errors([{"act": "treaty", "article": "97", "date": "2014-05-29"}]) == [
        "cite 1: a treaty needs a title in en, ru, tg, uz, ky"
    ]
    assert citations.errors([{"act": "federal_law", "article": "5", "date": "2002-07-25"}]) == [
        "cite 1: a federal_law needs its number"
    ]
