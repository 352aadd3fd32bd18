"""What to do with one claimed reminder at send time: a pure decision, no database, no clock.

cases.delivery gathers the facts (the reminder's deadline and case, its delivery ledger, the
channels the person may be reached on), asks `decide`, and applies the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from django.utils.translation import gettext as _

from cases.models import Case, Consent, Delivery, Migrant

MIGRANT_CHANNEL_ORDER = ("telegram", "sms", "email")
# A delivery in one of these states means the message went out: never send it again.
OUT = (Delivery.State.SENT, Delivery.State.DELIVERED)
# A channel whose delivery is in one of these states may be (re)tried.
TRYABLE = (Delivery.State.RETRYING, Delivery.State.PENDING)


class Action(StrEnum):
    CANCEL = "cancel"  # the deadline is no longer open, or the case is closed
    ALREADY_SENT = "already_sent"  # a duplicate task: the ledger shows it went out
    SKIP_DEADLINE_PASSED = "skip_deadline_passed"
    DEFER = "defer"  # a migrant's reminder in quiet hours: wait until `until`
    BUSY = "busy"  # another worker is sending it right now: leave it alone
    # A worker died during a send on a backend that cannot repeat safely: fail `channel`.
    GIVE_UP_OUTCOME_UNKNOWN = "give_up_outcome_unknown"
    GIVE_UP_EVERY_CHANNEL_FAILED = "give_up_every_channel_failed"
    SKIP_NO_CONSENT = "skip_no_consent"  # no channel the migrant agreed to
    SHOW_ON_DASHBOARD = "show_on_dashboard"  # a caseworker without email: the dashboard is it
    SEND = "send"  # send on `channel` to `address`


@dataclass(frozen=True)
class Decision:
    action: Action
    channel: str = ""
    address: str = ""
    until: datetime | None = None


class LedgerRow(Protocol):
    """What the decision reads of a delivery row (one per reminder and channel)."""

    channel: str
    state: str
    claimed_at: datetime | None


def migrant_channels(migrant: Migrant, consented: set[str]) -> list[tuple[str, str]]:
    """(channel, address) the migrant may be messaged on, preferred channel first."""
    order = [migrant.preferred_channel, *MIGRANT_CHANNEL_ORDER]
    addresses = {"sms": migrant.phone, "telegram": migrant.telegram_chat_id, "email": migrant.email}
    blocked = set(migrant.do_not_contact or [])
    result = []
    for channel in dict.fromkeys(c for c in order if c):
        if channel in blocked or not addresses.get(channel):
            continue
        if channel in consented or Consent.Channel.ANY in consented:
            result.append((channel, addresses[channel]))
    return result


@dataclass(frozen=True)
class Blocker:
    """Why a migrant's reminder cannot go out, and what a caseworker can do about it."""

    reason: str
    fix: str


def why_migrant_unreachable(migrant: Migrant, consented: set[str]) -> Blocker | None:
    """The case page's honest answer; None when `migrant_channels` finds a way to send.

    The same inputs as the dispatcher's, so the page and the sender never disagree.
    """
    if migrant_channels(migrant, consented):
        return None
    addresses = {"sms": migrant.phone, "telegram": migrant.telegram_chat_id, "email": migrant.email}
    labels = dict(Consent.Channel.choices)
    blocked = set(migrant.do_not_contact or [])
    agreed = set(addresses) if Consent.Channel.ANY in consented else consented & set(addresses)
    if not agreed:
        reachable = [c for c in MIGRANT_CHANNEL_ORDER if addresses[c] and c not in blocked]
        channel = labels[reachable[0]] if reachable else _("any channel")
        return Blocker(
            _("No consent for %(channel)s.") % {"channel": channel}, _("Record consent.")
        )
    if agreed <= blocked:
        return Blocker(
            _("The migrant asked not to be contacted on the channels they consented to."),
            _("Record consent for another channel, or clear “do not contact”."),
        )
    missing = ", ".join(str(labels[c]) for c in MIGRANT_CHANNEL_ORDER if c in agreed - blocked)
    fix = (
        _("Ask the migrant to open the Telegram link on their handout.")
        if agreed - blocked == {"telegram"}
        else _("Add the contact details on the migrant's page.")
    )
    return Blocker(
        _("Consent for %(channels)s, but no address to send to.") % {"channels": missing}, fix
    )


def caseworker_channels(case: Case) -> list[tuple[str, str]]:
    if case.assignee_id and case.assignee.email and case.assignee.is_active:
        return [("email", case.assignee.email)]
    return []


def decide(
    *,
    deadline_open: bool,
    due_date: date,
    today: date,
    now: datetime,
    to_migrant: bool,
    quiet_until: datetime | None,
    ledger: Mapping[str, LedgerRow],
    options: Sequence[tuple[str, str]],
    claim_timeout: timedelta,
    is_idempotent: Callable[[str], bool],
) -> Decision:
    """Decide what happens to a claimed reminder.

    `ledger`: its deliveries by channel; `options`: (channel, address) it may go to, best
    first; `quiet_until`: when the organisation's quiet hours end, if `now` is inside them;
    `is_idempotent(channel)`: may that backend repeat a send whose outcome is unknown?
    """
    if not deadline_open:
        return Decision(Action.CANCEL)
    if any(d.state in OUT for d in ledger.values()):
        return Decision(Action.ALREADY_SENT)
    if due_date < today:
        return Decision(Action.SKIP_DEADLINE_PASSED)
    if to_migrant and quiet_until is not None:
        return Decision(Action.DEFER, until=quiet_until)
    in_flight = next((d for d in ledger.values() if d.state == Delivery.State.PENDING), None)
    if in_flight is not None:
        if in_flight.claimed_at and in_flight.claimed_at > now - claim_timeout:
            return Decision(Action.BUSY)
        if not is_idempotent(in_flight.channel):
            return Decision(Action.GIVE_UP_OUTCOME_UNKNOWN, channel=in_flight.channel)
    usable = [(c, a) for c, a in options if c not in ledger or ledger[c].state in TRYABLE]
    if in_flight is not None:  # an idempotent backend repeats the interrupted send
        usable = [(c, a) for c, a in options if c == in_flight.channel] or usable
    if usable:
        channel, address = usable[0]
        return Decision(Action.SEND, channel=channel, address=address)
    if any(d.state == Delivery.State.FAILED for d in ledger.values()):
        return Decision(Action.GIVE_UP_EVERY_CHANNEL_FAILED)
    if to_migrant:
        return Decision(Action.SKIP_NO_CONSENT)
    return Decision(Action.SHOW_ON_DASHBOARD)
