"""Issue 19.3: contact data, birth dates, addresses and notes are ciphertext in the database.

Each test reads rows with raw SQL, as a backup or a stolen dump would show them, and looks for
the values that were typed. On CI the suite runs on PostgreSQL, so the raw `SELECT` is the
production database's.
"""

from __future__ import annotations

import importlib
import io
from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from cases import search, services
from cases.models import Case, Migrant
from tests import factories

pytestmark = pytest.mark.django_db

PHONE = "+992 93 444 5566"
PHONE_E164 = "+992934445566"
SECOND_PHONE = "+7 916 555-44-33"
EMAIL = "zafar.odinaev@example.org"
BORN = date(1988, 11, 23)
ADDRESS = "ул. Лесная, д. 14, кв. 88"
NOTE = "Brother Davron can be reached at the market, stall 17"


def raw_row(table: str, pk: int) -> str:
    """Every column of one row as text, the way `SELECT *` in a dump shows it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} WHERE id = %s", [pk])  # noqa: S608
        row = cursor.fetchone()
    return " | ".join("" if value is None else str(value) for value in row)


@pytest.fixture
def org(db):
    return factories.organisation("MSK")


@pytest.fixture
def other_org(db):
    return factories.organisation("EKB")


@pytest.fixture
def caseworker(org):
    return factories.member(org)


@pytest.fixture
def person(org, caseworker):
    migrant = factories.migrant(
        org,
        caseworker,
        full_name_latin="Zafar Odinaev",
        phone=PHONE,
        phone_secondary=SECOND_PHONE,
        email=EMAIL,
        telegram="@zafar_od",
        date_of_birth=BORN,
        safe_contact_notes="Call his brother first",
    )
    case = factories.case(org, caseworker, migrant, host_address=ADDRESS, summary="Wages owed")
    services.add_note(case=case, text=NOTE, by=caseworker)
    return migrant


PLAIN = [PHONE_E164, "+79165554433", EMAIL, "@zafar_od", "1988-11-23", "Call his brother"]


def test_a_raw_select_of_the_migrant_row_shows_no_contact_data(person):
    row = raw_row("cases_migrant", person.pk)
    for value in [*PLAIN, "934445566", "5554433"]:
        assert value not in row
    assert "Zafar Odinaev" in row  # names stay readable for search (docs/security.md)
    with connection.cursor() as cursor:
        cursor.execute("SELECT birth_year FROM cases_migrant WHERE id = %s", [person.pk])
        assert cursor.fetchone() == (BORN.year,)  # only the year, for statistics


def test_history_rows_address_and_notes_are_ciphertext_too(person):
    with connection.cursor() as cursor:
        cursor.execute("SELECT history_id FROM cases_historicalmigrant WHERE id = %s", [person.pk])
        history_ids = [row[0] for row in cursor.fetchall()]
    assert history_ids
    for history_id in history_ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT * FROM cases_historicalmigrant WHERE history_id = %s", [history_id]
            )
            row = " | ".join(str(value) for value in cursor.fetchone())
        assert not any(value in row for value in PLAIN)
    case = Case.objects.get(migrant=person)
    assert ADDRESS not in raw_row("cases_case", case.pk)
    assert "Wages owed" not in raw_row("cases_case", case.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM cases_timelineevent WHERE case_id = %s", [case.pk])
        texts = " ".join(row[0] for row in cursor.fetchall())
    assert NOTE not in texts and "stall 17" not in texts
    # …while the application reads them back as they were typed.
    case.refresh_from_db()
    assert case.host_address == ADDRESS
    assert case.timeline.filter(kind="note").get().text == NOTE
    person.refresh_from_db()
    assert (person.phone, person.email, person.date_of_birth) == (PHONE_E164, EMAIL, BORN)


def test_lookups_by_phone_still_work(org, caseworker, person, other_org):
    duplicates = services.find_duplicate_migrants(organisation=org, phone="00992934445566")
    assert list(duplicates) == [person]
    assert list(services.find_duplicate_migrants(organisation=other_org, phone=PHONE)) == []
    # Second phone, whole or by its last nine digits (typed without the country code).
    for typed in ["8 916 555 44 33", "916 555 44 33", "93 444 55 66"]:
        assert Case.objects.filter(search.case_query(typed)).get().migrant == person, typed
    # Name and birth date: the day is compared after decryption.
    same = services.find_duplicate_migrants(
        organisation=org, full_name="Зафар Одинаев", date_of_birth=BORN
    )
    assert list(same) == [person]
    other_day = services.find_duplicate_migrants(
        organisation=org, full_name="Zafar Odinaev", date_of_birth=date(1988, 11, 24)
    )
    assert list(other_day) == []


def test_rotate_field_keys_re_encrypts_the_new_fields(person, settings):
    before = raw_row("cases_migrant", person.pk)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_HASH_KEY = ""  # hashes keyed by the oldest key: --rehash must redo them
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    call_command("rotate_field_keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    call_command("rotate_field_keys", "--rehash", stdout=io.StringIO())
    assert raw_row("cases_migrant", person.pk) != before
    person = Migrant.objects.get(pk=person.pk)  # decrypts with the new key alone
    assert (person.phone, person.email, person.date_of_birth) == (PHONE_E164, EMAIL, BORN)
    case = Case.objects.get(migrant=person)
    assert case.host_address == ADDRESS
    assert case.timeline.filter(kind="note").get().text == NOTE
    assert Case.objects.filter(search.case_query(PHONE)).get() == case  # the rehashed index


def test_idempotency_records_keep_no_readable_phone(org, caseworker):
    from tests.api.conftest import client_for

    api = client_for(caseworker)
    response = api.post(
        "/api/v1/migrants/",
        {"full_name_latin": "Zafar Odinaev", "citizenship": "TJ", "phone": PHONE},
        format="json",
        HTTP_IDEMPOTENCY_KEY="at-rest-1",
    )
    assert response.status_code == 201, response.content
    with connection.cursor() as cursor:
        cursor.execute("SELECT response_body FROM api_idempotencyrecord")
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert stored and PHONE_E164 not in stored and "Zafar" not in stored
    replay = api.post(
        "/api/v1/migrants/",
        {"full_name_latin": "Zafar Odinaev", "citizenship": "TJ", "phone": PHONE},
        format="json",
        HTTP_IDEMPOTENCY_KEY="at-rest-1",
    )
    assert replay.json() == response.json()


def test_the_migration_encrypts_what_was_stored_in_clear(person):
    """Rows written before the migration (plain text) are encrypted by it, once."""
    migration = importlib.import_module("cases.migrations.0017_encrypt_contact_data")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_migrant SET phone = %s, email = %s, date_of_birth = %s, "
            "phone_hash = '', birth_year = NULL WHERE id = %s",
            [PHONE_E164, EMAIL, BORN.isoformat(), person.pk],
        )

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.encrypt_existing(None, editor)
    migration.encrypt_existing(None, editor)  # a second run leaves ciphertext alone
    row = raw_row("cases_migrant", person.pk)
    assert PHONE_E164 not in row and EMAIL not in row and "1988-11-23" not in row
    person = Migrant.objects.get(pk=person.pk)
    assert (person.phone, person.email, person.date_of_birth) == (PHONE_E164, EMAIL, BORN)
    assert person.birth_year == BORN.year
    assert Migrant.objects.filter(phone_hash=person.phone_hash).count() == 1
    assert person.phone_hash


def test_comparing_an_encrypted_column_is_refused_not_silently_empty(person):
    """A filter on ciphertext would match nothing and look like "no such person"."""
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError, match="keyed hash"):
        list(Migrant.objects.filter(phone=PHONE_E164))
    assert Migrant.objects.filter(date_of_birth__isnull=False).count() == 1
