"""Phone numbers as migrants write them, normalised to E.164 with `phonenumbers`."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext as _

# Numbers written without a country code are read as Russian ones: that is where migrants are.
DEFAULT_REGION = "RU"


def normalise(raw: str, region: str = DEFAULT_REGION) -> str:
    """'+992 93 555 1234', '8 (916) 123-45-67' → '+992935551234', '+79161234567'."""
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(_("This is not a phone number.")) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(_("This phone number is not valid: check the country code and digits."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def try_normalise(raw: str) -> str | None:
    try:
        return normalise(raw)
    except ValueError:
        return None
