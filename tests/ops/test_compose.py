"""docker-compose.yml cannot run here (no Docker engine): its commands must point at real code."""

from __future__ import annotations

import importlib
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

BASE_DIR = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def command_words(service: dict) -> list[str]:
    command = service.get("command", [])
    if isinstance(command, list):
        return command
    return shlex.split(command)


def import_target(dotted: str):
    module, _, attribute = dotted.replace(":", ".").rpartition(".")
    return getattr(importlib.import_module(module), attribute)


def test_production_has_every_part():
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(SERVICES)
    assert "healthcheck" in SERVICES["postgres"]
    assert any("/var/lib/postgresql/data" in volume for volume in SERVICES["postgres"]["volumes"])


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_use_the_project_image_and_env_file(name):
    service = SERVICES[name]
    assert service["build"] == "."
    assert service["env_file"] == ".env"
    assert service["environment"]["DATABASE_URL"].startswith("postgres://")
    assert service["environment"]["CELERY_BROKER_URL"].startswith("redis://")


@pytest.mark.django_db  # importing the WSGI module runs the start-up encryption-key check
def test_web_runs_migrations_then_gunicorn_on_the_real_wsgi_app():
    words = command_words(SERVICES["web"])
    text = " ".join(words)
    commands = get_commands()
    for management_command in re.findall(r"manage\.py (\w+)", text):
        assert management_command in commands, management_command
    assert "migrate" in text
    wsgi = next(word for word in text.split() if word.endswith(":application"))
    assert callable(import_target(wsgi))


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_celery_services_point_at_the_project_app(name):
    words = command_words(SERVICES[name])
    assert words[:3] == ["celery", "-A", "advisor"]
    assert importlib.import_module(words[2]).celery_app.main == "advisor"
    assert name in words
    if "--scheduler" in words:
        assert import_target(words[words.index("--scheduler") + 1])


def test_env_example_documents_every_variable_compose_needs():
    example = (BASE_DIR / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z_]+)=", example, flags=re.M))
    needed = set(re.findall(r"\$\{([A-Z_]+)\}", (BASE_DIR / "docker-compose.yml").read_text()))
    assert needed <= documented
    assert {"SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "ALLOWED_HOSTS"} <= documented


def test_dockerfile_installs_the_project_and_serves_static_files():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert "pip install" in dockerfile
    assert "collectstatic" in dockerfile
    assert "advisor.wsgi:application" in dockerfile
