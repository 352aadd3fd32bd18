"""Start-up configuration: production refuses development secrets, naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def run_check(**env_overrides: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"ALLOW_DEV_SECRETS", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "DEBUG"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DEBUG": "false"}, "SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 50}, "FIELD_ENCRYPTION_KEYS"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "true", "DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL"),
    ],
)
def test_bad_configuration_stops_start_up_naming_the_variable(env, variable):
    result = run_check(**env)
    assert result.returncode != 0
    assert variable in result.stderr


def test_debug_mode_starts_with_development_defaults():
    result = run_check(DEBUG="true")
    assert result.returncode == 0, result.stderr
