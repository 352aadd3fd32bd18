"""Browser: sign in, enrol an authenticator, reach the dashboard, with 0 CSP violations."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import TOTP

from tests.security.conftest import make_user, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_signs_in_and_enrols_two_factor_without_csp_violations(
    live_server, django_user_model, settings
):
    import base64

    from playwright.sync_api import sync_playwright

    from cases.models import Membership, Organisation

    settings.MFA_ENFORCED = True
    org = Organisation.objects.create(name="Org A", slug="org-a", code="ORGA")
    admin = make_user(django_user_model, "admin_a")
    member(admin, org, Membership.Role.ADMIN)

    violations: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.on(
            "console",
            lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text
            else None,
        )
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "admin_a")
        page.fill("#id_password", "correct horse battery")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/accounts/mfa/setup/"))
        assert page.locator("svg.segno").count() == 1
        secret = page.locator("code").first.inner_text()
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        page.fill("#id_token", f"{TOTP(key).token():06d}")
        page.click("main button.primary")  # not the top bar's log-out button
        page.wait_for_selector("ul.codes")
        assert page.locator("ul.codes li").count() == 10
        page.goto(f"{live_server.url}/")
        assert "/accounts/" not in page.url
        page.goto(f"{live_server.url}/audit/")
        assert page.locator("h1").inner_text() == "Audit log"
        browser.close()
    assert violations == []
