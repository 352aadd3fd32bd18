"""Message texts, SMS segment counting, opt-out tokens and the provider adapters (SMS.ru and
Telegram against local HTTP servers speaking their documented APIs)."""

from __future__ import annotations

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from cases import channels, messages
from cases.channels.email import DjangoEmailBackend
from cases.channels.outbox import OutboxBackend
from cases.channels.smsru import SmsRuBackend
from cases.channels.telegram import TelegramBackend
from tests.reminder_support import SmsRuStub

SMS = channels.Message("r1-sms", "sms", "+992931234567", "Hello", language="en")


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("{" * 80, "GSM-7", 160, 1),  # extension characters take two septets
        ("€" * 81, "GSM-7", 162, 2),
        ("я" * 70, "UCS-2", 70, 1),
        ("я" * 71, "UCS-2", 71, 2),
        ("я" * 134, "UCS-2", 134, 2),
        ("я" * 135, "UCS-2", 135, 3),
        ("a" * 69 + "ӯ", "UCS-2", 70, 1),  # one Tajik letter makes the whole SMS UCS-2
        ("🙂" * 35, "UCS-2", 70, 1),  # outside the BMP: two code units each
    ],
)
def test_sms_length_counts_like_an_operator(text, encoding, units, segments):
    length = messages.sms_length(text)
    assert (length.encoding, length.units, length.segments) == (encoding, units, segments)


@pytest.mark.parametrize("language", messages.LANGUAGES)
def test_migrant_text_in_every_language_carries_links_and_no_reason(language, settings):
    settings.SITE_URL = "https://h.example"
    text = messages.migrant_text(language=language, due=date(2026, 6, 12), days=3, migrant_id=42)
    assert text.startswith("Hamroh: ")
    assert "12.06" in text and "https://h.example/m/" in text
    assert "https://h.example/optout/" in text
    token = text.rsplit("/optout/", 1)[1].rstrip("/")
    assert messages.migrant_from_token(token) == 42
    # Lock-screen safe: nothing about the problem, the law or the person.
    for word in ("регистр", "ban", "запрет", "patent", "патент", "42"):
        assert word not in text.split("/optout/")[0].lower()
    assert messages.sms_length(text).segments <= 3


def test_english_and_uzbek_stay_in_gsm7(settings):
    settings.SITE_URL = "https://h.example"
    for language in ("en", "uz"):
        text = messages.migrant_text(language=language, due=date(2026, 6, 12), days=0, migrant_id=7)
        assert messages.sms_length(text).encoding == "GSM-7"


def test_when_text_says_today_tomorrow_or_in_n_days():
    assert messages.when_text(language="ru", days=0) == "сегодня"
    assert messages.when_text(language="ky", days=1) == "эртең"
    assert messages.when_text(language="en", days=5) == "in 5 days"
    assert messages.when_text(language="xx", days=1) == "завтра"  # unknown → Russian


def test_tampered_optout_token_is_refused():
    token = messages.optout_token(42)
    assert messages.migrant_from_token(token) == 42
    value, signature = token.split(":")
    assert messages.migrant_from_token(f"{int(value, 16) + 1:x}:{signature}") is None
    assert messages.migrant_from_token("garbage") is None
    assert len(signature) == 16


def test_outbox_writes_one_file_per_key(settings, tmp_path):
    settings.REMINDER_OUTBOX_DIR = tmp_path
    backend = OutboxBackend()
    assert backend.send(SMS) == "outbox:r1-sms"
    backend.send(SMS)  # same key: same file
    files = list(tmp_path.glob("*.json"))
    assert len(files) == 1
    assert json.loads(files[0].read_text())["body"] == "Hello"


def test_django_email_backend_sends_through_django_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = channels.Message("r2-email", "email", "cw@example.org", "Body", subject="Due")
    message_id = DjangoEmailBackend().send(message)
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Due"
    assert mail.outbox[0].extra_headers["Message-ID"] == message_id


@pytest.fixture
def smsru(settings):
    settings.SMSRU_API_ID = "key-1"
    settings.SMSRU_FROM = "Hamroh"
    with SmsRuStub() as stub:
        settings.SMSRU_API_URL = stub.url
        yield stub


def test_smsru_accepts_and_returns_the_sms_id(smsru):
    assert SmsRuBackend().send(SMS) == "000000-00000001"
    (request,) = smsru.requests
    assert request == {
        "path": "/sms/send",
        "api_id": "key-1",
        "to": "992931234567",
        "msg": "Hello",
        "json": "1",
        "from": "Hamroh",
    }


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ((500, None), channels.TransientError),
        ((503, {"status": "ERROR"}), channels.TransientError),
        ((429, None), channels.TransientError),
        ((400, None), channels.PermanentError),
        ((403, None), channels.PermanentError),
        (SmsRuStub.rejected("992931234567", 207), channels.PermanentError),
        (SmsRuStub.rejected("992931234567", 202), channels.PermanentError),
        (SmsRuStub.rejected("992931234567", 220), channels.TransientError),
        (SmsRuStub.rejected("992931234567", 201), channels.TransientError),
        ((200, {"status": "ERROR", "status_code": 200, "status_text": "bad api_id"}),
         channels.PermanentError),
        ((200, {"status": "ERROR", "status_code": 500}), channels.TransientError),
    ],
)  # fmt: skip
def test_smsru_errors_are_mapped_to_retryable_or_permanent(smsru, answer, error):
    smsru.answers.append(answer)
    with pytest.raises(error):
        SmsRuBackend().send(SMS)


def test_smsru_unreachable_is_transient(settings):
    settings.SMSRU_API_ID = "key-1"
    settings.SMSRU_API_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(channels.TransientError):
        SmsRuBackend().send(SMS)


def test_smsru_without_credentials_refuses_to_start(settings):
    settings.SMSRU_API_ID = ""
    with pytest.raises(ImproperlyConfigured):
        SmsRuBackend()


class TelegramStub:
    def __init__(self, answers):
        self.answers, self.requests = list(answers), []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stub.requests.append((self.path, body))
                status, answer = stub.answers.pop(0)
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        ((200, {"ok": True, "result": {"message_id": 77}}), "77"),
        ((429, {"ok": False, "error_code": 429, "description": "Too Many Requests"}),
         channels.TransientError),
        ((403, {"ok": False, "error_code": 403, "description": "bot was blocked by the user"}),
         channels.PermanentError),
        ((400, {"ok": False, "error_code": 400, "description": "chat not found"}),
         channels.PermanentError),
        ((502, {}), channels.TransientError),
    ],
)  # fmt: skip
def test_telegram_send_message(settings, answer, outcome):
    stub = TelegramStub([answer])
    settings.TELEGRAM_BOT_TOKEN = "123:abc"
    settings.TELEGRAM_API_URL = stub.url
    message = channels.Message("r3-telegram", "telegram", "555", "Hi")
    try:
        if isinstance(outcome, str):
            assert TelegramBackend().send(message) == outcome
        else:
            with pytest.raises(outcome):
                TelegramBackend().send(message)
        path, body = stub.requests[0]
        assert path == "/bot123:abc/sendMessage"
        assert body["chat_id"] == "555" and body["text"] == "Hi"
    finally:
        stub.close()


def test_unknown_backend_name_is_a_configuration_error(settings):
    settings.REMINDER_BACKENDS = {"sms": "pigeon"}
    channels.reset()
    try:
        with pytest.raises(ImproperlyConfigured):
            channels.get_backend("sms")
    finally:
        channels.reset()
