"""The send-time decision for one claimed reminder: a pure function, tested without a database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from cases.models import Consent, Migrant
from cases.send_decision import Action, Decision, decide, migrant_channels

NOW = datetime(2026, 6, 8, 7, 0, tzinfo=UTC)
TODAY = date(2026, 6, 8)
TIMEOUT = timedelta(minutes=10)
SMS = ("sms", "+992931234567")
TELEGRAM = ("telegram", "12345")


@dataclass(frozen=True)
class Row:
    channel: str
    state: str
    claimed_at: datetime | None = None


def ledger(*rows: Row) -> dict[str, Row]:
    return {row.channel: row for row in rows}


def decision(**overrides) -> Decision:
    """What happens to a migrant's reminder due in four days, sendable by Telegram then SMS."""
    facts = {
        "deadline_open": True,
        "due_date": TODAY + timedelta(days=4),
        "today": TODAY,
        "now": NOW,
        "to_migrant": True,
        "quiet_until": None,
        "ledger": {},
        "options": [TELEGRAM, SMS],
        "claim_timeout": TIMEOUT,
        "is_idempotent": lambda channel: False,
    }
    return decide(**(facts | overrides))


def test_sends_on_the_first_usable_channel():
    assert decision() == Decision(Action.SEND, channel="telegram", address="12345")


def test_a_closed_case_or_deadline_cancels_before_anything_else():
    assert decision(deadline_open=False, ledger=ledger(Row("sms", "sent"))).action == Action.CANCEL


@pytest.mark.parametrize("state", ["sent", "delivered"])
def test_a_reminder_already_out_is_never_sent_twice(state):
    got = decision(ledger=ledger(Row("sms", state)), due_date=TODAY - timedelta(days=1))
    assert got.action == Action.ALREADY_SENT


def test_a_passed_deadline_is_skipped():
    assert decision(due_date=TODAY - timedelta(days=1)).action == Action.SKIP_DEADLINE_PASSED
    assert decision(due_date=TODAY).action == Action.SEND  # due today still goes out


def test_quiet_hours_defer_the_migrant_but_not_the_caseworker():
    opens = NOW + timedelta(hours=2)
    assert decision(quiet_until=opens) == Decision(Action.DEFER, until=opens)
    assert decision(quiet_until=opens, to_migrant=False).action == Action.SEND


def test_a_fresh_claim_by_another_worker_is_left_alone():
    row = Row("telegram", "pending", claimed_at=NOW - TIMEOUT + timedelta(seconds=1))
    assert decision(ledger=ledger(row)).action == Action.BUSY


def test_an_abandoned_send_on_a_backend_that_cannot_repeat_gives_up():
    row = Row("sms", "pending", claimed_at=NOW - TIMEOUT - timedelta(seconds=1))
    got = decision(ledger=ledger(row))
    assert got == Decision(Action.GIVE_UP_OUTCOME_UNKNOWN, channel="sms")


def test_an_abandoned_send_on_an_idempotent_backend_repeats_on_the_same_channel():
    row = Row("sms", "pending", claimed_at=None)
    got = decision(ledger=ledger(row), is_idempotent=lambda channel: channel == "sms")
    assert got == Decision(Action.SEND, channel="sms", address=SMS[1])


def test_a_failed_channel_falls_back_to_the_next_and_a_retrying_one_is_tried_again():
    assert decision(ledger=ledger(Row("telegram", "failed"))).channel == "sms"
    assert decision(ledger=ledger(Row("telegram", "retrying"))).channel == "telegram"


def test_every_channel_failed_gives_up():
    rows = ledger(Row("telegram", "failed"), Row("sms", "failed"))
    assert decision(ledger=rows).action == Action.GIVE_UP_EVERY_CHANNEL_FAILED


def test_no_usable_channel_skips_the_migrant_and_shows_the_caseworker_on_the_dashboard():
    assert decision(options=[]).action == Action.SKIP_NO_CONSENT
    assert decision(options=[], to_migrant=False).action == Action.SHOW_ON_DASHBOARD


def test_migrant_channels_follow_preference_consent_and_do_not_contact():
    migrant = Migrant(
        phone="+992931234567",
        telegram_chat_id="12345",
        email="m@example.org",
        preferred_channel="sms",
        do_not_contact=["email"],
    )
    assert migrant_channels(migrant, {Consent.Channel.ANY}) == [SMS, TELEGRAM]
    assert migrant_channels(migrant, {"telegram", "email"}) == [TELEGRAM]
    assert migrant_channels(migrant, set()) == []
