"""Every migrant-facing translation carries its source's numbers, dates and glossary terms, and is
not a shortened retelling (portal/translation_check.py)."""

from __future__ import annotations

from portal import translation_check
from portal.translation_check import Text


def _problems(source: str, translation: str, language: str = "tg") -> list[str]:
    text = Text("test", source, language, source, translation)
    return translation_check.problems(text, translation_check._load_glossary())


def test_every_catalogue_translation_carries_its_source():
    texts = list(translation_check.catalogue_texts())
    languages = {text.language for text in texts}
    assert {"tg", "uz", "uz_Cyrl", "ky"} <= languages
    failures = translation_check.check(texts)
    assert not failures, "\n".join(map(str, failures))


def test_the_reminder_messages_are_among_the_checked_texts():
    sources = {text.source for text in translation_check.catalogue_texts()}
    assert any("Open your list" in source for source in sources)


def test_every_rule_text_carries_its_source():
    failures = translation_check.check(translation_check.rule_texts())
    assert not failures, "\n".join(map(str, failures))


def test_rule_texts_are_found_in_every_checked_language():
    languages = {text.language for text in translation_check.rule_texts()}
    assert languages == {"tg", "uz", "uz_Cyrl", "ky"}


def test_a_dropped_number_a_month_and_a_term_are_caught():
    source = "Send the contract to the MVD within 2 months, by 1 March 2026."
    found = _problems(source, "Шартномаро ба ВКД-и Русия фиристед.")
    assert any("numbers missing: 1, 2, 2026" in p for p in found)
    assert any("'march'" in p for p in found)
    assert any("'mvd'" in p for p in found)
    assert any(p.startswith("length") for p in found)


def test_a_faithful_translation_passes():
    source = "Send the contract to the MVD within 2 months, by 1 March 2026."
    translation = "Шартномаро дар давоми 2 моҳ, то 1 марти соли 2026 ба ВКД-и Русия (МВД) фиристед."
    assert _problems(source, translation) == []


def test_an_inflected_glossary_term_counts_as_the_term():
    source = "Set by your country's consulate"
    assert _problems(source, "Консулгарии кишвари шумо муайян мекунад") == []
    assert _problems(source, "Davlatingiz konsulligi belgilaydi", "uz") == []
    embassy = "Сафорати кишвари шумо муайян мекунад"
    assert any("'consulate'" in p for p in _problems(source, embassy))


def test_may_the_verb_is_not_the_month():
    assert _problems("You may ask for a copy.", "Шумо метавонед нусха талаб кунед.") == []


def test_a_reviewed_exception_waives_only_the_length():
    failures = translation_check.check([Text("test", "Language", "tg", "Language", "Забон")])
    assert failures == []
    short = Text("test", "Language", "ky", "Language 2", "Тил")
    assert [p for f in translation_check.check([short]) for p in f.problems] == [
        "numbers missing: 2",
        "length 3/10 (< 75%)",
    ]
