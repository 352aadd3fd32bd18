"""Reminder texts: short, translated, and safe on a lock screen or a shared phone.

A migrant's message says *what to do* (open your list, the date), never *why*: no problem
type, status, ban or name, because an employer may read the phone. Every message carries the
portal link and an opt-out link. SMS length is counted the way operators bill it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import cache

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

# The languages a migrant's messages are written in (catalogues in locale/<lang>); the texts
# themselves are gettext entries, reviewed like every other translation.
LANGUAGES = ("ru", "tg", "uz", "ky", "en")
FALLBACK = "ru"
# GSM-7 has no ʻ or ʼ: Uzbek SMS use the ASCII apostrophe so they stay one 160-character part.
_GSM_APOSTROPHES = str.maketrans({"ʻ": "'", "ʼ": "'", "‘": "'", "’": "'"})


def _lang(language: str) -> str:
    return language if language in LANGUAGES else FALLBACK


def when_text(*, language: str, days: int) -> str:
    with translation.override(_lang(language)):
        if days <= 0:
            return pgettext("deadline is", "today")
        if days == 1:
            return pgettext("deadline is", "tomorrow")
        return ngettext("in %(n)d day", "in %(n)d days", days) % {"n": days}


def portal_url() -> str:
    return f"{settings.SITE_URL.rstrip('/')}/m/"


class _ShortSigner(signing.Signer):
    """An HMAC-SHA256 signature cut to 16 characters (96 bits): enough for an opt-out link,
    and short enough to keep an SMS in fewer segments."""

    def signature(self, value, key=None):
        return super().signature(value, key)[:16]


_OPTOUT_SALT = "hamroh.optout"


def _signer() -> _ShortSigner:
    return _ShortSigner(salt=_OPTOUT_SALT)


def optout_token(migrant_id: int) -> str:
    return _signer().sign(format(migrant_id, "x"))


def migrant_from_token(token: str) -> int | None:
    try:
        return int(_signer().unsign(token), 16)
    except (signing.BadSignature, ValueError):
        return None


@cache
def _optout_path_template() -> str:
    return reverse("cases:optout", args=["TOKEN"])  # resolved once: thousands per batch


def optout_url(migrant_id: int) -> str:
    path = _optout_path_template().replace("TOKEN", optout_token(migrant_id))
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def migrant_text(*, language: str, due: date, days: int, migrant_id: int) -> str:
    lang = _lang(language)
    with translation.override(lang):
        # Translators: an SMS read on a lock screen: say what to do, never why. Keep it short.
        text = gettext(
            "Hamroh: a deadline is %(when)s (%(date)s). Open your list: %(portal)s "
            "Stop messages: %(optout)s"
        ) % {
            "when": when_text(language=lang, days=days),
            "date": due.strftime("%d.%m"),
            "portal": portal_url(),
            "optout": optout_url(migrant_id),
        }
    return text.translate(_GSM_APOSTROPHES) if lang == "uz" else text


def caseworker_text(
    *, language: str, title: str, number: str, due: date, days: int, case_url: str
) -> tuple[str, str]:
    """Subject and body of a caseworker's reminder email: the case number and deadline title,
    never the migrant's name (mailboxes get forwarded)."""
    lang = language if language in ("ru", "en") else FALLBACK  # the caseworker UI's languages
    with translation.override(lang):
        values = {
            "title": title,
            "number": number,
            "date": due.strftime("%d.%m.%Y"),
            "when": when_text(language=lang, days=days),
        }
        subject = gettext("Deadline %(when)s: %(title)s (%(number)s)") % values
        body = gettext("The deadline “%(title)s” on case %(number)s is due %(date)s (%(when)s).")
        return subject, body % values + f"\n{case_url}\n"


# --- SMS length ---------------------------------------------------------------------------
# GSM 03.38 basic character set (one septet each) and its extension table (two septets).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    per_segment: int


def sms_length(text: str) -> SmsLength:
    """Segments an operator bills: GSM-7 160 alone / 153 per part, UCS-2 70 / 67.

    Cyrillic (Russian, Tajik, Kyrgyz) is never GSM-7, so those messages are UCS-2.
    """
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text):
        units = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2  # characters outside the BMP take two
        single, multi, encoding = 70, 67, "UCS-2"
    if units <= single:
        return SmsLength(encoding, units, 1 if units else 0, single)
    return SmsLength(encoding, units, math.ceil(units / multi), multi)
