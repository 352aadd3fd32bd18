"""SMS through SMS.ru's HTTP API, method sms/send (https://sms.ru/api/send).

POST {SMSRU_API_URL}/sms/send with api_id, to, msg, json=1 (and optionally from, test).
The answer is JSON: a request-level `status`/`status_code`, then per number
`sms[<number>] = {status, status_code, sms_id | status_text}`. Code 100 means accepted.
Errors are mapped to retryable (network, HTTP 5xx, provider busy, limits that reset) or
permanent (bad number, stop list, rejected text, bad credentials).
"""

from __future__ import annotations

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cases.channels import Message, PermanentError, TransientError

ACCEPTED = 100
# Codes worth another try later: balance can be topped up, limits reset, the service returns.
RETRYABLE_CODES = {
    201,  # not enough money on the account
    206,  # daily message limit reached
    220,  # service temporarily unavailable
    230,  # daily limit for this number
    231,  # same message to this number too often in a minute
    500,  # provider error
}


class SmsRuBackend:
    idempotent = False

    def __init__(self) -> None:
        if not settings.SMSRU_API_ID:
            raise ImproperlyConfigured("SMS via smsru needs SMSRU_API_ID.")
        self.url = settings.SMSRU_API_URL.rstrip("/") + "/sms/send"

    def send(self, message: Message) -> str:
        number = message.to.lstrip("+")
        data = {"api_id": settings.SMSRU_API_ID, "to": number, "msg": message.body, "json": 1}
        if settings.SMSRU_FROM:
            data["from"] = settings.SMSRU_FROM
        if settings.SMSRU_TEST:
            data["test"] = 1
        try:
            response = requests.post(self.url, data=data, timeout=settings.PROVIDER_TIMEOUT_SECONDS)
        except requests.RequestException as exc:
            raise TransientError(f"SMS.ru unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientError(f"SMS.ru HTTP {response.status_code}")
        if response.status_code >= 400:
            raise PermanentError(f"SMS.ru HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError as exc:
            raise TransientError("SMS.ru answered with something other than JSON") from exc
        return self._parse(answer, number)

    @staticmethod
    def _parse(answer: dict, number: str) -> str:
        result = (answer.get("sms") or {}).get(number) if answer.get("status") == "OK" else None
        if result is None:
            result = answer  # a request-level error (credentials, method, ...)
        code = int(result.get("status_code") or 0)
        if result.get("status") == "OK" and code == ACCEPTED and result.get("sms_id"):
            return str(result["sms_id"])
        error = TransientError if code in RETRYABLE_CODES else PermanentError
        raise error(f"SMS.ru code {code}")
