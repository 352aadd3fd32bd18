"""Encrypted-at-rest fields and keyed hashes for exact-match search of secrets."""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
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


def encrypted_fields() -> list[tuple[type[models.Model], models.Field]]:
    """Every encrypted column of every model (historical tables included)."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
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


class EncryptedTextField(models.TextField):
    """Stores Fernet ciphertext; Python code sees plaintext. Empty stays empty."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)
