"""What a notification text gives away on a lock screen or a shared phone."""

from __future__ import annotations

from cases.models import Migrant
from cases.privacy.registry import identifier_tokens

# Words that reveal why someone is being helped. A reminder says what to do, never why.
STATUS_WORDS = (
    "ban",
    "deport",
    "traffick",
    "illegal",
    "detention",
    "police",
    "запрет",
    "депорт",
    "выдвор",
    "нелегал",
    "торговл",
    "задерж",
    "полиц",
    "арест",
    "мамнӯъ",  # tg: forbidden
    "taqiq",  # uz: ban
    "тыюу",  # ky: ban
)


def notification_leaks(text: str, *, migrant: Migrant | None = None) -> list[str]:
    """What a notification text gives away: status words and the migrant's identifiers.

    The delivery refuses to send a migrant's reminder whose text has any (cases.delivery); an
    empty list means the text is safe to show on a lock screen.
    """
    lowered = text.lower()
    leaks = [word for word in STATUS_WORDS if word in lowered]
    if migrant is not None:
        leaks += [token for token in identifier_tokens(migrant) if token.lower() in lowered]
        if migrant.passport_number and migrant.passport_number[-4:] in text:
            leaks.append("passport digits")
    return leaks
