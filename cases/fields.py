"""Encrypted-at-rest fields and keyed hashes for exact-match search of secrets."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        # Refuse rather than show ciphertext or lose data: the key is wrong or missing.
        raise ImproperlyConfigured(
            "An encrypted field cannot be read with FIELD_ENCRYPTION_KEYS: wrong or missing key."
        ) from exc


def keyed_hash(value: str) -> str:
    """A stable HMAC of a normalised secret, for exact-match lookups without decrypting."""
    normalised = "".join(value.split()).upper()
    if not normalised:
        return ""
    # FIELD_HASH_KEY survives rotation of the encryption keys; without it the oldest key is used
    # (then run `rotate_field_keys --rehash` after dropping that key).
    key = (settings.FIELD_HASH_KEY or settings.FIELD_ENCRYPTION_KEYS[-1]).encode()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def phone_hashes(e164: str) -> tuple[str, str]:
    """Keyed hashes of a normalised phone number: the whole number and its last nine digits.

    The tail finds a number typed without its country code ("93 555 0001" for +992935550001);
    nine digits is the national number of TJ, UZ and KG and all but the first digit of RU's.
    """
    digits = "".join(ch for ch in e164 if ch.isdigit())
    if not digits:
        return "", ""
    return keyed_hash(e164), keyed_hash("TAIL" + digits[-9:])


def encrypted_fields() -> list[tuple[type[models.Model], models.Field]]:
    """Every encrypted column of every model (historical tables included)."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, Encrypted)
    ]


def verify_keys(*, using: str = "default") -> list[str]:
    """Problems with FIELD_ENCRYPTION_KEYS; empty when every key parses and stored data decrypts.

    A canary: one stored ciphertext per encrypted column is decrypted. A wrong key must stop
    the application before it writes data that the right key cannot read.
    """
    from django.db import DatabaseError, connections

    if not settings.FIELD_ENCRYPTION_KEYS:
        return ["FIELD_ENCRYPTION_KEYS is empty."]
    try:
        box = fernet()
    except ImproperlyConfigured as exc:
        return [str(exc)]
    problems = []
    connection = connections[using]
    try:
        tables = set(connection.introspection.table_names())
        for model, field in encrypted_fields():
            if model._meta.db_table not in tables:
                continue
            with connection.cursor() as cursor:
                qn = connection.ops.quote_name
                cursor.execute(
                    f"SELECT {qn(field.column)} FROM {qn(model._meta.db_table)} "  # noqa: S608
                    f"WHERE {qn(field.column)} <> '' LIMIT 1"
                )
                row = cursor.fetchone()
            if row is None:
                continue
            try:
                box.decrypt(row[0].encode())
            except InvalidToken:
                problems.append(
                    f"{model._meta.label}.{field.name} cannot be decrypted with "
                    "FIELD_ENCRYPTION_KEYS: wrong or missing key."
                )
    except DatabaseError:
        return problems  # no database yet (first migrate): nothing stored to check
    return problems


class Encrypted(models.Field):
    """Stores Fernet ciphertext in a text column; Python code sees the plain value.

    Empty stays empty and NULL stays NULL. The ciphertext differs on every save, so the database
    cannot compare, order or index these columns: exact lookups go through a keyed hash beside the
    field (`keyed_hash`, `phone_hashes`).
    """

    def get_internal_type(self) -> str:
        return "TextField"  # ciphertext is longer than any max_length of the plain value

    def get_lookup(self, lookup_name):
        # A comparison with ciphertext matches nothing, silently: refuse it instead.
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted and cannot be compared in the "
                "database; look it up by its keyed hash (cases.fields)."
            )
        return super().get_lookup(lookup_name)

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return self.from_plaintext(decrypt(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return value

    def get_prep_value(self, value):
        value = self.to_python(value)
        if value is None or value == "":
            return value
        return encrypt(self.to_plaintext(value))

    def to_plaintext(self, value: Any) -> str:
        return str(value)

    def from_plaintext(self, text: str) -> Any:
        return text


class EncryptedTextField(Encrypted, models.TextField):
    pass


class EncryptedCharField(Encrypted, models.CharField):
    """A short encrypted value; `max_length` bounds the plain value (forms, validation)."""


class EncryptedEmailField(Encrypted, models.EmailField):
    pass


class EncryptedDateField(Encrypted, models.DateField):
    def to_plaintext(self, value: datetime.date) -> str:
        return value.isoformat()

    def from_plaintext(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)


class EncryptedJSONField(Encrypted, models.TextField):
    """A JSON value (dicts, lists, strings, numbers) stored as encrypted text."""

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def from_plaintext(self, text: str) -> Any:
        return json.loads(text)
