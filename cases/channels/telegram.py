"""Telegram Bot API, method sendMessage (https://core.telegram.org/bots/api#sendmessage).

POST {TELEGRAM_API_URL}/bot<token>/sendMessage with chat_id and text; the answer is
{"ok": true, "result": {"message_id": ...}} or {"ok": false, "error_code", "description"}.
429 (flood control) and 5xx are retryable; 400 (chat not found), 403 (bot blocked by the user)
and 401 (bad token) are permanent.
"""

from __future__ import annotations

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cases.channels import Message, PermanentError, TransientError


class TelegramBackend:
    idempotent = False

    def __init__(self) -> None:
        if not settings.TELEGRAM_BOT_TOKEN:
            raise ImproperlyConfigured("Telegram reminders need TELEGRAM_BOT_TOKEN.")
        base = settings.TELEGRAM_API_URL.rstrip("/")
        self.url = f"{base}/bot{settings.TELEGRAM_BOT_TOKEN}/sendMessage"

    def send(self, message: Message) -> str:
        payload = {
            "chat_id": message.to,
            "text": message.body,
            "link_preview_options": {"is_disabled": True},
        }
        try:
            response = requests.post(
                self.url, json=payload, timeout=settings.PROVIDER_TIMEOUT_SECONDS
            )
        except requests.RequestException as exc:
            # The exception text would contain the URL, and so the token: report the type only.
            raise TransientError(f"Telegram unreachable: {type(exc).__name__}") from None
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code == 200 and answer.get("ok"):
            return str(answer["result"]["message_id"])
        code = int(answer.get("error_code") or response.status_code)
        if code == 429 or code >= 500:
            raise TransientError(f"Telegram {code}")
        raise PermanentError(f"Telegram {code}")
