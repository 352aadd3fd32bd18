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
        if "integration" in item.keywords and not redis_ok:
            item.add_marker(pytest.mark.skip(reason=f"Redis not reachable at {redis_url()}"))
        if "browser" in item.keywords and not browser_ok:
            item.add_marker(
                pytest.mark.skip(reason="browser tests need HAMROH_BROWSER_TESTS=1 and chromium")
            )


@pytest.fixture(autouse=True)
def _fast(settings, request):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if "integration" in request.keywords:
        return
    from advisor.celery import app

    # The app reads Django settings with the CELERY_ namespace, so the keys carry it too.
    app.conf.update(CELERY_TASK_ALWAYS_EAGER=True, CELERY_TASK_EAGER_PROPAGATES=True)
