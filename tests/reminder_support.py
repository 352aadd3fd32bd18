"""Shared pieces for the reminder tests: a small world of organisation, caseworker, migrant and
case built through the real services, and a local HTTP server speaking SMS.ru's sms/send API
(the only stand-in: the real provider is on the internet)."""

from __future__ import annotations

import json
import threading
from collections import deque
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import parse_qs

from accounts.models import User
from cases import scheduling, services
from cases.models import Consent, Deadline, Membership, Organisation


def make_world(*, language: str = "tg", consent: str | None = "sms", code: str = "TST"):
    org = Organisation.objects.create(
        name=f"Org {code}", slug=code.lower(), code=code, timezone="Europe/Moscow"
    )
    user = User.objects.create_user(
        f"cw-{code.lower()}", email=f"cw-{code.lower()}@example.org", password="x" * 16
    )
    Membership.objects.create(user=user, organisation=org, role=Membership.Role.CASEWORKER)
    migrant = services.create_migrant(
        organisation=org,
        by=user,
        full_name_latin="Rustam Nazarov",
        full_name_cyrillic="Рустам Назаров",
        citizenship="TJ",
        phone="+992931234567",
        email="migrant@example.org",
        preferred_language=language,
    )
    if consent is not None:
        Consent.objects.create(migrant=migrant, channel=consent)
    case = services.open_case(
        organisation=org,
        migrant=migrant,
        problem_type="registration",
        by=user,
        assignee=user,
    )
    return SimpleNamespace(org=org, user=user, migrant=migrant, case=case)


def make_deadline(case, *, due: date, offsets=(3, 1, 0), key: str = "registration", **extra):
    deadline = Deadline.objects.create(
        case=case,
        key=key,
        title=extra.pop("title", "Register your stay"),
        due_date=due,
        reminder_offsets=list(offsets),
        rule_key=extra.pop("rule_key", "ru.registration.7wd"),
        basis_fact="arrival_date",
        **extra,
    )
    scheduling.schedule_for_deadline(deadline=deadline)
    return deadline


class SmsRuStub:
    """A local HTTP server implementing POST /sms/send as documented by SMS.ru.

    `answers` is a queue of (http_status, json_or_None); when empty it accepts the message.
    Every request's form fields are kept in `requests`.
    """

    def __init__(self) -> None:
        self.answers: deque = deque()
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — the http.server API
                length = int(self.headers.get("Content-Length") or 0)
                fields = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                with stub.lock:
                    stub.requests.append({"path": self.path, **fields})
                    number = len(stub.requests)
                    status, body = stub.answers.popleft() if stub.answers else (200, None)
                if self.path != "/sms/send":
                    status, body = 404, {"status": "ERROR", "status_code": 211}
                if body is None and status == 200:
                    body = {
                        "status": "OK",
                        "status_code": 100,
                        "sms": {
                            fields.get("to", ""): {
                                "status": "OK",
                                "status_code": 100,
                                "sms_id": f"000000-{number:08d}",
                            }
                        },
                        "balance": 100.5,
                    }
                payload = json.dumps(body or {}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> SmsRuStub:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def rejected(number: str, code: int = 207) -> tuple[int, dict]:
        """SMS.ru's own way to refuse one number: HTTP 200, per-number ERROR."""
        return 200, {
            "status": "OK",
            "status_code": 100,
            "sms": {number: {"status": "ERROR", "status_code": code, "status_text": "refused"}},
        }


class TelegramBotApiStub:
    """A local HTTP server implementing the Bot API's POST /bot<token>/sendMessage.

    Accepts every message and keeps its JSON body (with the path) in `requests`.
    """

    def __init__(self, token: str) -> None:
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — the http.server API
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with stub.lock:
                    stub.requests.append({"path": self.path, **body})
                    number = len(stub.requests)
                if self.path == f"/bot{token}/sendMessage":
                    status, answer = 200, {"ok": True, "result": {"message_id": number}}
                else:
                    status, answer = (
                        404,
                        {"ok": False, "error_code": 404, "description": "Not Found"},
                    )
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> TelegramBotApiStub:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
