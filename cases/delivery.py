"""Sending claimed reminders: claim a delivery, call the provider, record what it said.

The database is the source of truth: every reminder is a row with its send time and state.

    scheduled ──dispatcher claims──▶ sending ──provider accepts──▶ sent
        ▲                              │ transient error: back to scheduled, later (backoff)
        └──────────────────────────────┤ permanent error / attempts used up: next channel
                                       └ no channel left: failed + "call the migrant" task
    scheduled / sending ──met, waived, retired, case closed──▶ cancelled
    deadline passed before sending, or nothing may be sent ──▶ skipped (timeline note)

Sending is idempotent: before a provider is called the delivery row (one per reminder and
channel) is claimed (`pending` + `claimed_at`) and committed. A duplicated or retried task finds
the claim and does nothing; a claim abandoned by a dead worker is taken up again after
REMINDER_CLAIM_TIMEOUT_SECONDS — re-sent only when the backend is idempotent (same key, same
message), otherwise marked failed as "outcome unknown" rather than risk a second message.
What to do with each claimed reminder is decided by cases.send_decision; this module applies it.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases import channels, consent, messages
from cases.event_codes import coded
from cases.models import Deadline, Delivery, Reminder, Task, TimelineEvent
from cases.privacy.leaks import notification_leaks
from cases.scheduling import local_today, migrant_zone, quiet_until
from cases.send_decision import Action, Decision, caseworker_channels, decide, migrant_channels

# One logger for the whole reminder pipeline, as docs/operations.md tells operators.
logger = logging.getLogger("cases.reminders")

DASHBOARD = "dashboard"  # a caseworker without an email address sees the reminder there only
# Reminders handled per transaction inside a batch task: short row locks, few queries.
CHUNK_SIZE = 250
OUTCOME_UNKNOWN = "outcome unknown: the worker stopped during the send; not repeated"


@dataclass
class _Job:
    reminder: Reminder
    delivery: Delivery
    message: channels.Message
    leaks: list[str] = field(default_factory=list)


@dataclass
class BatchResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    deferred: int = 0
    skipped: int = 0
    cancelled: int = 0
    busy: int = 0
    released: int = 0
    fallbacks: list[int] = field(default_factory=list)


def deliver_batch(*, reminder_ids: Iterable[int]) -> BatchResult:
    """Send the claimed reminders among `reminder_ids` (one task per batch)."""
    ids = list(dict.fromkeys(int(i) for i in reminder_ids))
    result = BatchResult()
    started = time.monotonic()
    # Stop well before the claim timeout so no other worker reclaims what this one still holds.
    budget = settings.REMINDER_CLAIM_TIMEOUT_SECONDS / 2
    for index in range(0, len(ids), CHUNK_SIZE):
        if time.monotonic() - started > budget:
            rest = ids[index:]
            result.released += Reminder.objects.filter(
                pk__in=rest, state=Reminder.State.SENDING
            ).update(state=Reminder.State.SCHEDULED, claimed_at=None)
            break
        chunk = ids[index : index + CHUNK_SIZE]
        # A permanent failure falls back to the next channel at once (a few rounds at most).
        for _round in range(len(channels.CHANNELS) + 1):
            result.fallbacks = []
            _deliver_chunk(chunk, result, stop_at=started + budget)
            if not result.fallbacks:
                break
            chunk = list(result.fallbacks)
            Reminder.objects.filter(pk__in=chunk, state=Reminder.State.SCHEDULED).update(
                state=Reminder.State.SENDING, claimed_at=timezone.now()
            )
    return result


def _render(reminder: Reminder, channel: str, address: str, today: date) -> channels.Message:
    deadline, case = reminder.deadline, reminder.deadline.case
    days = (deadline.due_date - today).days
    key = f"r{reminder.pk}-{channel}"
    meta = {"reminder": reminder.pk, "audience": reminder.audience}
    if reminder.audience == Reminder.Audience.MIGRANT:
        language = case.migrant.preferred_language
        body = messages.migrant_text(
            language=language, due=deadline.due_date, days=days, migrant_id=case.migrant_id
        )
        return channels.Message(key, channel, address, body, "Hamroh", language, meta)
    language = getattr(case.assignee, "language", "en") or "en"
    subject, body = messages.caseworker_text(
        language=language,
        title=deadline.title,
        number=case.number,
        due=deadline.due_date,
        days=days,
        case_url=f"{settings.SITE_URL.rstrip('/')}{case.get_absolute_url()}",
    )
    return channels.Message(key, channel, address, body, subject, language, meta)


def _backend_is_idempotent(channel: str) -> bool:
    try:
        return channels.get_backend(channel).idempotent
    except ImproperlyConfigured:
        return False


class _Changes:
    """Field changes per row, written as one UPDATE per distinct set of values.

    Rows of a chunk mostly change the same way (sent now, cancelled, deferred to 09:00), so a
    chunk of hundreds costs a handful of statements; bulk_update's CASE per row and field was
    the bottleneck. Attempts are bumped in SQL; provider ids (one per row) in one statement.
    """

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.rows: dict[int, dict] = {}
        self.bump: set[int] = set()
        self.unbump: set[int] = set()
        self.provider_ids: dict[int, str] = {}

    def add(self, pk: int, **changes) -> None:
        self.rows.setdefault(pk, {}).update(changes)

    def save(self, now: datetime) -> None:
        groups: dict[tuple, list[int]] = defaultdict(list)
        for pk, changes in self.rows.items():
            groups[tuple(sorted(changes.items()))].append(pk)
        stamp = {"updated_at": now} if self.model is Reminder else {}
        for values, pks in groups.items():
            self.model.objects.filter(pk__in=pks).update(**dict(values), **stamp)
        if self.bump:
            self.model.objects.filter(pk__in=self.bump).update(attempts=F("attempts") + 1)
        if self.unbump:
            self.model.objects.filter(pk__in=self.unbump).update(attempts=F("attempts") - 1)
        if self.provider_ids:
            table = connection.ops.quote_name(self.model._meta.db_table)
            values = ", ".join(["(%s, %s)"] * len(self.provider_ids))
            # The table name is ours and every value is a parameter.
            sql = (
                f"WITH v(id, pid) AS (VALUES {values}) UPDATE {table} SET provider_message_id = "  # noqa: S608
                f"(SELECT pid FROM v WHERE v.id = {table}.id) WHERE id IN (SELECT id FROM v)"
            )
            params = [item for pair in self.provider_ids.items() for item in pair]
            with connection.cursor() as cursor:
                cursor.execute(sql, params)


class _Chunk:
    """What one chunk writes back: rows, timeline notes and tasks, saved in bulk."""

    def __init__(self) -> None:
        self.reminders = _Changes(Reminder)
        self.deliveries = _Changes(Delivery)
        self.new_deliveries: list[Delivery] = []
        self.notes: list[TimelineEvent] = []
        self.call_tasks: list[Reminder] = []

    def note(self, reminder: Reminder, message: str, **params) -> None:
        """A timeline line rendered in the reader's language (`message` is a gettext_noop msgid)."""
        self.notes.append(
            TimelineEvent(
                case=reminder.deadline.case,
                kind=TimelineEvent.Kind.REMINDER,
                data={
                    "reminder": reminder.pk,
                    "deadline": reminder.deadline_id,
                    **coded(message, **params),
                },
            )
        )

    def set(self, reminder: Reminder, state: str, error: str = "", **extra) -> None:
        changes = {"state": state, "last_error": error[:300], **extra}
        if state != Reminder.State.SENDING:
            changes["claimed_at"] = None
        for name, value in changes.items():
            setattr(reminder, name, value)
        self.reminders.add(reminder.pk, **changes)

    def delivery(self, delivery: Delivery, **changes) -> None:
        for name, value in changes.items():
            setattr(delivery, name, value)
        if "provider_message_id" in changes:
            self.deliveries.provider_ids[delivery.pk] = changes.pop("provider_message_id")
        self.deliveries.add(delivery.pk, **changes)

    def fail(self, reminder: Reminder, error: str) -> None:
        self.set(reminder, Reminder.State.FAILED, error)
        if reminder.audience == Reminder.Audience.MIGRANT:
            self.call_tasks.append(reminder)
            self.note(
                reminder, gettext_noop("Reminder not delivered on any channel: call the migrant.")
            )
        else:
            self.note(reminder, gettext_noop("Reminder to the caseworker could not be delivered."))

    def save(self, now: datetime) -> None:
        if self.new_deliveries:
            Delivery.objects.bulk_create(self.new_deliveries)
        self.reminders.save(now)
        self.deliveries.save(now)
        if self.notes:
            TimelineEvent.objects.bulk_create(self.notes)
        for reminder in self.call_tasks:
            _call_migrant_task(reminder)


def _call_migrant_task(reminder: Reminder) -> None:
    case = reminder.deadline.case
    title = _("Call the migrant: a reminder about “%(title)s” did not reach them") % {
        "title": reminder.deadline.title
    }
    Task.objects.get_or_create(
        case=case,
        kind=Task.Kind.CALL_MIGRANT,
        title=title[:200],
        done_at=None,
        defaults={"due_date": reminder.deadline.due_date, "assignee": case.assignee},
    )


# What a send needs, and no more: a batch builds thousands of these objects.
CLAIM_FIELDS = (
    *("state", "audience", "offset_days", "attempts", "last_error", "deadline"),
    *(f"deadline__{f}" for f in ("state", "due_date", "title", "case")),
    *(f"deadline__case__{f}" for f in ("status", "number", "migrant", "organisation", "assignee")),
    *(
        f"deadline__case__migrant__{f}"
        for f in (
            "phone",
            "email",
            "telegram_chat_id",
            "preferred_channel",
            "preferred_language",
            "do_not_contact",
        )
    ),
    *(
        f"deadline__case__organisation__{f}"
        for f in ("timezone", "quiet_hours_start", "quiet_hours_end")
    ),
    *(f"deadline__case__assignee__{f}" for f in ("email", "is_active", "language")),
)


def _deliver_chunk(ids: list[int], result: BatchResult, *, stop_at: float) -> None:
    now = timezone.now()
    work = _Chunk()
    # 1. Claim: lock the rows, re-check everything at send time, claim one delivery each.
    with transaction.atomic():
        jobs = _claim_chunk(ids, work=work, result=result, now=now)
        work.save(now)
    # 2. Call the providers, outside any transaction (no lock held during network I/O).
    # A slow provider must not keep claims past the claim timeout: what is left when the
    # batch's time is up goes back, unattempted, for the next tick.
    outcomes = [(job, _send(job) if time.monotonic() < stop_at else NOT_SENT) for job in jobs]
    # 3. Record what the providers said.
    done = timezone.now()
    record = _Chunk()
    with transaction.atomic():
        fresh = {
            r.pk: r
            for r in Reminder.objects.select_for_update()
            .filter(pk__in=[job.reminder.pk for job in jobs])
            .only("pk", "state", "last_error")
        }
        for job, outcome in outcomes:
            provider_id, error = outcome[:2]
            _record(
                job,
                reminder=fresh[job.reminder.pk],
                provider_id=provider_id,
                error=error,
                work=record,
                result=result,
                now=done,
                not_sent=outcome is NOT_SENT,
            )
        record.save(done)


def _claim_chunk(ids: list[int], *, work: _Chunk, result: BatchResult, now: datetime) -> list[_Job]:
    """Lock the chunk's reminders still `sending`, decide for each, claim the sends."""
    reminders = list(
        Reminder.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in=ids, state=Reminder.State.SENDING)
        .select_related("deadline__case__migrant", "deadline__case__organisation")
        .select_related("deadline__case__assignee")
        .only(*CLAIM_FIELDS)
    )
    migrant_ids = {
        r.deadline.case.migrant_id for r in reminders if r.audience == Reminder.Audience.MIGRANT
    }
    consented = consent.consented_channels(migrant_ids)
    ledger: dict[int, dict[str, Delivery]] = defaultdict(dict)
    for delivery in Delivery.objects.filter(reminder_id__in=[r.pk for r in reminders]):
        ledger[delivery.reminder_id][delivery.channel] = delivery
    jobs = []
    for reminder in reminders:
        job = _claim_one(
            reminder=reminder,
            ledger=ledger[reminder.pk],
            consented=consented.get(reminder.deadline.case.migrant_id, set()),
            work=work,
            result=result,
            now=now,
        )
        if job is not None:
            jobs.append(job)
    return jobs


def _claim_one(
    *,
    reminder: Reminder,
    ledger: dict[str, Delivery],
    consented: set[str],
    work: _Chunk,
    result: BatchResult,
    now: datetime,
) -> _Job | None:
    """Ask the decision what to do with this reminder; return the send to make, if any."""
    deadline, case = reminder.deadline, reminder.deadline.case
    organisation = case.organisation
    today = local_today(organisation, now)
    to_migrant = reminder.audience == Reminder.Audience.MIGRANT
    decision = decide(
        deadline_open=deadline.state == Deadline.State.OPEN and not case.is_closed,
        due_date=deadline.due_date,
        today=today,
        now=now,
        to_migrant=to_migrant,
        quiet_until=quiet_until(
            at=now,
            organisation=organisation,
            zone=migrant_zone(case.migrant, organisation),
            window=case.migrant.message_window,
        )
        if to_migrant
        else None,
        ledger=ledger,
        options=migrant_channels(case.migrant, consented)
        if to_migrant
        else caseworker_channels(case),
        claim_timeout=timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT_SECONDS),
        is_idempotent=_backend_is_idempotent,
    )
    if decision.action == Action.SEND:
        return _start_send(
            decision, reminder=reminder, ledger=ledger, work=work, now=now, today=today
        )
    _apply(decision, reminder=reminder, ledger=ledger, work=work, result=result, now=now)
    return None


def _apply(
    decision: Decision,
    *,
    reminder: Reminder,
    ledger: dict[str, Delivery],
    work: _Chunk,
    result: BatchResult,
    now: datetime,
) -> None:
    """Write down a decision that sends nothing."""
    match decision.action:
        case Action.CANCEL:
            result.cancelled += 1
            work.set(reminder, Reminder.State.CANCELLED)
        case Action.ALREADY_SENT:
            work.set(reminder, Reminder.State.SENT)  # already out (a duplicate task): never twice
        case Action.SKIP_DEADLINE_PASSED:
            result.skipped += 1
            work.set(reminder, Reminder.State.SKIPPED, _("the deadline had passed"))
            work.note(
                reminder,
                gettext_noop("Reminder skipped: the deadline “%(title)s” had passed."),
                title=reminder.deadline.title,
            )
        case Action.DEFER:
            result.deferred += 1
            work.set(reminder, Reminder.State.SCHEDULED, send_at=decision.until)
        case Action.BUSY:
            result.busy += 1  # another worker is sending it right now
        case Action.GIVE_UP_OUTCOME_UNKNOWN:
            delivery = ledger[decision.channel]
            work.delivery(
                delivery, state=Delivery.State.FAILED, claimed_at=None, error=OUTCOME_UNKNOWN
            )
            result.failed += 1
            work.fail(reminder, delivery.error)
        case Action.GIVE_UP_EVERY_CHANNEL_FAILED:
            result.failed += 1
            work.fail(reminder, reminder.last_error or _("every channel failed"))
        case Action.SKIP_NO_CONSENT:
            result.skipped += 1
            work.set(reminder, Reminder.State.SKIPPED, _("no channel with consent"))
            work.note(
                reminder,
                gettext_noop(
                    "Reminder not sent: the migrant has not agreed to messages "
                    "on any channel we can use."
                ),
            )
        case Action.SHOW_ON_DASHBOARD:
            # No email for the caseworker: the dashboard is the channel.
            work.set(reminder, Reminder.State.SENT, sent_at=now)
            work.new_deliveries.append(
                Delivery(
                    reminder=reminder,
                    organisation_id=reminder.deadline.case.organisation_id,
                    channel=DASHBOARD,
                    state=Delivery.State.SENT,
                    attempts=1,
                    sent_at=now,
                )
            )
            result.sent += 1


def _start_send(
    decision: Decision,
    *,
    reminder: Reminder,
    ledger: dict[str, Delivery],
    work: _Chunk,
    now: datetime,
    today: date,
) -> _Job:
    """Claim the delivery row for the chosen channel (new, or the one retried)."""
    channel = decision.channel
    message = _render(reminder, channel, decision.address, today)
    segments = messages.sms_length(message.body).segments if channel == "sms" else 0
    delivery = ledger.get(channel)
    if delivery is None:
        delivery = Delivery(
            reminder=reminder,
            organisation_id=reminder.deadline.case.organisation_id,
            channel=channel,
            state=Delivery.State.PENDING,
            claimed_at=now,
            attempts=1,
            segments=segments,
        )
        work.new_deliveries.append(delivery)
    else:
        work.delivery(
            delivery, state=Delivery.State.PENDING, claimed_at=now, error="", segments=segments
        )
        work.deliveries.bump.add(delivery.pk)
        delivery.attempts += 1
    work.set(reminder, Reminder.State.SENDING, claimed_at=now)
    work.reminders.bump.add(reminder.pk)
    leaks = []
    if reminder.audience == Reminder.Audience.MIGRANT:
        leaks = notification_leaks(message.body, migrant=reminder.deadline.case.migrant)
    return _Job(reminder, delivery, message, leaks)


def _send(job: _Job) -> tuple[str, channels.SendError | None]:
    if job.leaks:
        # A translated template that names a status word or the migrant would show it on a lock
        # screen; the error names how many, never the words (they may be the migrant's name).
        return "", channels.PermanentError(f"text would reveal {len(job.leaks)} item(s)")
    try:
        return channels.get_backend(job.message.channel).send(job.message), None
    except channels.SendError as exc:
        return "", exc
    except ImproperlyConfigured as exc:
        return "", channels.PermanentError(f"channel not configured: {exc}"[:200])
    except Exception as exc:  # an unexpected provider answer: retry, it may be transient
        logger.exception("reminders: backend %s raised", job.message.channel)
        return "", channels.TransientError(f"unexpected {type(exc).__name__}")


def backoff_seconds(attempt: int) -> int:
    return settings.REMINDER_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0)


NOT_SENT = ("", None, "not sent")


def _record(
    job: _Job,
    *,
    reminder: Reminder,
    provider_id: str,
    error: channels.SendError | None,
    work: _Chunk,
    result: BatchResult,
    now: datetime,
    not_sent: bool,
) -> None:
    """Write down what the provider said about one send (`reminder`: re-read under lock)."""
    delivery = job.delivery
    still_ours = reminder.state == Reminder.State.SENDING
    if not_sent:
        work.delivery(delivery, state=Delivery.State.RETRYING, claimed_at=None)
        work.deliveries.unbump.add(delivery.pk)
        work.reminders.unbump.add(reminder.pk)
        if still_ours:
            work.set(reminder, Reminder.State.SCHEDULED, reminder.last_error, send_at=now)
        result.released += 1
        return
    if error is None:
        work.delivery(
            delivery,
            state=Delivery.State.SENT,
            claimed_at=None,
            sent_at=now,
            error="",
            provider_message_id=provider_id[:128],
        )
        work.set(reminder, Reminder.State.SENT, sent_at=now)
        result.sent += 1
        return
    text = f"{delivery.channel}: {error}"[:300]
    retry = delivery.attempts < settings.REMINDER_MAX_ATTEMPTS
    if isinstance(error, channels.TransientError) and retry:
        work.delivery(
            delivery, state=Delivery.State.RETRYING, claimed_at=None, error=str(error)[:300]
        )
        if still_ours:
            at = now + timedelta(seconds=backoff_seconds(delivery.attempts))
            work.set(reminder, Reminder.State.SCHEDULED, text, send_at=at)
        result.retrying += 1
        return
    work.delivery(delivery, state=Delivery.State.FAILED, claimed_at=None, error=str(error)[:300])
    if still_ours:
        # Next channel right away (deliver_batch runs another round); none left → failed.
        work.set(reminder, Reminder.State.SCHEDULED, text, send_at=now)
        result.fallbacks.append(reminder.pk)
