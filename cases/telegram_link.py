"""Linking a migrant's Telegram chat: a one-time start code, and the bot's webhook updates.

The handout and the portal offer t.me/<bot>?start=<code>. When the migrant presses Start,
Telegram sends us "/start <code>": the chat is bound to the migrant and their Telegram consent
is recorded (how: by Telegram). "/stop" withdraws it. Each update_id is handled once, since
Telegram redelivers an update until it gets a 200.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import consent
from cases.models import Consent, Migrant, TelegramStartCode, TelegramUpdate

# What the bot answers, in the migrant's language (Uzbek with ASCII apostrophes, as in SMS).
LINKED = {
    "ru": "Готово: напоминания о сроках будут приходить сюда. Чтобы отказаться, отправьте /stop.",
    "tg": "Тайёр: ёдраскуниҳо дар бораи мӯҳлатҳо ба ин ҷо меоянд. Барои қатъ /stop фиристед.",
    "uz": "Tayyor: muddatlar haqidagi eslatmalar shu yerga keladi. "
    "To'xtatish uchun /stop yuboring.",
    "ky": "Даяр: мөөнөттөр жөнүндө эскертүүлөр бул жерге келет. Токтотуу үчүн /stop жөнөтүңүз.",
    "en": "Done: deadline reminders will come here. To stop them, send /stop.",
}
STOPPED = {
    "ru": "Напоминания в Telegram отключены.",
    "tg": "Ёдраскуниҳо дар Telegram қатъ карда шуданд.",
    "uz": "Telegramdagi eslatmalar o'chirildi.",
    "ky": "Telegramдагы эскертүүлөр өчүрүлдү.",
    "en": "Telegram reminders are switched off.",
}
UNKNOWN_CODE = (
    "Ссылка устарела или уже использована. Попросите новую у своего консультанта. / "
    "This link has expired or was already used: ask your caseworker for a new one."
)


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _text(table: dict[str, str], language: str) -> str:
    return table.get(language, table["ru"])


def issue_start_code(migrant: Migrant) -> str:
    """A fresh one-time code (the link is `start_url(code)`); only its hash is kept."""
    code = secrets.token_urlsafe(24)  # 32 characters of [A-Za-z0-9_-], as Telegram allows
    TelegramStartCode.objects.create(
        migrant=migrant,
        code_hash=_hash(code),
        expires_at=timezone.now() + timedelta(days=settings.TELEGRAM_START_CODE_DAYS),
    )
    return code


def start_url(code: str) -> str:
    return f"https://t.me/{settings.TELEGRAM_BOT_USERNAME}?start={code}"


def linking_enabled() -> bool:
    return bool(settings.TELEGRAM_BOT_USERNAME)


@dataclass(frozen=True)
class Reply:
    chat_id: int
    text: str

    def as_webhook_answer(self) -> dict[str, Any]:
        """Telegram accepts a method call as the webhook's answer: no second request needed."""
        return {"method": "sendMessage", "chat_id": self.chat_id, "text": self.text}


def handle_update(update: dict[str, Any]) -> Reply | None:
    """Handle one webhook update (once per update_id); what to answer, if anything."""
    update_id = update.get("update_id")
    message = update.get("message") or {}
    chat_id = (message.get("chat") or {}).get("id")
    text = (message.get("text") or "").strip()
    if not isinstance(update_id, int) or not isinstance(chat_id, int):
        return None
    try:
        with transaction.atomic():
            TelegramUpdate.objects.create(update_id=update_id)
            command, _space, argument = text.partition(" ")
            command = command.lower()  # a handout may print it in capitals; the code is exact
            if command == "/start":
                return _start(chat_id, argument.strip())
            if command == "/stop":
                return _stop(chat_id)
    except IntegrityError:
        return None  # a redelivery of an update already handled
    return None


def _start(chat_id: int, code: str) -> Reply:
    now = timezone.now()
    start = (
        TelegramStartCode.objects.select_for_update()
        .select_related("migrant__organisation")
        .filter(code_hash=_hash(code), used_at=None, expires_at__gt=now)
        .first()
        if code
        else None
    )
    if start is None:
        return Reply(chat_id, UNKNOWN_CODE)
    start.used_at = now
    start.save(update_fields=["used_at"])
    migrant = start.migrant
    migrant.telegram_chat_id = str(chat_id)
    migrant.save(update_fields=["telegram_chat_id", "updated_at"])
    consent.give_consent(
        migrant=migrant, channel=Consent.Channel.TELEGRAM, method=Consent.Method.TELEGRAM, by=None
    )
    return Reply(chat_id, _text(LINKED, migrant.preferred_language))


def _stop(chat_id: int) -> Reply:
    language = "ru"
    for migrant in Migrant.objects.filter(telegram_chat_id=str(chat_id)):
        consent.withdraw_consent(
            migrant=migrant, channel=Consent.Channel.TELEGRAM, by=None, source="telegram"
        )
        language = migrant.preferred_language
    return Reply(chat_id, _text(STOPPED, language))
