"""The Russian caseworker UI of the demo shows no English: dashboard, case list and case page.

Headless Chromium reads the rendered text (`innerText`) and fails on any Latin-script word that
is not a name. Left out on purpose: elements marked with another language (`lang="uz"` on a
migrant's SMS preview, `lang="en"` on a rule's bibliographic source), rule keys in <code>, and the
names people typed (migrants, employers, cities, users, organisations).
"""

from __future__ import annotations

import os
import re

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from cases.models import Case, Migrant, Organisation
from tests.content.factories import load_shipped_rules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The product's name, the language switcher's own-language entry, the time-zone name, and the
# messenger's brand name.
ALLOWED = {"Hamroh", "English", "Europe", "Moscow", "Telegram"}
# A Latin word, not part of an address (a path, an e-mail, a domain such as egrul.nalog.ru).
LATIN_WORD = re.compile(r"(?<![\w/.:@-])[A-Za-z][A-Za-z'’]{2,}(?![\w/@-]|\.\w)")
# Text in another language on purpose, and identifiers: not read.
READ_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('script, style, code, [lang]:not([lang^="ru"]), [hidden], template')
      .forEach((el) => el.remove());
  document.body.appendChild(copy);
  copy.style.position = 'absolute';
  const text = copy.innerText;
  copy.remove();
  return text;
}"""


def _names() -> set[str]:
    """Every word of a name a person typed in the demo: it may be in any script."""
    values: list[str] = []
    for migrant in Migrant.objects.all():
        values += [
            migrant.full_name_latin,
            migrant.full_name_cyrillic,
            migrant.city,
            migrant.region,
        ]
    values += list(Case.objects.values_list("employer_name", flat=True))
    values += [o.name for o in Organisation.objects.all()]
    for user in User.objects.all():
        values += [user.username, user.get_full_name()]
    return {word for value in values if value for word in re.split(r"[\s_,.()]+", value)}


def english_words(text: str, names: set[str]) -> list[str]:
    return [
        word
        for word in LATIN_WORD.findall(text)
        if word not in names and word not in ALLOWED and not word.isupper()
    ]


@pytest.fixture
def russian_demo(live_server, settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_NAME = "sessionid"
    settings.CSRF_COOKIE_NAME = "csrftoken"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    load_shipped_rules()
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    user = User.objects.get(username="ekb_caseworker")
    assert user.language == "ru"
    client = Client()
    client.force_login(user)
    # One case page per problem type: each shows its own checklist, deadlines and reminders.
    cases = {}
    for case in Case.objects.filter(organisation__slug="ekb").order_by("pk"):
        cases.setdefault(case.problem_type, case)
    return client.cookies["sessionid"].value, list(cases.values())


def test_the_russian_caseworker_ui_has_no_english(live_server, russian_demo):
    from playwright.sync_api import sync_playwright

    session, cases = russian_demo
    names = _names()
    found = {}
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-background-networking"],
            )
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            host = live_server.url.split("//", 1)[1].split(":")[0]
            context.add_cookies(
                [{"name": "sessionid", "value": session, "domain": host, "path": "/"}]
            )
            page = context.new_page()
            for path in ["/", "/cases/", *(f"/cases/{case.pk}/" for case in cases)]:
                page.goto(f"{live_server.url}{path}")
                assert page.locator("html").get_attribute("lang") == "ru"
                page.locator("details").evaluate_all("(all) => all.forEach((d) => d.open = true)")
                words = english_words(page.evaluate(READ_TEXT), names)
                if words:
                    found[path] = sorted(set(words))
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    assert not found, found


def test_the_reader_flags_english_and_spares_names_and_acronyms():
    text = "Дело EKB-2026-00001 · Rustam Nazarov · Open the case · МВД (MVD) · Hamroh"
    assert english_words(text, {"Rustam", "Nazarov"}) == ["Open", "the", "case"]
    # Addresses are not English: a domain, also at the end of a sentence.
    assert english_words("Проверьте на egrul.nalog.ru. Или sledcom.ru.", set()) == []
    assert english_words("Open it.", set()) == ["Open"]
