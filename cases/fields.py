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
    key = settings.FIELD_ENCRYPTION_KEYS[-1].encode()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


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
