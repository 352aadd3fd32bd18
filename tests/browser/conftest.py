"""Headless Debian Chromium for the browser tests (pytest -m browser, HAMROH_BROWSER_TESTS=1)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def browser_settings(settings):
    # The live server speaks plain http: no Secure cookies, so no __Host- names either.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_NAME = "sessionid"
    settings.CSRF_COOKIE_NAME = "csrftoken"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are plain.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield settings
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def browser(live_server, browser_settings):
    # Started after the test database and live server exist (ORM set-up outside the loop).
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()
