"""Reminders about deadlines: planning their send times, cancelling them, delivering them.

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
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import channels, messages, permissions
from cases.models import (
    Case,
    Consent,
    Deadline,
    Delivery,
    Migrant,
    Organisation,
    Reminder,
    Task,
    TimelineEvent,
)

logger = logging.getLogger(__name__)

AUDIENCES = (Reminder.Audience.MIGRANT, Reminder.Audience.CASEWORKER)
PENDING_STATES = (Reminder.State.SCHEDULED, Reminder.State.SENDING)
REPLANNABLE = (*PENDING_STATES, Reminder.State.SKIPPED, Reminder.State.CANCELLED)
MIGRANT_CHANNEL_ORDER = ("telegram", "sms", "email")
DASHBOARD = "dashboard"  # a caseworker without an email address sees the reminder there only
# Reminders handled per transaction inside a batch task: short row locks, few queries.
CHUNK_SIZE = 250
# Dispatcher: at most this many batches per tick (the next tick takes the rest).
MAX_BATCHES_PER_TICK = 200


# --- time ---------------------------------------------------------------------------------


def org_zone(organisation: Organisation) -> ZoneInfo:
    return ZoneInfo(organisation.timezone or settings.TIME_ZONE)


def local_today(organisation: Organisation, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(org_zone(organisation)).date()


def quiet_until(*, at: datetime, organisation: Organisation) -> datetime | None:
    """When the migrant's window opens if `at` falls in the organisation's quiet hours."""
    start, end = organisation.quiet_hours_start, organisation.quiet_hours_end
    if start == end:
        return None
    local = at.astimezone(org_zone(organisation))
    hour = local.hour
    overnight = start > end
    inside = (hour >= start or hour < end) if overnight else (start <= hour < end)
    if not inside:
        return None
    opens = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if opens <= local:
        opens += timedelta(days=1)
    return opens


def planned_send_at(
    *, due: date, offset: int, audience: str, organisation: Organisation
) -> datetime:
    """REMINDER_SEND_HOUR local time on (due − offset); a migrant's never falls in quiet hours."""
    day = due - timedelta(days=offset)
    zone = org_zone(organisation)
    at = datetime(day.year, day.month, day.day, settings.REMINDER_SEND_HOUR, tzinfo=zone)
    if audience == Reminder.Audience.MIGRANT:
        at = quiet_until(at=at, organisation=organisation) or at
    return at


def _offsets(deadline: Deadline) -> list[int]:
    values = set()
    for raw in deadline.reminder_offsets or []:
        try:
            value = int(raw)
        except (TypeError, ValueError):
            continue
        if 0 <= value <= 366:
            values.add(value)
    return sorted(values, reverse=True)


# --- planning -----------------------------------------------------------------------------


@transaction.atomic
def schedule_for_deadline(*, deadline: Deadline, new: bool = False) -> None:
    """(Re)plan the deadline's reminders from its due date and offsets (idempotent).

    1. A closed case or a deadline that is no longer open: cancel what is pending.
    2. Each (audience, offset) gets its planned time; pending rows move with the due date,
       skipped or cancelled rows come back only if their new time is still ahead.
    3. Rows planned in the past (late fact entry): if the deadline is still ahead, the most
       recent one goes out at once and earlier ones are skipped; if it has passed, all are
       skipped. Either way the timeline says so.
    4. Offsets no longer wanted are cancelled. Moved send times are written to the timeline.

    `new`: the deadline was just created with its case and organisation loaded, so it has no
    reminders yet and needn't be read again (the re-sync of many cases adds many of them).
    """
    if not new:
        deadline = Deadline.objects.select_related("case__organisation").get(pk=deadline.pk)
    case = deadline.case
    if deadline.state != Deadline.State.OPEN or case.is_closed:
        cancel_for_deadline(deadline=deadline)
        return
    organisation = case.organisation
    now = timezone.now()
    today = local_today(organisation, now)
    offsets = _offsets(deadline)
    existing, with_deliveries = {}, set()
    if not new:
        existing = {
            (r.audience, r.offset_days): r
            for r in Reminder.objects.select_for_update().filter(deadline=deadline)
        }
        with_deliveries = set(
            Delivery.objects.filter(reminder__deadline=deadline).values_list(
                "reminder_id", flat=True
            )
        )
    moved: list[tuple[str, int, datetime, datetime]] = []
    skipped: list[Reminder] = []
    to_save: list[Reminder] = []
    for audience in AUDIENCES:
        late: list[Reminder] = []
        for offset in offsets:
            planned = planned_send_at(
                due=deadline.due_date, offset=offset, audience=audience, organisation=organisation
            )
            reminder = existing.get((audience, offset))
            if reminder is None:
                reminder = Reminder(deadline=deadline, audience=audience, offset_days=offset)
            elif reminder.state not in REPLANNABLE or reminder.pk in with_deliveries:
                continue  # sent, failed or attempted: history, not re-planned
            elif reminder.state == Reminder.State.SENDING:
                continue  # in the hands of a worker right now
            elif reminder.state != Reminder.State.SCHEDULED and planned <= now:
                continue  # skipped or cancelled and still in the past: stays as it was
            if planned > now:
                if reminder.pk and reminder.state == Reminder.State.SCHEDULED:
                    if reminder.send_at != planned:
                        moved.append((audience, offset, reminder.send_at, planned))
                reminder.send_at, reminder.state = planned, Reminder.State.SCHEDULED
                reminder.last_error = ""
                to_save.append(reminder)
            else:
                late.append(reminder)
        # Late ones: offsets are in descending order, so the last is the most recent.
        if late and deadline.due_date >= today:
            keep = late[-1]
            if not (keep.pk and keep.state == Reminder.State.SCHEDULED and keep.send_at <= now):
                at = now
                if audience == Reminder.Audience.MIGRANT:
                    at = quiet_until(at=now, organisation=organisation) or now
                if keep.pk and keep.state == Reminder.State.SCHEDULED:
                    moved.append((audience, keep.offset_days, keep.send_at, at))
                keep.send_at, keep.state, keep.last_error = at, Reminder.State.SCHEDULED, ""
                to_save.append(keep)
            late = late[:-1]
        for reminder in late:
            if reminder.pk is None:
                reminder.send_at = planned_send_at(
                    due=deadline.due_date,
                    offset=reminder.offset_days,
                    audience=audience,
                    organisation=organisation,
                )
            if reminder.state != Reminder.State.SKIPPED or reminder.pk is None:
                reminder.state = Reminder.State.SKIPPED
                reminder.last_error = (
                    _("planned time had passed; the deadline had passed too")
                    if deadline.due_date < today
                    else _("planned time had passed; one reminder was sent at once instead")
                )
                skipped.append(reminder)
                to_save.append(reminder)
    for reminder in to_save:
        reminder.claimed_at = None
        if reminder.pk is not None:
            reminder.save()
    Reminder.objects.bulk_create([r for r in to_save if r.pk is None])
    if not new:  # offsets dropped from the plan
        Reminder.objects.filter(deadline=deadline, state=Reminder.State.SCHEDULED).exclude(
            offset_days__in=offsets
        ).update(state=Reminder.State.CANCELLED, claimed_at=None, updated_at=now)
    _timeline_for_plan(deadline, skipped=skipped, moved=moved)


def _timeline_for_plan(deadline: Deadline, *, skipped: list[Reminder], moved: list) -> None:
    zone = org_zone(deadline.case.organisation)
    if skipped:
        TimelineEvent.objects.create(
            case=deadline.case,
            kind=TimelineEvent.Kind.REMINDER,
            text=_("Reminders for “%(title)s” skipped: their time had passed when planned.")
            % {"title": deadline.title},
            data={
                "deadline": deadline.pk,
                "skipped": [[r.audience, r.offset_days] for r in skipped],
            },
        )
    if moved:
        fmt = "%Y-%m-%d %H:%M"
        TimelineEvent.objects.create(
            case=deadline.case,
            kind=TimelineEvent.Kind.REMINDER,
            text=_("Reminders for “%(title)s” rescheduled (due %(due)s): %(changes)s")
            % {
                "title": deadline.title,
                "due": deadline.due_date.isoformat(),
                "changes": "; ".join(
                    f"{old.astimezone(zone).strftime(fmt)} → {new.astimezone(zone).strftime(fmt)}"
                    for _aud, _off, old, new in moved
                ),
            },
            data={
                "deadline": deadline.pk,
                "due_date": deadline.due_date.isoformat(),
                "moved": [[a, o, old.isoformat(), new.isoformat()] for a, o, old, new in moved],
            },
        )


def cancel_for_deadline(*, deadline: Deadline) -> None:
    """Cancel the deadline's pending reminders (met, waived, retired)."""
    # A worker re-reads the row under a lock before it sends, so a cancelled row stays unsent.
    Reminder.objects.filter(deadline=deadline, state__in=PENDING_STATES).update(
        state=Reminder.State.CANCELLED, claimed_at=None, updated_at=timezone.now()
    )


def cancel_for_case(*, case: Case) -> None:
    """Cancel every pending reminder of a case (closed)."""
    Reminder.objects.filter(deadline__case=case, state__in=PENDING_STATES).update(
        state=Reminder.State.CANCELLED, claimed_at=None, updated_at=timezone.now()
    )


# --- dispatch -----------------------------------------------------------------------------


@dataclass
class DispatchResult:
    claimed: int = 0
    reclaimed: int = 0
    batches: int = 0
    broker_down: bool = False


def _default_enqueue(ids: list[int]) -> None:
    from cases.tasks import send_reminders

    send_reminders.delay(ids)


def _enqueue_or_release(
    enqueue: Callable[[list[int]], None], ids: list[int], at: datetime, result: DispatchResult
) -> None:
    try:
        enqueue(ids)
    except Exception:  # the broker is down: give the rows back rather than wait for the reclaim
        logger.exception("reminders: could not enqueue a batch of %d; released", len(ids))
        result.broker_down = True
        Reminder.objects.filter(pk__in=ids, state=Reminder.State.SENDING, claimed_at=at).update(
            state=Reminder.State.SCHEDULED, claimed_at=None
        )


def _claim_batch(queryset, *, now: datetime, size: int, **changes) -> list[int]:
    """Claim up to `size` rows of `queryset` for this dispatcher.

    Postgres: FOR UPDATE SKIP LOCKED, so concurrent dispatchers take different rows. SQLite
    ignores the lock clause but runs this transaction with BEGIN IMMEDIATE (one writer at a
    time), and the conditional UPDATE re-checks the state either way.
    """
    ids = list(queryset.select_for_update(skip_locked=True).values_list("pk", flat=True)[:size])
    if ids:
        queryset.filter(pk__in=ids).update(claimed_at=now, **changes)
    return ids


def claim_queryset(now: datetime):
    return Reminder.objects.filter(state=Reminder.State.SCHEDULED, send_at__lte=now).order_by(
        "send_at"
    )


def dispatch_due(
    *, now: datetime | None = None, enqueue: Callable[[list[int]], None] | None = None
) -> DispatchResult:
    """Claim due reminders in batches and hand each batch to one send task."""
    now = now or timezone.now()
    enqueue = enqueue or _default_enqueue
    size = settings.REMINDER_BATCH_SIZE
    result = DispatchResult()
    stale = Reminder.objects.filter(
        state=Reminder.State.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT_SECONDS),
    ).order_by("claimed_at")
    for queryset, changes, counter in (
        (stale, {}, "reclaimed"),
        (claim_queryset(now), {"state": Reminder.State.SENDING}, "claimed"),
    ):
        if result.broker_down:
            break
        for _batch in range(MAX_BATCHES_PER_TICK):
            with transaction.atomic():
                ids = _claim_batch(queryset, now=now, size=size, **changes)
                if ids:
                    transaction.on_commit(
                        lambda ids=ids: _enqueue_or_release(enqueue, ids, now, result)
                    )
            setattr(result, counter, getattr(result, counter) + len(ids))
            result.batches += 1 if ids else 0
            if len(ids) < size or result.broker_down:
                break  # done, or the broker is down: the next tick tries again
    if result.claimed or result.reclaimed:
        logger.info(
            "reminders: claimed %d, reclaimed %d in %d batches",
            result.claimed,
            result.reclaimed,
            result.batches,
        )
    return result


# --- delivery -----------------------------------------------------------------------------


@dataclass
class _Job:
    reminder: Reminder
    delivery: Delivery
    message: channels.Message


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


def _consented_channels(migrant_ids: set[int]) -> dict[int, set[str]]:
    consented: dict[int, set[str]] = defaultdict(set)
    rows = Consent.objects.filter(
        migrant_id__in=migrant_ids, purpose=Consent.Purpose.CONTACT, withdrawn_at__isnull=True
    ).values_list("migrant_id", "channel")
    for migrant_id, channel in rows:
        consented[migrant_id].add(channel)
    return consented


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


def _caseworker_channels(case: Case) -> list[tuple[str, str]]:
    if case.assignee_id and case.assignee.email and case.assignee.is_active:
        return [("email", case.assignee.email)]
    return []


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

    def __init__(self, model) -> None:
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

    def note(self, reminder: Reminder, text: str, **data) -> None:
        self.notes.append(
            TimelineEvent(
                case=reminder.deadline.case,
                kind=TimelineEvent.Kind.REMINDER,
                text=text,
                data={"reminder": reminder.pk, "deadline": reminder.deadline_id, **data},
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
            self.note(reminder, _("Reminder not delivered on any channel: call the migrant."))
        else:
            self.note(reminder, _("Reminder to the caseworker could not be delivered."))

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
    timeout = timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT_SECONDS)
    jobs: list[_Job] = []
    work = _Chunk()
    # 1. Claim: lock the rows, re-check everything at send time, claim one delivery each.
    with transaction.atomic():
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
        consented = _consented_channels(migrant_ids)
        ledger: dict[int, dict[str, Delivery]] = defaultdict(dict)
        for delivery in Delivery.objects.filter(reminder_id__in=[r.pk for r in reminders]):
            ledger[delivery.reminder_id][delivery.channel] = delivery
        for reminder in reminders:
            job = _claim_one(reminder, ledger[reminder.pk], consented, work, result, now, timeout)
            if job is not None:
                jobs.append(job)
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
            reminder = fresh[job.reminder.pk]
            _record(job, reminder, provider_id, error, record, result, done, outcome is NOT_SENT)
        record.save(done)


def _claim_one(reminder, ledger, consented, work, result, now, timeout) -> _Job | None:
    deadline, case = reminder.deadline, reminder.deadline.case
    organisation = case.organisation
    today = local_today(organisation, now)
    if deadline.state != Deadline.State.OPEN or case.is_closed:
        result.cancelled += 1
        work.set(reminder, Reminder.State.CANCELLED)
        return None
    if any(d.state in (Delivery.State.SENT, Delivery.State.DELIVERED) for d in ledger.values()):
        work.set(reminder, Reminder.State.SENT)  # already out (a duplicate task): never twice
        return None
    if deadline.due_date < today:
        result.skipped += 1
        work.set(reminder, Reminder.State.SKIPPED, _("the deadline had passed"))
        work.note(
            reminder,
            _("Reminder skipped: the deadline “%(title)s” had passed.") % {"title": deadline.title},
        )
        return None
    migrant = reminder.audience == Reminder.Audience.MIGRANT
    if migrant:
        opens = quiet_until(at=now, organisation=organisation)
        if opens is not None:
            result.deferred += 1
            work.set(reminder, Reminder.State.SCHEDULED, send_at=opens)
            return None
    in_flight = [d for d in ledger.values() if d.state == Delivery.State.PENDING]
    if in_flight:
        delivery = in_flight[0]
        if delivery.claimed_at and delivery.claimed_at > now - timeout:
            result.busy += 1  # another worker is sending it right now
            return None
        if not _backend_is_idempotent(delivery.channel):
            work.delivery(
                delivery,
                state=Delivery.State.FAILED,
                claimed_at=None,
                error="outcome unknown: the worker stopped during the send; not repeated",
            )
            result.failed += 1
            work.fail(reminder, delivery.error)
            return None
    options = (
        migrant_channels(case.migrant, consented.get(case.migrant_id, set()))
        if migrant
        else _caseworker_channels(case)
    )
    usable = [
        (channel, address)
        for channel, address in options
        if channel not in ledger
        or ledger[channel].state in (Delivery.State.RETRYING, Delivery.State.PENDING)
    ]
    if in_flight:
        usable = [(c, a) for c, a in options if c == in_flight[0].channel] or usable
    if not usable:
        if any(d.state == Delivery.State.FAILED for d in ledger.values()):
            result.failed += 1
            work.fail(reminder, reminder.last_error or _("every channel failed"))
        elif migrant:
            result.skipped += 1
            work.set(reminder, Reminder.State.SKIPPED, _("no channel with consent"))
            work.note(
                reminder,
                _(
                    "Reminder not sent: the migrant has not agreed to messages "
                    "on any channel we can use."
                ),
            )
        else:
            # No email for the caseworker: the dashboard is the channel.
            work.set(reminder, Reminder.State.SENT, sent_at=now)
            work.new_deliveries.append(
                Delivery(
                    reminder=reminder,
                    organisation_id=case.organisation_id,
                    channel=DASHBOARD,
                    state=Delivery.State.SENT,
                    attempts=1,
                    sent_at=now,
                )
            )
            result.sent += 1
        return None
    channel, address = usable[0]
    message = _render(reminder, channel, address, today)
    segments = messages.sms_length(message.body).segments if channel == "sms" else 0
    delivery = ledger.get(channel)
    if delivery is None:
        delivery = Delivery(
            reminder=reminder,
            organisation_id=case.organisation_id,
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
    return _Job(reminder, delivery, message)


def _send(job: _Job) -> tuple[str, channels.SendError | None]:
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


def _record(job, reminder, provider_id, error, work, result, now, not_sent=False) -> None:
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


# --- consent ------------------------------------------------------------------------------


@transaction.atomic
def opt_out(*, migrant: Migrant, by=None, channel: str = "") -> int:
    """Withdraw the migrant's consent to be contacted (one channel, or all when blank).

    Queued reminders are not touched: consent is checked again when they are sent, so nothing
    goes out after this returns. Returns how many consent records were withdrawn.
    """
    if by is not None:
        permissions.require(by, migrant.organisation, permissions.Action.EDIT_CASE)
    now = timezone.now()
    consents = Consent.objects.filter(
        migrant=migrant, purpose=Consent.Purpose.CONTACT, withdrawn_at__isnull=True
    )
    if channel:
        consents = consents.filter(channel__in=[channel, Consent.Channel.ANY])
    withdrawn = consents.update(withdrawn_at=now)
    text = (
        _("The migrant opted out of reminder messages.")
        if by is None
        else _("Consent to reminder messages withdrawn by a caseworker.")
    )
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            case=case,
            kind=TimelineEvent.Kind.MIGRANT if by is None else TimelineEvent.Kind.SYSTEM,
            actor=by,
            text=text,
            data={"consent_withdrawn": withdrawn, "channel": channel or "any"},
        )
        for case in Case.objects.filter(migrant=migrant).open()
    )
    return withdrawn


# --- what the pages show ------------------------------------------------------------------


@dataclass
class ReminderRow:
    reminder: Reminder
    send_at_local: datetime
    deliveries: list[Delivery]
    preview: str = ""
    sms: messages.SmsLength | None = None


@dataclass
class DeadlineRow:
    deadline: Deadline
    days_left: int
    overdue: bool
    reminders: list[ReminderRow]

    @property
    def overdue_days(self) -> int:
        return max(-self.days_left, 0)

    @property
    def failed(self) -> list[ReminderRow]:
        return [r for r in self.reminders if r.reminder.state == Reminder.State.FAILED]


def case_panel_context(*, case: Case) -> dict:
    """For templates/cases/_deadline_reminders.html: every deadline with every planned send,
    each deadline annotated like the rules panel (planning.annotate_deadline)."""
    from django.utils.translation import get_language

    from cases.planning import annotate_deadline  # planning imports this module

    language = get_language() or "en"
    organisation = case.organisation
    zone = org_zone(organisation)
    today = local_today(organisation)
    deadlines = list(
        case.deadlines.exclude(state=Deadline.State.RETIRED).prefetch_related(
            "reminders__deliveries"
        )
    )
    rows = []
    for deadline in deadlines:
        annotate_deadline(deadline, language=language, today=today)
        reminder_rows = []
        for reminder in deadline.reminders.all():
            row = ReminderRow(
                reminder, reminder.send_at.astimezone(zone), list(reminder.deliveries.all())
            )
            if reminder.audience == Reminder.Audience.MIGRANT:
                row.preview = messages.migrant_text(
                    language=case.migrant.preferred_language,
                    due=deadline.due_date,
                    days=reminder.offset_days,
                    migrant_id=case.migrant_id,
                )
                row.sms = messages.sms_length(row.preview)
            reminder_rows.append(row)
        rows.append(
            DeadlineRow(
                deadline=deadline,
                days_left=deadline.days_left,
                overdue=deadline.state == Deadline.State.OPEN and deadline.days_left < 0,
                reminders=reminder_rows,
            )
        )
    return {"case": case, "deadline_rows": rows, "today": today, "time_zone": str(zone)}


def dashboard_context(*, user, organisation: Organisation | None, only_mine: bool = False) -> dict:
    """For templates/cases/_reminders_dashboard.html: upcoming, sent, failed, calls to make."""
    cases = Case.objects.visible_to(user)
    if organisation is not None:
        cases = cases.filter(organisation=organisation)
    if only_mine:
        cases = cases.filter(assignee=user)
    now = timezone.now()
    base = Reminder.objects.filter(deadline__case__in=cases).select_related("deadline__case")
    return {
        "upcoming": list(
            base.filter(state__in=PENDING_STATES, send_at__lte=now + timedelta(days=7)).order_by(
                "send_at"
            )[:20]
        ),
        "sent": list(
            base.filter(state=Reminder.State.SENT, sent_at__gte=now - timedelta(days=7)).order_by(
                "-sent_at"
            )[:20]
        ),
        "failed": list(
            base.filter(
                state=Reminder.State.FAILED, updated_at__gte=now - timedelta(days=30)
            ).order_by("-updated_at")[:50]
        ),
        "call_tasks": list(
            Task.objects.filter(case__in=cases, kind=Task.Kind.CALL_MIGRANT, done_at__isnull=True)
            .select_related("case")
            .order_by("due_date", "id")[:50]
        ),
    }
