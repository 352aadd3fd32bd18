"""When a deadline's reminders go out: local time, quiet hours, and (re)planning the rows.

The organisation's quiet hours and the migrant's own safe hours, read on the migrant's clock
(the zone of their region of stay, else the organisation's), decide a migrant's send times;
a deadline's reminder rows
follow its due date and offsets, and are cancelled when it is met, waived, retired or closed.
What happens to a row after it is due is cases.dispatch and cases.delivery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases import regions
from cases.event_codes import coded
from cases.models import Case, Deadline, Delivery, Migrant, Organisation, Reminder, TimelineEvent

AUDIENCES = (Reminder.Audience.MIGRANT, Reminder.Audience.CASEWORKER)
PENDING_STATES = (Reminder.State.SCHEDULED, Reminder.State.SENDING)
REPLANNABLE = (*PENDING_STATES, Reminder.State.SKIPPED, Reminder.State.CANCELLED)


# --- local time ---------------------------------------------------------------------------


def org_zone(organisation: Organisation) -> ZoneInfo:
    return ZoneInfo(organisation.timezone or settings.TIME_ZONE)


def local_today(organisation: Organisation, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(org_zone(organisation)).date()


def migrant_zone(migrant: Migrant, organisation: Organisation) -> ZoneInfo:
    """The migrant's clock: their region's zone (a Moscow NGO helps people in Yekaterinburg)."""
    return regions.zone_of(migrant.region) or org_zone(organisation)


def _within(hour: int, start: int, end: int) -> bool:
    """Is `hour` in [start, end) on a 24-hour clock (a span may run past midnight)?"""
    start, end = start % 24, end % 24
    return (hour >= start or hour < end) if start > end else (start <= hour < end)


def quiet_until(
    *,
    at: datetime,
    organisation: Organisation,
    zone: ZoneInfo | None = None,
    window: tuple[int, int] | None = None,
) -> datetime | None:
    """None when a migrant may be messaged at `at`, else the first full hour when they may.

    Read in `zone` (the migrant's clock; default the organisation's): outside the
    organisation's quiet hours and, when the migrant gave one, inside their own `window` of
    safe hours. Should the two never meet (safe only 22 to 23, quiet from 21), the migrant's
    own window wins: they said when the phone is theirs.
    """
    quiet_start, quiet_end = organisation.quiet_hours_start, organisation.quiet_hours_end

    def allowed(hour: int, *, quiet_too: bool = True) -> bool:
        if window is not None and not _within(hour, *window):
            return False
        quiet = quiet_start != quiet_end and _within(hour, quiet_start, quiet_end)
        return not (quiet_too and quiet)

    local = at.astimezone(zone or org_zone(organisation))
    if allowed(local.hour):
        return None
    top_of_hour = local.replace(minute=0, second=0, microsecond=0)
    for quiet_too in (True, False):
        for hours in range(1, 25):
            candidate = top_of_hour + timedelta(hours=hours)
            if allowed(candidate.hour, quiet_too=quiet_too):
                return candidate
    return None  # unreachable: a window holds at least one hour


def planned_send_at(
    *,
    due: date,
    offset: int,
    audience: str,
    organisation: Organisation,
    zone: ZoneInfo | None = None,
    window: tuple[int, int] | None = None,
) -> datetime:
    """REMINDER_SEND_HOUR local time on (due − offset); a migrant's is moved out of quiet
    hours and into their own `window` of safe hours (see quiet_until).

    `zone`: the clock of whoever receives it (the migrant's zone; default the organisation's).
    """
    day = due - timedelta(days=offset)
    zone = zone or org_zone(organisation)
    at = datetime(day.year, day.month, day.day, settings.REMINDER_SEND_HOUR, tzinfo=zone)
    if audience == Reminder.Audience.MIGRANT:
        at = quiet_until(at=at, organisation=organisation, zone=zone, window=window) or at
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


# --- planning the rows --------------------------------------------------------------------

Move = tuple[str, int, datetime, datetime]  # audience, offset, old send time, new send time


@dataclass
class _Replan:
    """One deadline's re-plan in progress: what to save and what the timeline should say."""

    deadline: Deadline
    now: datetime
    today: date
    moved: list[Move] = field(default_factory=list)
    skipped: list[Reminder] = field(default_factory=list)
    to_save: list[Reminder] = field(default_factory=list)

    @property
    def organisation(self) -> Organisation:
        return self.deadline.case.organisation

    def planned(self, audience: str, offset: int) -> datetime:
        migrant = self.deadline.case.migrant
        to_migrant = audience == Reminder.Audience.MIGRANT
        return planned_send_at(
            due=self.deadline.due_date,
            offset=offset,
            audience=audience,
            organisation=self.organisation,
            zone=migrant_zone(migrant, self.organisation) if to_migrant else None,
            window=migrant.message_window if to_migrant else None,
        )

    def schedule(self, reminder: Reminder, at: datetime) -> None:
        """Send `reminder` at `at`, noting the move if it was already scheduled elsewhen."""
        if reminder.pk and reminder.state == Reminder.State.SCHEDULED and reminder.send_at != at:
            self.moved.append((reminder.audience, reminder.offset_days, reminder.send_at, at))
        reminder.send_at, reminder.state, reminder.last_error = at, Reminder.State.SCHEDULED, ""
        self.to_save.append(reminder)


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
        deadline = Deadline.objects.select_related("case__organisation", "case__migrant").get(
            pk=deadline.pk
        )
    if deadline.state != Deadline.State.OPEN or deadline.case.is_closed:
        cancel_for_deadline(deadline=deadline)
        return
    now = timezone.now()
    replan = _Replan(deadline, now=now, today=local_today(deadline.case.organisation, now))
    offsets = _offsets(deadline)
    existing, with_deliveries = ({}, set()) if new else _current_rows(deadline)
    for audience in AUDIENCES:
        late = _plan_ahead(replan, audience, offsets, existing, with_deliveries)
        if late and deadline.due_date >= replan.today:
            _send_latest_at_once(replan, late[-1])  # offsets descend: the last is the latest
            late = late[:-1]
        _skip_late(replan, late)
    for reminder in replan.to_save:
        reminder.claimed_at = None
        if reminder.pk is not None:
            reminder.save()
    Reminder.objects.bulk_create([r for r in replan.to_save if r.pk is None])
    if not new:  # offsets dropped from the plan
        Reminder.objects.filter(deadline=deadline, state=Reminder.State.SCHEDULED).exclude(
            offset_days__in=offsets
        ).update(state=Reminder.State.CANCELLED, claimed_at=None, updated_at=now)
    _timeline_for_plan(deadline, skipped=replan.skipped, moved=replan.moved)


def _current_rows(deadline: Deadline) -> tuple[dict[tuple[str, int], Reminder], set[int]]:
    """The deadline's reminders by (audience, offset), locked, and those ever attempted."""
    existing = {
        (r.audience, r.offset_days): r
        for r in Reminder.objects.select_for_update().filter(deadline=deadline)
    }
    with_deliveries = set(
        Delivery.objects.filter(reminder__deadline=deadline).values_list("reminder_id", flat=True)
    )
    return existing, with_deliveries


def _plan_ahead(
    replan: _Replan,
    audience: str,
    offsets: list[int],
    existing: dict[tuple[str, int], Reminder],
    with_deliveries: set[int],
) -> list[Reminder]:
    """Schedule the audience's rows whose time is ahead; return those planned in the past."""
    late: list[Reminder] = []
    for offset in offsets:
        planned = replan.planned(audience, offset)
        reminder = existing.get((audience, offset))
        if reminder is None:
            reminder = Reminder(deadline=replan.deadline, audience=audience, offset_days=offset)
        elif reminder.state not in REPLANNABLE or reminder.pk in with_deliveries:
            continue  # sent, failed or attempted: history, not re-planned
        elif reminder.state == Reminder.State.SENDING:
            continue  # in the hands of a worker right now
        elif reminder.state != Reminder.State.SCHEDULED and planned <= replan.now:
            continue  # skipped or cancelled and still in the past: stays as it was
        if planned > replan.now:
            replan.schedule(reminder, planned)
        else:
            late.append(reminder)
    return late


def _send_latest_at_once(replan: _Replan, keep: Reminder) -> None:
    """The latest late row goes out now (or when quiet hours end), unless it already does."""
    now = replan.now
    if keep.pk and keep.state == Reminder.State.SCHEDULED and keep.send_at <= now:
        return
    at = now
    if keep.audience == Reminder.Audience.MIGRANT:
        zone = migrant_zone(replan.deadline.case.migrant, replan.organisation)
        at = quiet_until(at=now, organisation=replan.organisation, zone=zone) or now
    if keep.pk and keep.state == Reminder.State.SCHEDULED:
        replan.moved.append((keep.audience, keep.offset_days, keep.send_at, at))
    keep.send_at, keep.state, keep.last_error = at, Reminder.State.SCHEDULED, ""
    replan.to_save.append(keep)


def _skip_late(replan: _Replan, late: list[Reminder]) -> None:
    passed = replan.deadline.due_date < replan.today
    for reminder in late:
        if reminder.pk is None:
            reminder.send_at = replan.planned(reminder.audience, reminder.offset_days)
        if reminder.state != Reminder.State.SKIPPED or reminder.pk is None:
            reminder.state = Reminder.State.SKIPPED
            reminder.last_error = (
                _("planned time had passed; the deadline had passed too")
                if passed
                else _("planned time had passed; one reminder was sent at once instead")
            )
            replan.skipped.append(reminder)
            replan.to_save.append(reminder)


def _timeline_for_plan(deadline: Deadline, *, skipped: list[Reminder], moved: list[Move]) -> None:
    zone = org_zone(deadline.case.organisation)
    if skipped:
        TimelineEvent.objects.create(
            case=deadline.case,
            kind=TimelineEvent.Kind.REMINDER,
            data={
                "deadline": deadline.pk,
                "skipped": [[r.audience, r.offset_days] for r in skipped],
                **coded(
                    gettext_noop(
                        "Reminders for “%(title)s” skipped: their time had passed when planned."
                    ),
                    title=deadline.title,
                ),
            },
        )
    if moved:
        fmt = "%Y-%m-%d %H:%M"
        TimelineEvent.objects.create(
            case=deadline.case,
            kind=TimelineEvent.Kind.REMINDER,
            data={
                "deadline": deadline.pk,
                "due_date": deadline.due_date.isoformat(),
                "moved": [[a, o, old.isoformat(), new.isoformat()] for a, o, old, new in moved],
                **coded(
                    gettext_noop(
                        "Reminders for “%(title)s” rescheduled (due %(due)s): %(changes)s"
                    ),
                    title=deadline.title,
                    due=deadline.due_date.isoformat(),
                    changes="; ".join(
                        f"{old.astimezone(zone).strftime(fmt)} → "
                        f"{new.astimezone(zone).strftime(fmt)}"
                        for _aud, _off, old, new in moved
                    ),
                ),
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
