"""A logging filter that masks personal data that slipped into a log message (a backstop only:
code logs ids, never names, phones or document numbers)."""

from __future__ import annotations

import logging
import re

_PATTERNS = [
    # E-mail addresses.
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[email]"),
    # Phone numbers: international (+, 9 to 15 digits with spaces, dashes or brackets between),
    # Russian 8-9xx format, or a bare run of 10 to 15 digits. Dates and times do not match.
    (re.compile(r"\+\d(?:[\s().-]?\d){8,14}(?!\d)"), "[phone]"),
    (re.compile(r"(?<![\d:.-])8[\s(-]*9\d\d[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)"), "[phone]"),
    (re.compile(r"(?<![\d:.-])\d{10,15}(?![\d:])"), "[phone]"),
    # Passport-like numbers: letters then digits (AA1234567, ZZ9999999CANARY, 400123456).
    (re.compile(r"\b[A-Z]{1,3}\s?\d{6,9}[A-Z]*\b"), "[document]"),
]


def scrub(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class ScrubPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not lose the record
            message = str(record.msg)
        cleaned = scrub(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True
