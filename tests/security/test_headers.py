"""S8 headers and cookies, S9 `check --deploy` under production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse

from tests.security.conftest import verified_login

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";") if part.strip()
    )
    assert "'none'" in directives["object-src"]
    assert "'none'" in directives["base-uri"]
    assert "'none'" in directives["frame-ancestors"]
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-eval" not in csp
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_login_page_headers_and_cookies(client, worker_a):
    page = client.get(reverse("login"), secure=True)
    assert_security_headers(page)
    response = client.post(
        reverse("login"),
        {"username": "worker_a", "password": "correct horse battery"},
        secure=True,
    )
    assert response.status_code == 302
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == "/" and not cookie["domain"]
    csrf = page.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"


def test_case_pages_are_not_stored(client, worker_a, canary_a, admin_a):
    _migrant, case = canary_a
    verified_login(client, admin_a)
    for url in [reverse("cases:dashboard"), case.get_absolute_url(), reverse("audit:log")]:
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert_security_headers(response)


def test_error_pages_show_nothing_personal(client, worker_a, canary_b):
    _migrant, case = canary_b
    client.force_login(worker_a)
    response = client.get(case.get_absolute_url(), secure=True)
    assert response.status_code == 404
    body = response.content.decode()
    assert case.number not in body and "Canary" not in body
    assert "Not found" in body


def test_plain_http_is_redirected_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("login"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get("/healthz/").status_code != 301  # probes stay on plain HTTP


def production_env(tmp_path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ALLOW_DEV_SECRETS", "DEBUG", "SECURE_SSL_REDIRECT", "MFA_ENFORCED")
    }
    env.update(
        SECRET_KEY="q8#Lw!2mZ" + Fernet.generate_key().decode() + "x$Y7%pR",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="hamroh.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        CACHE_URL="redis://127.0.0.1:6379/1",  # as docker-compose.yml (the check connects not)
        VAR_DIR=str(tmp_path),
    )
    return env


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
