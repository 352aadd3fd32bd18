"""S15 encryption at rest, key rotation over 10,000 rows, refusing to start with a bad key."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from cases.checks import encryption_keys_check
from cases.fields import keyed_hash, verify_keys
from cases.models import Migrant
from tests.security.conftest import CANARY_PASSPORT

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def raw_passports():
    with connection.cursor() as cursor:
        cursor.execute("SELECT passport_number FROM cases_migrant WHERE passport_number <> ''")
        return [row[0] for row in cursor.fetchall()]


def test_identifier_columns_hold_ciphertext(canary_a):
    raw = raw_passports()
    assert raw and all(value.startswith("gAAAA") for value in raw)
    assert CANARY_PASSPORT not in " ".join(raw)
    with connection.cursor() as cursor:
        cursor.execute("SELECT passport_number FROM cases_historicalmigrant")
        history = [row[0] for row in cursor.fetchall() if row[0]]
    assert history and CANARY_PASSPORT not in " ".join(history)


def test_rotation_over_10000_rows_then_old_key_dropped(org_a, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_HASH_KEY = ""  # the hard case: hashes keyed by the oldest encryption key
    Migrant.objects.bulk_create(
        [
            Migrant(
                organisation=org_a,
                full_name_latin=f"Person {i}",
                citizenship="TJ",
                passport_number=f"AB{i:07d}",
                passport_number_hash=keyed_hash(f"AB{i:07d}"),
            )
            for i in range(10_000)
        ],
        batch_size=2000,
    )
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_field_keys", stdout=io.StringIO())
    # Drop the old key: everything still decrypts, then rehash under the remaining key.
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert verify_keys() == []
    call_command("rotate_field_keys", "--rehash", stdout=io.StringIO())
    failures = 0
    for i, (number, digest) in enumerate(
        Migrant.objects.order_by("pk").values_list("passport_number", "passport_number_hash")
    ):
        expected = f"AB{i:07d}"
        failures += number != expected or digest != keyed_hash(expected)
    assert failures == 0
    assert Migrant.objects.filter(passport_number_hash=keyed_hash("AB0004242")).count() == 1


def test_separate_hash_key_survives_rotation(org_a, settings):
    settings.FIELD_HASH_KEY = "a-separate-hmac-key-for-blind-indexes"
    before = keyed_hash(CANARY_PASSPORT)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    assert keyed_hash(CANARY_PASSPORT) == before


def test_wrong_key_is_reported_by_the_startup_check(canary_a, settings):
    assert encryption_keys_check() == []
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    errors = encryption_keys_check()
    assert errors and errors[0].id == "hamroh.E001"
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-key"]
    assert verify_keys()


def test_production_refuses_to_start_without_keys():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ALLOW_DEV_SECRETS", "FIELD_ENCRYPTION_KEYS", "DEBUG")
    }
    env.update(SECRET_KEY="x" * 60, ALLOWED_HOSTS="hamroh.example.org")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr
