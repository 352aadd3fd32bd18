"""Telegram linking end to end: the handout's start link, the webhook binding the chat and
recording consent, a reminder through the real Telegram backend to a local Bot API, /stop."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from audit.models import AuditEvent
from cases import channels, consent, telegram_link
from cases.dispatch import dispatch_due
from cases.models import Consent
from cases.tasks import send_reminders
from tests.reminder_support import TelegramBotApiStub, make_deadline, make_world

TOKEN = "123456:TEST"
SECRET = "webhook-secret-for-tests"
MONDAY_10_MSK = datetime(2026, 6, 8, 7, 0, tzinfo=UTC)
CHAT = 987654321


@pytest.fixture
def bot(settings):
    with TelegramBotApiStub(TOKEN) as stub:
        settings.TELEGRAM_BOT_TOKEN = TOKEN
        settings.TELEGRAM_API_URL = stub.url
        settings.TELEGRAM_BOT_USERNAME = "hamroh_test_bot"
        settings.TELEGRAM_WEBHOOK_SECRET = SECRET
        settings.REMINDER_BACKENDS = {"sms": "outbox", "telegram": "telegram", "email": "outbox"}
        channels.reset()
        yield stub
    channels.reset()


@pytest.fixture
def world(db, settings, tmp_path):
    settings.REMINDER_OUTBOX_DIR = tmp_path / "outbox"
    with time_machine.travel(MONDAY_10_MSK, tick=False):
        yield make_world(consent=None)


def _update(update_id: int, text: str) -> dict:
    return {"update_id": update_id, "message": {"chat": {"id": CHAT}, "text": text}}


def _post(client, body, secret=SECRET):
    return client.post(
        "/telegram/webhook/",
        body,
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=secret,
    )


def test_start_links_a_reminder_arrives_and_stop_withdraws(
    client, bot, world, django_capture_on_commit_callbacks
):
    code = telegram_link.issue_start_code(world.migrant)
    assert telegram_link.start_url(code) == f"https://t.me/hamroh_test_bot?start={code}"

    answer = _post(client, _update(1, f"/start {code}"))
    assert answer.status_code == 200 and answer.json()["chat_id"] == CHAT
    world.migrant.refresh_from_db()
    assert world.migrant.telegram_chat_id == str(CHAT)
    given = Consent.objects.get(migrant=world.migrant, withdrawn_at=None)
    assert (given.channel, given.method, given.recorded_by) == ("telegram", "telegram", None)

    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    with time_machine.travel(MONDAY_10_MSK + timedelta(days=1, minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            dispatch_due(enqueue=send_reminders.delay)
    reminder = deadline.reminders.get(audience="migrant")
    assert reminder.state == "sent"
    sent = [r for r in bot.requests if r["path"] == f"/bot{TOKEN}/sendMessage"]
    assert [r["chat_id"] for r in sent] == [str(CHAT)] and "Hamroh" in sent[0]["text"]

    stop = _post(client, _update(2, "/STOP"))
    assert stop.status_code == 200 and "Telegram" in stop.json()["text"]
    assert not consent.has_consent(world.migrant, "telegram")
    withdrawn = AuditEvent.objects.get(action="consent.withdrawn")
    assert withdrawn.detail["source"] == "telegram"


def test_the_same_update_is_handled_once(client, bot, world):
    code = telegram_link.issue_start_code(world.migrant)
    _post(client, _update(5, f"/start {code}"))
    consent.withdraw_consent(migrant=world.migrant, channel="telegram", by=None)
    again = _post(client, _update(5, f"/start {code}"))  # Telegram redelivers
    assert again.status_code == 200 and again.content == b""
    assert not consent.has_consent(world.migrant, "telegram")


def test_a_code_works_once(client, bot, world):
    code = telegram_link.issue_start_code(world.migrant)
    _post(client, _update(1, f"/start {code}"))
    second = _post(client, _update(2, f"/start {code}"))
    assert "expired or was already used" in second.json()["text"]
    assert Consent.objects.filter(migrant=world.migrant).count() == 1


@pytest.mark.parametrize(
    ("secret", "body", "status"),
    [("wrong", {"update_id": 1}, 403), ("", {"update_id": 1}, 403), (SECRET, "[1, 2]", 400)],
)
def test_the_webhook_refuses_a_wrong_secret_and_bad_json(client, bot, world, secret, body, status):
    assert _post(client, body, secret=secret).status_code == status


def test_the_handout_offers_the_start_link(client, bot, world):
    client.force_login(world.user)
    page = client.post(f"/cases/{world.case.pk}/portal/issue/").content.decode()
    assert "https://t.me/hamroh_test_bot?start=" in page
