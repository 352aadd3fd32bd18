"""The peer: django-helpdesk, installed by this script into its own virtualenv, never committed.

The same synthetic cases are exported from Hamroh's benchmark database as tickets (organisation →
queue) and the same list, deep-page and search measurements run against it in the same run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PEER_VERSION = "2.6.1"
PINAX_TEAMS_VERSION = "3.0.1"
PEER_DIR = Path(settings.VAR_DIR) / "bench" / "peer"
PROBE = Path(__file__).with_name("peer_probe.py")

PEER_SETTINGS = """
SECRET_KEY = "peer-benchmark-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
    "django.contrib.sites", "django.contrib.humanize", "rest_framework", "helpdesk",
    # helpdesk 2.6.1's migrations depend on pinax_teams even with teams mode off.
    "account", "pinax.invitations", "pinax.teams",
]
HELPDESK_TEAMS_MODE_ENABLED = False
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "peer_urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
              "OPTIONS": {"context_processors": ["django.template.context_processors.request",
                          "django.contrib.auth.context_processors.auth",
                          "django.contrib.messages.context_processors.messages"]}}]
DATABASES = {"default": %(database)r}
SITE_ID = 1
USE_TZ = True
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
"""
PEER_URLS = """
from django.urls import include, path
urlpatterns = [path("helpdesk/", include("helpdesk.urls", namespace="helpdesk"))]
"""


def peer_python() -> Path:
    venv = PEER_DIR / "venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", f"django-helpdesk=={PEER_VERSION}",
             f"pinax-teams=={PINAX_TEAMS_VERSION}", "psycopg[binary]"],
            check=True,
        )  # fmt: skip
    return python


def write_project(database: dict) -> None:
    PEER_DIR.mkdir(parents=True, exist_ok=True)
    (PEER_DIR / "peer_settings.py").write_text(PEER_SETTINGS % {"database": database})
    (PEER_DIR / "peer_urls.py").write_text(PEER_URLS)


def run_probe(*args: str) -> dict:
    result = subprocess.run(
        [str(peer_python()), str(PROBE), *args],
        check=True,
        capture_output=True,
        text=True,
        env={"PEER_PROJECT_DIR": str(PEER_DIR), "PATH": "/usr/bin:/bin"},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def peer_database(our_database: dict) -> dict:
    """The peer gets its own database on the same server (and engine) as ours."""
    database = {key: our_database[key] for key in ("ENGINE", "HOST", "PORT", "USER", "PASSWORD")}
    if "sqlite" in database["ENGINE"]:
        database["NAME"] = str(PEER_DIR / "peer.sqlite3")
    else:
        database["NAME"] = f"{our_database['NAME']}_peer"
    return database


def export_tickets(path: Path) -> int:
    """Our cases as JSON lines the peer loads as tickets; the same rows both products hold."""
    from cases.models import Case

    closed = set(Case.CLOSED_STATUSES)
    count = 0
    with path.open("w") as out:
        cases = Case.objects.values_list(
            "number",
            "organisation__code",
            "status",
            "migrant__full_name_latin",
            "migrant__full_name_cyrillic",
            "summary",
            "opened_at",
        ).order_by("id")
        for number, org, status, latin, cyrillic, summary, opened in cases.iterator(5000):
            row = {
                "org": org,
                "title": f"{number} {latin} / {cyrillic}",
                "description": summary,
                "status": 4 if status in closed else 1,
                "created": opened.isoformat(),
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def create_database(database: dict) -> None:
    if "sqlite" in database["ENGINE"]:
        return
    import psycopg

    dsn = f"host={database['HOST'] or '127.0.0.1'} port={database['PORT'] or 5432} "
    dsn += f"user={database['USER'] or 'postgres'} dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}"')
        conn.execute(f'CREATE DATABASE "{database["NAME"]}"')


def prepare(our_database: dict) -> dict:
    database = peer_database(our_database)
    write_project(database)
    create_database(database)
    rows = PEER_DIR / "tickets.jsonl"
    export_tickets(rows)
    return run_probe("load", str(rows))


def measure(repeats: int, search_terms: list[str]) -> dict:
    return run_probe("measure", str(repeats), json.dumps(search_terms, ensure_ascii=False))
