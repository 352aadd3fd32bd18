"""The image and the compose file, read without Docker: no secrets baked in, a healthcheck that
passes the production ALLOWED_HOSTS."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ops import health

BASE_DIR = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
MUST_NOT_REACH_THE_IMAGE = [".env", ".venv", "var", ".git"]


def dockerignore_patterns() -> set[str]:
    path = BASE_DIR / ".dockerignore"
    assert path.exists(), "COPY . . without a .dockerignore copies .env, .venv, var/ and .git"
    lines = (line.strip() for line in path.read_text().splitlines())
    return {line.rstrip("/") for line in lines if line and not line.startswith("#")}


def test_the_build_context_leaves_out_secrets_and_local_state():
    assert "COPY . ." in (BASE_DIR / "Dockerfile").read_text()
    patterns = dockerignore_patterns()
    for name in MUST_NOT_REACH_THE_IMAGE:
        assert name in patterns, name
    assert "!.env" not in patterns  # a negation would bring the production .env back


def web_healthcheck_command() -> list[str]:
    test = COMPOSE["services"]["web"]["healthcheck"]["test"]
    assert test[0] == "CMD"
    return test[1:]


def test_the_web_healthcheck_does_not_call_a_bare_ip():
    command = " ".join(web_healthcheck_command())
    # A request to http://127.0.0.1:8000/ carries Host: 127.0.0.1, which production refuses.
    assert "127.0.0.1" not in command


@pytest.mark.django_db(transaction=True)
def test_the_web_healthcheck_passes_with_production_allowed_hosts(live_server, settings):
    settings.ALLOWED_HOSTS = ["hamroh.example.org"]  # as in .env.example
    settings.SECURE_SSL_REDIRECT = True
    health.record_heartbeat()
    env = {
        **os.environ,
        "SITE_URL": "https://hamroh.example.org",
        "HEALTHCHECK_URL": f"{live_server.url}/healthz/",
    }
    command = web_healthcheck_command()
    assert command[0] == "python"
    result = subprocess.run(
        [sys.executable, *command[1:]], cwd=BASE_DIR, env=env, capture_output=True, timeout=30
    )
    assert result.returncode == 0, result.stderr.decode()


@pytest.mark.django_db(transaction=True)
def test_the_web_healthcheck_fails_when_the_host_is_refused(live_server, settings):
    settings.ALLOWED_HOSTS = ["hamroh.example.org"]
    health.record_heartbeat()
    env = {
        **os.environ,
        "SITE_URL": "https://elsewhere.example",
        "HEALTHCHECK_URL": f"{live_server.url}/healthz/",
    }
    result = subprocess.run(
        [sys.executable, *web_healthcheck_command()[1:]],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        timeout=30,
    )
    assert result.returncode == 1
