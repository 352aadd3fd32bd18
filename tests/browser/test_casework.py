"""The caseworker's journey in headless Chromium: sign in, intake, note, status, checklist,
a manual deadline with its reminders, close.

Runs at a 360×640 phone viewport and at desktop size, in English and in Russian, and saves
screenshots under test-output/screenshots/; with HAMROH_DOCS_SCREENSHOTS=1 the README's are
copied to docs/screenshots/ too.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case, Membership, TimelineEvent
from tests import factories
from tests.content.factories import load_shipped_rules
from tests.screenshots import SHOTS, publish
from tests.screenshots import shot as _shot

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 360, "height": 640}, "desktop": {"width": 1280, "height": 900}}
TEXT = {
    "en": {
        "open": "Open the case",
        "add_note": "Add note",
        "start": "Start work",
        "close": "Close the case",
        "closed": "Closed",
        "note": "Called the employer; they promised to pay by Friday.",
        "add_deadline": "Add a deadline",
        "hearing": "Labour inspectorate appointment",
    },
    "ru": {
        "open": "Открыть дело",
        "add_note": "Добавить заметку",
        "start": "Начать работу",
        "close": "Закрыть дело",
        "closed": "Закрыто",
        "note": "Позвонили работодателю: обещал заплатить до пятницы.",
        "add_deadline": "Добавить срок",
        "hearing": "Приём в трудовой инспекции",
    },
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["en", "ru"])
def test_caseworker_journey(live_server, browser, browser_settings, viewport, language):
    text = TEXT[language]
    load_shipped_rules()  # opening a case gives it the checklist and deadlines of the rules
    org = factories.organisation("MSK", name="Hamroh Moscow Centre")
    worker = factories.member(org, Membership.Role.SUPERVISOR)
    worker.first_name, worker.language = "Malika", language
    worker.save()
    other = factories.member(org, Membership.Role.CASEWORKER)
    factories.case(org, other)  # something already on the list
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale=language)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    tag = f"{viewport}-{language}"

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", worker.username)
    page.fill("#id_password", factories.PASSWORD)
    page.locator("form button[type=submit]").last.click()
    try:
        page.wait_for_url(f"{live_server.url}/", timeout=10_000)
    except Exception:
        _shot(page, f"FAILED-login-{viewport}-{language}")
        raise
    assert page.locator("html").get_attribute("lang") == language
    _shot(page, f"dashboard-{tag}")

    # Intake: a new migrant; the duplicate check runs while typing (nothing matches here).
    page.goto(f"{live_server.url}/cases/new/")
    page.fill("#id_m-full_name_latin", "Shokhrukh Rahimov")
    page.fill("#id_m-full_name_cyrillic", "Шохрух Рахимов")
    page.fill("#id_m-date_of_birth", "1994-03-02")
    page.select_option("#id_m-citizenship", "TJ")
    page.fill("#id_m-phone", "+992 93 555 12 34")
    page.check("#id_m-phone_controlled")
    page.select_option("#id_c-problem_type", "unpaid_wages")
    page.fill("#id_c-summary", "Worked three months on a building site; not paid.")
    page.fill("#id_c-employer_name", "OOO StroyMontazh")
    page.fill("#id_c-amount_owed", "120000")
    _shot(page, f"intake-{tag}")
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Leave the last field first (as closing the on-screen keyboard does): headless Chromium
    # otherwise scrolls back to the focused input between mousedown and mouseup.
    page.locator("#id_c-amount_owed").blur()
    submit = page.get_by_role("button", name=text["open"])
    submit.scroll_into_view_if_needed()
    submit.click()
    try:
        page.wait_for_url(re.compile(r".*/cases/\d+/$"), timeout=10_000)
    except Exception:
        _shot(page, f"FAILED-intake-{tag}")
        raise
    case = Case.objects.get(migrant__full_name_latin="Shokhrukh Rahimov")
    assert case.assignee_id == worker.pk
    assert page.locator(".safe-contact").is_visible()

    # A note, added without a page reload (htmx swaps the timeline in place).
    page.evaluate("window.__marker = 1")
    page.get_by_role("button", name=text["add_note"]).click()  # empty: the error shows in place
    page.locator("#id_text_error").wait_for()
    page.fill("#id_text", text["note"])
    page.get_by_role("button", name=text["add_note"]).click()
    page.locator(".timeline .kind-note").first.wait_for()
    assert page.evaluate("window.__marker") == 1, "the page reloaded"
    assert text["note"] in page.locator(".timeline").inner_text()
    assert TimelineEvent.objects.filter(case=case, kind="note").count() == 1

    # Status: the primary button moves the case on.
    page.get_by_role("button", name=text["start"]).click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS

    # The checklist from the rules: tick one item in place (htmx).
    page.evaluate("window.__marker = 2")
    items = page.locator("#checklist .checklist-item")
    assert items.count() == case.checklist.count() > 0
    item = case.checklist.order_by("position").first()
    page.locator(f"#checklist-item-{item.pk} button[name=state][value=have]").click()
    page.locator(f"#checklist-item-{item.pk}.state-have").wait_for()
    item.refresh_from_db()
    assert item.state == "have"

    # The deadlines panel: add a manual deadline; its planned reminders show at once (htmx).
    panel = page.locator("#deadline-reminders")
    panel.locator("summary", has_text=text["add_deadline"]).click()
    page.fill("#add-title", text["hearing"])
    page.fill("#add-due_date", (timezone.localdate() + timedelta(days=5)).isoformat())
    panel.locator("form[action$='/deadlines/add/'] button[type=submit]").click()
    page.locator("#deadline-reminders", has_text=text["hearing"]).wait_for()
    assert page.evaluate("window.__marker") == 2, "the page reloaded"
    deadline = case.deadlines.get(kind="manual")
    rows = page.locator(f"#deadline-{deadline.pk} table.reminders tbody tr")
    assert rows.count() == deadline.reminders.count() > 0  # every planned send time
    assert page.locator("#panel-portal").is_visible()  # the migrant's page panel
    _shot(page, f"case-{tag}")
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Close with an outcome.
    page.locator("summary", has_text=text["close"]).click()
    page.select_option("#id_outcome", "resolved")
    page.locator("form[action$='/close/'] button.primary").click()
    page.wait_for_load_state()
    # The confirmation step: the same choices, sent again with "confirmed".
    page.locator("form:has(input[name='confirmed']) button.primary").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.outcome == "resolved"
    assert text["closed"] in page.locator(".case-head").inner_text()
    _shot(page, f"case-closed-{tag}")

    # The list finds the person by the other script (search text stays out of the URL).
    page.goto(f"{live_server.url}/cases/")
    page.fill("input[name=q]", "Шохрух")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_load_state()
    assert "Шохрух" not in page.url and "%D0" not in page.url
    assert case.number in page.locator("table.cards").inner_text()
    _shot(page, f"list-{tag}")
    if viewport == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"horizontal scrolling at 360 px ({width})"
    assert not errors, errors
    context.close()
    if language == "en" or viewport == "phone":
        for name in ("dashboard", "case", "intake"):
            publish(SHOTS / f"{name}-{tag}.png")


@pytest.mark.django_db(transaction=True)
def test_demo_data_screenshots(live_server, browser, browser_settings):
    """The README's pictures: the seeded demo organisation as a supervisor sees it."""
    from django.core.management import call_command

    from cases.models import Migrant

    call_command("load_rules", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    shown = (
        Case.objects.filter(organisation__slug="msk", migrant__phone_controlled=True)
        .order_by("pk")
        .first()
        or Case.objects.filter(organisation__slug="msk").first()
    )
    assert Migrant.objects.filter(organisation__slug="msk").count() >= 30
    for viewport in ("desktop", "phone"):
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale="en")
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "msk_admin")
        page.fill("#id_password", "hamroh-demo-2026")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url(f"{live_server.url}/")
        assert page.locator(".counts").is_visible()
        pages = {
            "demo-dashboard": "/",
            "demo-list": "/cases/?status=open",
            "demo-case": f"/cases/{shown.pk}/",
            "demo-members": "/members/",
        }
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            publish(_shot(page, f"{name}-{viewport}"))
        if viewport == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"horizontal scrolling at 360 px ({width})"
        context.close()
