"""The migrant on the portal: a Telegram start link, and stopping reminder messages."""

from __future__ import annotations

from audit.models import AuditEvent
from cases import consent
from cases.models import TelegramStartCode


def test_the_portal_offers_a_one_time_telegram_link(client, issued, settings):
    settings.TELEGRAM_BOT_USERNAME = "hamroh_test_bot"
    page = client.get(issued.path).content.decode()
    assert "telegram/" in page
    response = client.post(issued.path + "telegram/")
    assert response.status_code == 303
    assert response["Location"].startswith("https://t.me/hamroh_test_bot?start=")
    assert TelegramStartCode.objects.filter(migrant=issued.link.case.migrant).count() == 1


def test_without_a_bot_there_is_no_telegram_link(client, issued, settings):
    settings.TELEGRAM_BOT_USERNAME = ""
    assert client.post(issued.path + "telegram/").status_code == 404


def test_the_migrant_stops_reminder_messages_on_the_portal(client, issued):
    migrant = issued.link.case.migrant
    consent.give_consent(migrant=migrant, channel="sms", by=None, method="in_person")
    assert "stop-messages/" in client.get(issued.path).content.decode()
    response = client.post(issued.path + "stop-messages/")
    assert response.status_code == 303 and response["Location"].endswith("#messages")
    assert not consent.has_consent(migrant, "sms")
    assert AuditEvent.objects.get(action="consent.withdrawn").detail["source"] == "portal"
    assert "stop-messages/" not in client.get(issued.path).content.decode()
