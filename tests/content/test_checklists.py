"""The checklists a practising NGO lawyer asks for (issue #17): each item is in the shipped
rules with its legal basis, and its texts exist in all five languages, carrying the English
text's numbers and articles."""

from __future__ import annotations

import re
from datetime import date

import pytest

from content import citations, engine, rulesdata
from content.engine import Facts

DATA = rulesdata.read_dir()
RULESET = rulesdata.to_ruleset(DATA)
DOCUMENTS = {d["code"]: d for d in DATA["documents"]}
RULES = {r["key"]: r for r in DATA["rules"]}

# (rule key, document code, the act kind and article the item rests on)
EXPECTED = [
    ("wages.payment_proof", "wage_payment_proof", "labour_code", "136"),
    ("wages.witnesses", "witness_contacts", "civil_procedure_code", "55"),
    ("wages.employer_details", "employer_details", "civil_procedure_code", "131"),
    ("wages.prosecutor", "prosecutor_complaint", "law", "10"),
    ("wages.court_claim", "wage_court_claim", "labour_code", "392"),
    ("wages.recognition_claim", "employment_recognition_claim", "labour_code", "19.1"),
    ("wages.criminal_complaint", "wage_criminal_complaint", "criminal_code", "145.1"),
    ("wages.no_patent_note", "wage_claim_without_patent", "labour_code", "11"),
    ("passport.return_demand", "passport_return_demand", "civil_code", "301"),
    ("ban.exit_duty", "exit_duty", "federal_law", "31"),
    ("ban.lift_application", "ban_lift_application", "administrative_procedure_code", "218"),
    ("ban.fsb_check", "fsb_ban_check", "federal_law", "27"),
    ("registration.notice_copy", "arrival_notice_copy", "federal_law", "22"),
    ("registration.rental_contract", "rental_contract", "federal_law", "22"),
    ("registration.reregister_on_move", "reregistration_on_move", "federal_law", "20"),
    ("registration.extension_patent", "registration_extension_patent", "federal_law", "5"),
    ("patent.employer_notice", "employer_notice_check", "federal_law", "13"),
    ("patent.regional_bans", "regional_job_bans_check", "federal_law", "18.1"),
    ("patent.exam_exemption", "exam_exemption_check", "federal_law", "15.1"),
    ("trafficking.hotline", "trafficking_hotline", "criminal_code", "127.1"),
    ("trafficking.consulate", "consulate_contact", "treaty", "5"),
    ("trafficking.medical_help", "emergency_medical_help", "government_decree", "1"),
    ("trafficking.crime_report", "trafficking_crime_report", "criminal_code", "127.2"),
    ("detention.expulsion_appeal", "expulsion_order_appeal", "koap", "30.3"),
    ("detention.interpreter_lawyer", "interpreter_and_lawyer", "koap", "25.10"),
    ("detention.consular_notice", "consular_notification", "treaty", "36"),
    ("detention.self_exit", "controlled_self_exit", "koap", "32.10"),
    ("identity.id_card_kz_kg", "national_id_card", "treaty", "1"),
    ("patent.ukraine_decree_585", "ukraine_decree_585_check", "presidential_decree", "1"),
    ("patent.moldova_decree_520", "moldova_decree_520", "presidential_decree", "1"),
]
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _numbers(text: str) -> set[str]:
    return set(NUMBER.findall(text))


@pytest.mark.parametrize(("key", "code", "act", "article"), EXPECTED)
def test_item_exists_with_its_legal_basis(key, code, act, article):
    rule, document = RULES[key], DOCUMENTS[code]
    assert rule["document"] == code
    assert citations.errors(rule["cite"]) == [] and citations.errors(document["cite"]) == []
    assert (act, article) in {(c["act"], str(c["article"])) for c in rule["cite"]}


@pytest.mark.parametrize("code", sorted({code for _key, code, _act, _art in EXPECTED}))
def test_item_texts_in_every_language_carry_the_english_numbers(code):
    texts = DOCUMENTS[code]["texts"]
    english = texts["en"]
    for language in rulesdata.LANGUAGES:
        text = texts[language]
        for field in ("name", "description", "how_to_obtain"):
            assert text.get(field), f"{code} {language} {field}"
        for field in rulesdata.DOCUMENT_TEXT_FIELDS:
            missing = _numbers(english.get(field) or "") - _numbers(text.get(field) or "")
            assert not missing, f"{code} {language} {field} lacks {missing}"


def _codes(citizenship: str, problem: str, arrival: date) -> list[str]:
    facts = Facts(problem_type=problem, citizenship=citizenship, arrival_date=arrival)
    return [item.document_code for item in engine.plan(facts, RULESET, on=arrival).items]


def test_kazakh_and_kyrgyz_citizens_may_show_their_id_card():
    for citizenship in ("KZ", "KG"):
        codes = _codes(citizenship, "registration", date(2026, 11, 20))
        assert "national_id_card" in codes and "passport_foreign" not in codes
    assert "passport_foreign" in _codes("TJ", "registration", date(2026, 11, 20))


def test_moldova_decree_520_only_for_entries_from_october_2025_to_january_2026():
    assert "moldova_decree_520" in _codes("MD", "patent", date(2025, 11, 1))
    assert "moldova_decree_520" not in _codes("MD", "patent", date(2026, 2, 1))
    assert "moldova_decree_520" not in _codes("AZ", "patent", date(2025, 11, 1))


def test_ukrainians_keep_the_patent_items_while_decree_585_is_checked():
    codes = _codes("UA", "patent", date(2026, 11, 20))
    assert "ukraine_decree_585_check" in codes and "patent" in codes
    assert str(RULES["patent.ukraine_decree_585"]["provenance"]).startswith("REVIEW:")


def test_a_detained_migrant_gets_appeal_interpreter_consulate_and_self_exit():
    codes = _codes("UZ", "detention", date(2026, 11, 20))
    for code in ("expulsion_order_appeal", "interpreter_and_lawyer", "consular_notification"):
        assert code in codes
    assert "controlled_self_exit" in codes
