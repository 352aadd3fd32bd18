"""The portal says so when a rule or document text is an unchecked translation."""

from __future__ import annotations

from content.models import DocumentTranslation

UNCHECKED_TG = "Ин тарҷумаро ҳоло соҳибзабон тафтиш накардааст."


def test_unreviewed_tajik_texts_carry_the_notice(client, planned_case, issued):
    assert DocumentTranslation.objects.filter(language="tg", needs_review=True).exists()
    body = client.get(issued.path + "?lang=tg", follow=True).content.decode()
    assert UNCHECKED_TG in body


def test_reviewed_and_english_texts_carry_no_notice(client, planned_case, issued):
    body = client.get(issued.path + "?lang=en", follow=True).content.decode()
    assert 'class="unreviewed' not in body
    DocumentTranslation.objects.filter(language="tg").update(needs_review=False)
    planned_case.deadlines.update(rule_key="")  # manual deadlines: the caseworker's own words
    body = client.get(issued.path + "?lang=tg", follow=True).content.decode()
    assert UNCHECKED_TG not in body
