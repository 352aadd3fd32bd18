"""Shared fixtures. Unit tests run Celery eagerly; tests/integration talk to a real worker."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.services import redis_available, redis_url


def pytest_collection_modifyitems(config, items):
    redis_ok = redis_available()
    browser_ok = os.environ.get("HAMROH_BROWSER_TESTS") == "1" and bool(
        shutil.which("chromium") or os.path.exists("/usr/bin/chromium")
    )
    for item in items:
        # Markers, not keywords: keywords hold the names of the folders above the test too
        # (a checkout in a folder named "browser" would skip everything).
        if item.get_closest_marker("integration") and not redis_ok:
            item.add_marker(pytest.mark.skip(reason=f"Redis not reachable at {redis_url()}"))
        if item.get_closest_marker("browser") and not browser_ok:
            item.add_marker(
                pytest.mark.skip(reason="browser tests need HAMROH_BROWSER_TESTS=1 and chromium")
            )


@pytest.fixture(autouse=True)
def _plain_static(settings):
    # The manifest storage needs collectstatic; tests read static files from the apps instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _default_language():
    # A request activates its language in this thread; the next test must not inherit it.
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and double-submit tokens live in the cache; each test starts with none.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast(settings, request):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from advisor.celery import app

    # Unit tests run tasks in-process; tests/integration talk to a real worker.
    # The app reads Django settings under the CELERY_ namespace, so set the namespaced keys.
    eager = "integration" not in request.keywords
    app.conf.CELERY_TASK_ALWAYS_EAGER = eager
    app.conf.CELERY_TASK_EAGER_PROPAGATES = eager
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
