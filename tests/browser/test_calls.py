"""The call log in headless Chromium: a known caller found by name while typing, a call logged
from the keyboard, then an anonymous call turned into a case through the prefilled intake.

Runs at a phone and a desktop viewport; screenshots go to test-output/screenshots/ (the call
log's, at desktop size, also to docs/screenshots/ with HAMROH_DOCS_SCREENSHOTS=1).
"""

from __future__ import annotations

import re

import pytest

from cases.models import Call, Case, Membership, Task, TimelineEvent
from tests import factories
from tests.browser.test_casework import VIEWPORTS
from tests.content.factories import load_shipped_rules
from tests.screenshots import SHOTS, publish
from tests.screenshots import shot as _shot

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_log_a_call_and_open_a_case_from_it(live_server, browser, browser_settings, viewport):
    load_shipped_rules()
    org = factories.organisation("MSK", name="Hamroh Moscow Centre")
    worker = factories.member(org, Membership.Role.CASEWORKER)
    known = factories.case(org, worker)  # Rustam Nazarov, unpaid wages
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="en")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", worker.username)
    page.fill("#id_password", factories.PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/")

    # From the navigation; the search box has the focus, so typing finds the caller.
    page.get_by_role("link", name="Log a call").click()
    page.wait_for_url(f"{live_server.url}/calls/")
    page.keyboard.type("Рустам")
    choice = page.locator(f"#caller-c-{known.pk}")
    choice.wait_for()
    assert "Рустам" not in page.url
    choice.check()
    page.check("input[name=topics][value=unpaid_wages]")
    page.check("input[name=outcome][value=added_to_case]")
    page.fill("#id_note", "Employer promised to pay on Friday.")
    page.fill("#id_follow_up", "Check the payment came")
    _shot(page, f"call-log-{viewport}")
    if viewport == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"horizontal scrolling at 360 px ({width})"
    page.locator("#id_follow_up").press("Enter")  # Enter in the form saves the call
    page.locator(".messages", has_text="Call logged").wait_for()
    call = Call.objects.get()
    assert (call.case, call.outcome, call.topics) == (known, "added_to_case", ["unpaid_wages"])
    assert Task.objects.get(case=known, title="Check the payment came") == call.follow_up_task
    assert TimelineEvent.objects.filter(case=known, kind="call").exists()
    assert known.number in page.locator("#recent-h + div table").inner_text()

    # An anonymous caller with a new problem: save and open a case, already filled in.
    page.check("input[name=topics][value=reentry_ban]")
    page.fill("#id_note", "Was told at the border he is banned until 2028.")
    page.select_option("#id_language", "tg")
    page.get_by_role("button", name="Save and open a case").click()
    page.wait_for_url(re.compile(r".*/cases/new/\?call=\d+$"))
    assert page.locator("#id_c-problem_type").input_value() == "reentry_ban"
    assert "banned until 2028" in page.locator("#id_c-summary").input_value()
    assert page.locator("#id_m-preferred_language").input_value() == "tg"
    page.fill("#id_m-full_name_latin", "Farrukh Saidov")
    page.select_option("#id_m-citizenship", "TJ")
    submit = page.get_by_role("button", name="Open the case")
    submit.scroll_into_view_if_needed()
    submit.click()
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    opened = Case.objects.get(migrant__full_name_latin="Farrukh Saidov")
    anonymous = Call.objects.exclude(pk=call.pk).get()
    assert (anonymous.case, anonymous.outcome) == (opened, "case_opened")
    assert opened.problem_type == "reentry_ban"

    # The call log lists both, newest first, each with its case.
    page.goto(f"{live_server.url}/calls/")
    rows = page.locator("table.calls tbody tr")
    assert rows.count() == 2
    assert opened.number in rows.first.inner_text()
    _shot(page, f"call-log-recent-{viewport}")
    if viewport == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"horizontal scrolling at 360 px ({width})"
    assert not errors, errors
    context.close()
    if viewport == "desktop":
        for name in ("call-log", "call-log-recent"):
            publish(SHOTS / f"{name}-{viewport}.png")
