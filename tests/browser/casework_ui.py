"""What a caseworker does on the screens, for the browser tests that start from nothing: an
empty organisation made through the admin's services, signing in, the intake and facts forms."""

from __future__ import annotations

import re
from types import SimpleNamespace

from accounts.models import User
from cases import memberships
from cases.models import Case, Membership, Organisation
from tests.screenshots import shot

PASSWORD = "scenario-password-2026"  # noqa: S105 — test data only
DESKTOP = {"width": 1280, "height": 900}


def empty_organisation(**organisation_fields) -> SimpleNamespace:
    """A new organisation as a platform admin makes it in the Django admin (the model form's
    validation, then save), its admin's membership saved as the admin's membership screen
    saves it, and a caseworker and a supervisor added by that admin on the members page."""
    platform = User.objects.create_superuser("platform-admin", password=PASSWORD)
    org = Organisation(
        name="Empty NGO", slug="empty-ngo", code="EMP", timezone="Europe/Moscow",
        **organisation_fields,
    )  # fmt: skip
    org.full_clean()
    org.save()
    head = User.objects.create_user("empty-admin", email="admin@empty.example", password=PASSWORD)
    memberships.save_membership_in_admin(
        membership=Membership(user=head, organisation=org, role=Membership.Role.ADMIN),
        by=platform,
    )

    def add(username: str, role: str, first_name: str) -> User:
        membership = memberships.add_member(
            organisation=org,
            by=head,
            role=role,
            new_username=username,
            new_email=f"{username}@empty.example",
            new_password=PASSWORD,
        )
        user = membership.user
        user.first_name = first_name
        user.save(update_fields=["first_name"])
        return user

    caseworker = add("dilnoza", Membership.Role.CASEWORKER, "Dilnoza")
    supervisor = add("olga", Membership.Role.SUPERVISOR, "Olga")
    assert not Case.objects.filter(organisation=org).exists()
    return SimpleNamespace(org=org, caseworker=caseworker, supervisor=supervisor)


def sign_in(browser, live_server, user: User, *, language: str = "en"):
    context = browser.new_context(viewport=DESKTOP, locale=language)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/", timeout=10_000)
    page.js_errors = errors
    return page


def open_fact(page, selector: str) -> None:
    """Unfold the fact group holding `selector` (the groups start folded)."""
    group = page.locator("details.fact-group", has=page.locator(selector))
    if group.count() and group.first.get_attribute("open") is None:
        group.first.locator("summary").click()


def fill_fact(page, name: str, value: str, *, prefix: str = "c-") -> None:
    selector = f"#id_{prefix}{name}"
    open_fact(page, selector)
    field_ = page.locator(selector)
    if field_.evaluate("el => el.tagName") == "SELECT":
        field_.select_option(value)
    else:
        field_.fill(value)


def intake(page, live_server, *, who: dict, problems: list[str], facts: dict, consent=()) -> Case:
    """The intake form: who, the problems (the first is the main one), facts, consent."""
    page.goto(f"{live_server.url}/cases/new/")
    for name, value in who.items():
        selector = f"#id_m-{name}"
        if value is True:
            page.check(selector)
        elif page.locator(selector).evaluate("el => el.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    page.select_option("#id_c-problem_type", problems[0])
    for code in problems[1:]:
        page.check(f"input[name='c-other_problem_types'][value='{code}']")
    for name, value in facts.items():
        fill_fact(page, name, value)
    for channel in consent:
        page.check(f"input[name='k-channels'][value='{channel}']")
    if consent:
        page.select_option("#id_k-method", "in_person")
    submit = page.get_by_role("button", name="Open the case")
    submit.scroll_into_view_if_needed()
    submit.click()
    try:
        page.wait_for_url(re.compile(r".*/cases/\d+/$"), timeout=10_000)
    except Exception:
        shot(page, "FAILED-scenario-intake")
        raise
    return Case.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))


def save_facts(page, live_server, case: Case, facts: dict) -> None:
    page.goto(f"{live_server.url}/cases/{case.pk}/facts/")
    for name, value in facts.items():
        fill_fact(page, name, value, prefix="")
    page.get_by_role("button", name="Save facts").click()
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/", timeout=10_000)
