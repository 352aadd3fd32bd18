"""Translation review: who may edit catalogues in the browser, and how a review is recorded."""

from __future__ import annotations

from datetime import date

import polib
import pytest
from django.contrib.auth.models import Group
from rosetta.signals import entry_changed

from portal import review
from tests.security.conftest import make_user, verified_login


@pytest.fixture
def translator(django_user_model):
    user = make_user(django_user_model, "dilnoza", first_name="Dilnoza", last_name="Karimova")
    user.groups.add(Group.objects.get_or_create(name=review.TRANSLATORS_GROUP)[0])
    return user


def _entry(**extra) -> polib.POEntry:
    return polib.POEntry(
        msgid="Open your list",
        msgstr="Roʻyxatingizni oching",
        tcomment="machine translation — needs review by a native speaker",
        **extra,
    )


def test_saving_an_entry_records_who_reviewed_it_and_when():
    entry = _entry()
    assert not review.is_reviewed(entry)
    review.record_review(entry, who="Dilnoza Karimova", on=date(2026, 12, 3))
    assert entry.tcomment == "reviewed by Dilnoza Karimova on 2026-12-03"
    assert review.is_reviewed(entry)


def test_an_entry_left_fuzzy_stays_awaiting_review():
    entry = _entry(flags=["fuzzy"])
    review.record_review(entry, who="Dilnoza Karimova", on=date(2026, 12, 3))
    assert not review.is_reviewed(entry)
    assert entry.tcomment.startswith("needs review")


@pytest.mark.django_db
def test_rosettas_save_signal_stamps_the_translators_name(translator):
    entry = _entry()
    entry_changed.send(
        sender=entry,
        user=translator,
        old_msgstr="",
        old_fuzzy=False,
        pofile="portal/locale/uz/LC_MESSAGES/django.po",
        language_code="uz",
    )
    assert entry.tcomment.startswith("reviewed by Dilnoza Karimova on ")


@pytest.mark.django_db
def test_only_verified_translators_reach_the_editor_and_the_review_page(
    client, translator, django_user_model
):
    assert client.get("/translate/").status_code == 302  # to the login page
    client.force_login(translator)  # no second factor yet
    assert client.get("/translate/review/").status_code == 403
    verified_login(client, translator)
    files = client.get("/translate/", follow=True)
    assert files.status_code == 200
    assert "portal/locale/uz_Cyrl" in files.content.decode() or "uz_Cyrl" in files.content.decode()
    page = client.get("/translate/review/")
    assert page.status_code == 200
    assert "interface texts await review" in page.content.decode()
    stranger = make_user(django_user_model, "caseworker")
    verified_login(client, stranger)
    assert client.get("/translate/review/").status_code == 403
    assert (
        client.get("/translate/", follow=True).redirect_chain[-1][0].startswith("/accounts/login")
    )


def test_every_shipped_machine_translation_is_listed_as_awaiting_review():
    awaiting = review.awaiting_review()
    assert set(awaiting) == set(review.LANGUAGES)
    uzbek = dict(awaiting["uz"])
    assert "portal/locale/uz/LC_MESSAGES/django.po" in uzbek
