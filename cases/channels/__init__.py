"""Delivery backends behind one interface, chosen per channel by settings.REMINDER_BACKENDS.

A backend takes a rendered `Message` and returns the provider's message id, or raises
`TransientError` (try again later) or `PermanentError` (this channel will not work for this
message: fall back to the next one). Backends never log message text or addresses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


class SendError(Exception):
    """A provider refused or failed; `str()` is short and names no person."""


class TransientError(SendError):
    """Worth retrying later (timeouts, 5xx, rate limits, provider maintenance)."""


class PermanentError(SendError):
    """Retrying will not help (bad number, blocked bot, rejected text, bad credentials)."""


@dataclass(frozen=True)
class Message:
    key: str  # idempotency key: the same key is the same message
    channel: str
    to: str
    body: str
    subject: str = ""
    language: str = "en"
    meta: dict = field(default_factory=dict)


class Backend(Protocol):
    # True when sending the same key twice cannot produce two messages (so an abandoned
    # in-flight send may safely be repeated).
    idempotent: bool

    def send(self, message: Message) -> str: ...


BACKENDS = {
    "outbox": "cases.channels.outbox.OutboxBackend",
    "django": "cases.channels.email.DjangoEmailBackend",
    "smsru": "cases.channels.smsru.SmsRuBackend",
    "telegram": "cases.channels.telegram.TelegramBackend",
}
CHANNELS = ("sms", "telegram", "email")


def backend_name(channel: str) -> str:
    return settings.REMINDER_BACKENDS.get(channel, "outbox")


@cache
def _backend(name: str) -> Backend:
    if name not in BACKENDS:
        raise ImproperlyConfigured(
            f"REMINDER_BACKENDS names an unknown backend {name!r}; use one of {sorted(BACKENDS)}."
        )
    return import_string(BACKENDS[name])()


def get_backend(channel: str) -> Backend:
    return _backend(backend_name(channel))


def reset() -> None:
    """Forget built backends (tests change settings)."""
    _backend.cache_clear()
