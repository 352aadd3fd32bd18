"""Issue 21: a supervisor reassigns five cases from the team view in one action (Chromium)."""

from __future__ import annotations

import pytest

from cases.models import Case, Membership
from tests import factories
from tests.browser.test_casework import VIEWPORTS
from tests.screenshots import publish
from tests.screenshots import shot as _shot

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_supervisor_reassigns_five_cases_in_one_action(
    live_server, browser, browser_settings, viewport
):
    org = factories.organisation("MSK", name="Hamroh Moscow Centre")
    supervisor = factories.member(org, Membership.Role.SUPERVISOR)
    busy = factories.member(org, Membership.Role.CASEWORKER)
    busy.first_name, busy.last_name = "Aziz", "Karimov"
    busy.save()
    free = factories.member(org, Membership.Role.CASEWORKER)
    free.first_name, free.last_name = "Dilnoza", "Yusupova"
    free.save()
    cases = [factories.case(org, supervisor, assignee=busy) for _ in range(7)]

    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="en")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", supervisor.username)
    page.fill("#id_password", factories.PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/")

    page.locator("nav.topnav a", has_text="Team").click()
    page.wait_for_url("**/team/")
    load = page.locator("table.team-load tr", has_text="Aziz Karimov")
    assert load.locator("td").first.inner_text() == "7"
    worker = page.locator(f"#worker-{busy.pk}")
    if not worker.locator("details").get_attribute("open"):
        worker.locator("summary").click()
    for case in cases[:5]:
        worker.locator(f"input[name=cases][value='{case.pk}']").check()
    page.select_option("#id_assignee", str(free.pk))
    shot = _shot(page, f"team-{viewport}")
    page.locator("form button.primary", has_text="Assign").click()
    page.wait_for_url("**/team/")
    assert "5 cases assigned to Dilnoza Yusupova." in page.locator(".messages").inner_text()
    assert (
        page.locator("table.team-load tr", has_text="Dilnoza").locator("td").first.inner_text()
        == "5"
    )
    moved = Case.objects.filter(pk__in=[c.pk for c in cases[:5]])
    assert set(moved.values_list("assignee", flat=True)) == {free.pk}
    assert Case.objects.filter(assignee=busy).count() == 2
    if viewport == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"horizontal scrolling at 360 px ({width})"
    else:
        publish(shot, "team-view.png")
    assert not errors, errors
    context.close()
