"""Reminder planning and delivery, in-process (eager Celery) with the file outbox and the
real SMS.ru adapter against a local HTTP server."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from cases import channels, consent, deadlines, panels, scheduling, services
from cases.delivery import BatchResult, _deliver_chunk, deliver_batch
from cases.dispatch import dispatch_due
from cases.models import Consent, Deadline, Delivery, Reminder, Task, TimelineEvent
from cases.tasks import send_reminders
from cases.timeline import describe
from tests.reminder_support import SmsRuStub, make_deadline, make_world

# Monday 8 June 2026, 10:00 in Moscow (UTC+3).
MONDAY_10 = datetime(2026, 6, 8, 7, 0, tzinfo=UTC)


def msk(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    return datetime(2026, month, day, hour - 3, minute, tzinfo=UTC)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.REMINDER_OUTBOX_DIR = tmp_path / "outbox"
    settings.REMINDER_BACKENDS = {"sms": "outbox", "telegram": "outbox", "email": "outbox"}
    settings.SITE_URL = "https://hamroh.example"
    channels.reset()
    with time_machine.travel(MONDAY_10, tick=False):
        yield make_world()
    channels.reset()


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks):
    """One beat tick: claim due rows and run the (eager) batch tasks they enqueue."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return dispatch_due(enqueue=send_reminders.delay)

    return run


def outbox(settings) -> list[dict]:
    folder = settings.REMINDER_OUTBOX_DIR
    if not folder.exists():
        return []
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def states(deadline) -> dict[tuple[str, int], str]:
    return {(r.audience, r.offset_days): r.state for r in deadline.reminders.all()}


# --- planning ---------------------------------------------------------------------------


def _timeline_mentions(case, phrase: str) -> bool:
    """The case's timeline, as a reader sees it, has a line with the phrase."""
    return any(phrase in describe(e, {}) for e in TimelineEvent.objects.filter(case=case))


def test_send_times_are_planned_at_ten_local_before_the_due_date(world):
    deadline = make_deadline(world.case, due=date(2026, 6, 12))
    planned = {(r.audience, r.offset_days): r.send_at for r in deadline.reminders.all()}
    assert planned[("migrant", 3)] == msk(9, 10)
    assert planned[("migrant", 1)] == msk(11, 10)
    assert planned[("migrant", 0)] == msk(12, 10)
    assert planned[("caseworker", 0)] == msk(12, 10)
    assert set(states(deadline).values()) == {"scheduled"}


def test_scheduling_twice_changes_nothing(world):
    deadline = make_deadline(world.case, due=date(2026, 6, 12))
    before = list(deadline.reminders.values_list("pk", "send_at", "state"))
    events = TimelineEvent.objects.count()
    scheduling.schedule_for_deadline(deadline=deadline)
    assert list(deadline.reminders.values_list("pk", "send_at", "state")) == before
    assert TimelineEvent.objects.count() == events


def test_quiet_hours_move_a_planned_time_to_the_window_opening(world, settings):
    settings.REMINDER_SEND_HOUR = 22  # a badly chosen hour must still not wake anyone
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[1])
    migrant = deadline.reminders.get(audience="migrant")
    caseworker = deadline.reminders.get(audience="caseworker")
    assert migrant.send_at == msk(12, 9)  # 22:00 on the 11th → 09:00 next morning
    assert caseworker.send_at == msk(11, 22)


def test_quiet_hours_follow_the_organisation_time_zone(world):
    world.org.timezone = "Asia/Dushanbe"  # UTC+5
    world.org.save()
    at = datetime(2026, 6, 8, 17, 30, tzinfo=UTC)  # 22:30 in Dushanbe, 20:30 in Moscow
    opens = scheduling.quiet_until(at=at, organisation=world.org)
    assert opens == datetime(2026, 6, 9, 4, 0, tzinfo=UTC)  # 09:00 Dushanbe
    assert scheduling.quiet_until(at=at - timedelta(hours=2), organisation=world.org) is None


def test_late_entry_sends_the_latest_reminder_at_once_and_skips_earlier_ones(world):
    # Due Wednesday: the "3 days before" (Sunday) and "1 day before"... 3 days is past.
    deadline = make_deadline(world.case, due=date(2026, 6, 10), offsets=[3, 2, 0])
    got = {(r.audience, r.offset_days): r for r in deadline.reminders.all()}
    assert got[("migrant", 3)].state == "skipped"
    assert got[("migrant", 2)].state == "scheduled"
    assert got[("migrant", 2)].send_at == MONDAY_10  # at once
    assert got[("migrant", 0)].send_at == msk(10, 10)
    note = TimelineEvent.objects.get(case=world.case, kind="reminder")
    assert "skipped" in describe(note, {})
    scheduling.schedule_for_deadline(deadline=deadline)  # idempotent: no second note
    assert TimelineEvent.objects.filter(case=world.case, kind="reminder").count() == 1


def test_late_entry_after_the_deadline_skips_everything_with_a_note(world):
    deadline = make_deadline(world.case, due=date(2026, 6, 5), offsets=[3, 1, 0])
    assert set(states(deadline).values()) == {"skipped"}
    assert TimelineEvent.objects.filter(case=world.case, kind="reminder").exists()


def test_late_reminder_computed_in_quiet_hours_waits_for_the_morning(world):
    with time_machine.travel(msk(8, 23), tick=False):
        deadline = make_deadline(world.case, due=date(2026, 6, 10), offsets=[3])
    assert deadline.reminders.get(audience="migrant").send_at == msk(9, 9)
    assert deadline.reminders.get(audience="caseworker").send_at == msk(8, 23)


def test_fact_change_reschedules_pending_reminders_and_records_old_and_new(world):
    deadline = make_deadline(world.case, due=date(2026, 6, 12))
    deadline.due_date = date(2026, 6, 15)  # arrival date corrected: what sync_plan does
    deadline.save()
    scheduling.schedule_for_deadline(deadline=deadline)
    migrant = {r.offset_days: r.send_at for r in deadline.reminders.filter(audience="migrant")}
    assert migrant == {3: msk(12, 10), 1: msk(14, 10), 0: msk(15, 10)}
    event = TimelineEvent.objects.filter(case=world.case, kind="reminder").latest("id")
    assert "2026-06-09 10:00 → 2026-06-12 10:00" in describe(event, {})
    assert event.data["due_date"] == "2026-06-15"


def test_dropped_offsets_are_cancelled(world):
    deadline = make_deadline(world.case, due=date(2026, 6, 12))
    deadline.reminder_offsets = [1]
    deadline.save()
    scheduling.schedule_for_deadline(deadline=deadline)
    assert states(deadline)[("migrant", 3)] == "cancelled"
    assert states(deadline)[("migrant", 1)] == "scheduled"


# --- cancelling -------------------------------------------------------------------------


def test_met_deadline_cancels_pending_reminders_and_writes_the_timeline(world):
    deadline = make_deadline(world.case, due=date(2026, 6, 12))
    deadlines.mark_met(deadline=deadline, on=date(2026, 6, 8), by=world.user, note="slip seen")
    deadline.refresh_from_db()
    assert deadline.state == "met" and deadline.resolution_note == "slip seen"
    assert set(states(deadline).values()) == {"cancelled"}
    assert TimelineEvent.objects.filter(case=world.case, kind="deadline").exists()


def test_waived_deadline_needs_a_reason_and_cancels_reminders(world):
    deadline = make_deadline(world.case, due=date(2026, 6, 12))
    with pytest.raises(services.ValidationError):
        deadlines.waive(deadline=deadline, reason="  ", by=world.user)
    assert set(states(deadline).values()) == {"scheduled"}
    deadlines.waive(deadline=deadline, reason="Left Russia", by=world.user)
    assert set(states(deadline).values()) == {"cancelled"}


def test_closed_case_cancels_pending_reminders(world):
    deadline = make_deadline(world.case, due=date(2026, 6, 12))
    services.close_case(case=world.case, outcome="resolved", by=world.user)
    assert set(states(deadline).values()) == {"cancelled"}


def test_manual_deadline_gets_its_own_reminders(world):
    deadline = deadlines.add_manual_deadline(
        case=world.case,
        title="Court hearing",
        due_date=date(2026, 6, 20),
        by=world.user,
        reminder_offsets=(7, 1),
    )
    assert deadline.kind == "manual"
    assert sorted(set(deadline.reminders.values_list("offset_days", flat=True))) == [1, 7]
    with pytest.raises(services.ValidationError) as error:
        deadlines.add_manual_deadline(
            case=world.case, title="", due_date=date(2026, 6, 1), by=world.user
        )
    assert set(error.value.message_dict) == {"title", "due_date"}


# --- delivery ---------------------------------------------------------------------------


def test_due_reminder_is_delivered_once_in_the_migrants_language(world, dispatch, settings):
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    with time_machine.travel(msk(9, 10, 1), tick=False):
        result = dispatch()
        assert result.claimed == 2  # migrant + caseworker
        dispatch()  # a second tick finds nothing
    sent = outbox(settings)
    assert len(sent) == 2
    to_migrant = next(m for m in sent if m["audience"] == "migrant")
    assert to_migrant["channel"] == "sms" and to_migrant["language"] == "tg"
    assert to_migrant["body"].startswith("Hamroh: мӯҳлат пас аз 3 рӯз (12.06).")
    assert "https://hamroh.example/m/" in to_migrant["body"]
    assert "https://hamroh.example/optout/" in to_migrant["body"]
    assert "Register" not in to_migrant["body"] and "Nazarov" not in to_migrant["body"]
    to_caseworker = next(m for m in sent if m["audience"] == "caseworker")
    assert to_caseworker["to"] == world.user.email and "Register your stay" in to_caseworker["body"]
    reminder = deadline.reminders.get(audience="migrant")
    assert reminder.state == "sent" and reminder.attempts == 1
    delivery = reminder.deliveries.get()
    assert delivery.state == "sent" and delivery.provider_message_id.startswith("outbox:")
    assert delivery.segments == 3  # Cyrillic: UCS-2, 67 per part


def test_a_duplicated_batch_task_does_not_send_again(world, dispatch, settings):
    make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    with time_machine.travel(msk(9, 10, 1), tick=False):
        dispatch()
        ids = list(Reminder.objects.values_list("pk", flat=True))
        Reminder.objects.update(state="sending")  # as if the broker redelivered the batch
        deliver_batch(reminder_ids=ids)
    assert len(outbox(settings)) == 2
    assert Delivery.objects.filter(state="sent").count() == 2
    assert set(Reminder.objects.values_list("state", flat=True)) == {"sent"}


def test_in_flight_claim_is_left_alone_and_a_stale_one_is_taken_up(world, dispatch, settings):
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    reminder = deadline.reminders.get(audience="migrant")
    with time_machine.travel(msk(9, 10, 1), tick=False):
        # A worker claimed the delivery and died before the provider answered.
        Reminder.objects.filter(pk=reminder.pk).update(state="sending", claimed_at=timezone.now())
        Delivery.objects.create(
            reminder=reminder,
            channel="sms",
            state="pending",
            attempts=1,
            claimed_at=timezone.now(),
        )
        result = deliver_batch(reminder_ids=[reminder.pk])
        assert result.busy == 1 and outbox(settings) == []
    with time_machine.travel(msk(9, 10, 10), tick=False):
        dispatch()  # past REMINDER_CLAIM_TIMEOUT_SECONDS: reclaimed
    reminder.refresh_from_db()
    assert reminder.state == "sent"
    assert [m["key"] for m in outbox(settings) if m["audience"] == "migrant"] == [
        f"r{reminder.pk}-sms"
    ]
    assert reminder.deliveries.get().attempts == 2


def test_stale_claim_on_a_non_idempotent_channel_is_not_resent(world, dispatch, settings):
    settings.SMSRU_API_ID = "test-key"
    settings.REMINDER_BACKENDS = {"sms": "smsru", "telegram": "outbox", "email": "outbox"}
    channels.reset()
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    reminder = deadline.reminders.get(audience="migrant")
    Reminder.objects.filter(pk=reminder.pk).update(state="sending", claimed_at=MONDAY_10)
    Delivery.objects.create(
        reminder=reminder, channel="sms", state="pending", attempts=1, claimed_at=MONDAY_10
    )
    with SmsRuStub() as stub, time_machine.travel(msk(9, 10, 10), tick=False):
        settings.SMSRU_API_URL = stub.url
        dispatch()
        assert stub.requests == []
    reminder.refresh_from_db()
    assert reminder.state == "failed"
    assert Task.objects.filter(case=world.case, kind="call_migrant", done_at=None).count() == 1


def test_quiet_hours_at_send_time_defer_to_the_morning(world, dispatch, settings):
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    with time_machine.travel(msk(9, 23, 30), tick=False):
        # The worker was down all day; at 23:30 the migrant's reminder must wait.
        dispatch()
    reminder = deadline.reminders.get(audience="migrant")
    assert reminder.state == "scheduled" and reminder.send_at == msk(10, 9)
    assert deadline.reminders.get(audience="caseworker").state == "sent"
    assert [m["audience"] for m in outbox(settings)] == ["caseworker"]
    with time_machine.travel(msk(10, 9, 1), tick=False):
        dispatch()
    reminder.refresh_from_db()
    assert reminder.state == "sent"


def test_no_consent_no_message(world, dispatch, settings):
    Consent.objects.all().delete()
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    with time_machine.travel(msk(9, 10, 1), tick=False):
        dispatch()
    reminder = deadline.reminders.get(audience="migrant")
    assert reminder.state == "skipped" and not reminder.deliveries.exists()
    assert [m["audience"] for m in outbox(settings)] == ["caseworker"]
    assert _timeline_mentions(world.case, "not agreed")


def test_consent_on_another_channel_does_not_count(world, dispatch, settings):
    Consent.objects.update(channel="telegram")  # but there is no Telegram chat id
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    with time_machine.travel(msk(9, 10, 1), tick=False):
        dispatch()
    assert deadline.reminders.get(audience="migrant").state == "skipped"


def test_do_not_contact_channel_is_never_used(world, dispatch, settings):
    Consent.objects.update(channel="")  # any channel
    world.migrant.do_not_contact = ["sms"]
    world.migrant.save()
    make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    with time_machine.travel(msk(9, 10, 1), tick=False):
        dispatch()
    to_migrant = [m for m in outbox(settings) if m["audience"] == "migrant"]
    assert [m["channel"] for m in to_migrant] == ["email"]


def test_opt_out_stops_an_already_queued_reminder(
    world, settings, django_capture_on_commit_callbacks
):
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    queued: list[list[int]] = []
    with time_machine.travel(msk(9, 10, 1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            dispatch_due(enqueue=queued.append)  # claimed and queued, not yet sent
        consent.withdraw_consent(migrant=world.migrant, channel="", by=None)
        for ids in queued:
            deliver_batch(reminder_ids=ids)
    assert deadline.reminders.get(audience="migrant").state == "skipped"
    assert [m["audience"] for m in outbox(settings)] == ["caseworker"]
    assert Consent.objects.get().withdrawn_at is not None


def test_met_after_queueing_cancels_before_sending(
    world, settings, django_capture_on_commit_callbacks
):
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    queued: list[list[int]] = []
    with time_machine.travel(msk(9, 10, 1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            dispatch_due(enqueue=queued.append)
        deadlines.mark_met(deadline=deadline, on=date(2026, 6, 9), by=world.user)
        for ids in queued:
            deliver_batch(reminder_ids=ids)
    assert set(states(deadline).values()) == {"cancelled"}
    assert outbox(settings) == []


def test_closed_case_after_queueing_sends_nothing(
    world, settings, django_capture_on_commit_callbacks
):
    make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    queued: list[list[int]] = []
    with time_machine.travel(msk(9, 10, 1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            dispatch_due(enqueue=queued.append)
        # Bypass the cancel hook: the worker must re-check the case itself.
        type(world.case).objects.filter(pk=world.case.pk).update(
            status="closed", outcome="resolved"
        )
        for ids in queued:
            deliver_batch(reminder_ids=ids)
    assert set(Reminder.objects.values_list("state", flat=True)) == {"cancelled"}
    assert outbox(settings) == []


def test_reminder_reaching_a_worker_after_the_deadline_is_skipped(world, dispatch, settings):
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[0])
    with time_machine.travel(msk(13, 10), tick=False):
        dispatch()
    assert set(states(deadline).values()) == {"skipped"}
    assert outbox(settings) == []
    assert _timeline_mentions(world.case, "had passed")


# --- provider errors (real SMS.ru adapter, local HTTP server) -------------------------------


@pytest.fixture
def smsru(world, settings):
    settings.SMSRU_API_ID = "test-key"
    settings.REMINDER_BACKENDS = {"sms": "smsru", "telegram": "outbox", "email": "outbox"}
    settings.REMINDER_RETRY_BASE_SECONDS = 60
    with SmsRuStub() as stub:
        settings.SMSRU_API_URL = stub.url
        channels.reset()
        yield stub
    channels.reset()


def test_transient_errors_back_off_then_one_delivery_with_three_attempts(world, smsru, dispatch):
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    smsru.answers.extend([(503, None), (502, None)])
    reminder = deadline.reminders.get(audience="migrant")
    with time_machine.travel(msk(9, 10, 1), tick=False):
        dispatch()
        reminder.refresh_from_db()
        assert reminder.state == "scheduled"
        assert reminder.send_at == msk(9, 10, 2)  # 60 s after the first failure
        assert "503" in reminder.last_error
    with time_machine.travel(msk(9, 10, 3), tick=False):
        dispatch()
        reminder.refresh_from_db()
        assert reminder.send_at == msk(9, 10, 5)  # 120 s after the second
    with time_machine.travel(msk(9, 10, 6), tick=False):
        dispatch()
    reminder.refresh_from_db()
    delivery = reminder.deliveries.get()
    assert reminder.state == "sent" and reminder.attempts == 3
    assert delivery.state == "sent" and delivery.attempts == 3
    assert delivery.provider_message_id == "000000-00000003"
    assert [r["to"] for r in smsru.requests] == ["992931234567"] * 3
    assert smsru.requests[0]["api_id"] == "test-key" and smsru.requests[0]["json"] == "1"


def test_attempts_run_out_then_failed_and_a_call_task(world, smsru, dispatch, settings):
    settings.REMINDER_MAX_ATTEMPTS = 2
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    smsru.answers.extend([(500, None)] * 5)
    with time_machine.travel(msk(9, 10, 1), tick=False):
        dispatch()
    with time_machine.travel(msk(9, 10, 5), tick=False):
        dispatch()
    reminder = deadline.reminders.get(audience="migrant")
    assert reminder.state == "failed"
    assert reminder.deliveries.get().state == "failed"
    assert len(smsru.requests) == 2
    task = Task.objects.get(case=world.case, kind="call_migrant")
    assert task.assignee == world.user and task.done_at is None


def test_permanent_refusal_falls_back_to_the_next_consented_channel(
    world, smsru, dispatch, settings
):
    Consent.objects.create(migrant=world.migrant, channel="email")
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    smsru.answers.append(SmsRuStub.rejected("992931234567", 207))
    with time_machine.travel(msk(9, 10, 1), tick=False):
        dispatch()
    reminder = deadline.reminders.get(audience="migrant")
    got = {d.channel: d for d in reminder.deliveries.all()}
    assert got["sms"].state == "failed" and "207" in got["sms"].error
    assert got["email"].state == "sent"
    assert reminder.state == "sent"
    assert [m["channel"] for m in outbox(settings) if m["audience"] == "migrant"] == ["email"]
    assert not Task.objects.filter(kind="call_migrant").exists()


def test_http_4xx_with_no_channel_left_fails_with_a_call_task(world, smsru, dispatch):
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    smsru.answers.append((403, {"status": "ERROR"}))
    with time_machine.travel(msk(9, 10, 1), tick=False):
        dispatch()
    reminder = deadline.reminders.get(audience="migrant")
    assert reminder.state == "failed" and len(smsru.requests) == 1
    assert Task.objects.filter(case=world.case, kind="call_migrant").count() == 1
    assert _timeline_mentions(world.case, "call the migrant")


# --- pages' data -------------------------------------------------------------------------


def test_dashboard_context_lists_upcoming_sent_failed_and_calls(world, smsru, dispatch):
    make_deadline(world.case, due=date(2026, 6, 12), offsets=[3, 1])
    smsru.answers.append((400, None))
    with time_machine.travel(msk(9, 10, 1), tick=False):
        dispatch()
        context = panels.dashboard_context(user=world.user, organisation=world.org)
    assert {r.audience for r in context["sent"]} == {"caseworker"}
    assert [r.audience for r in context["failed"]] == ["migrant"]
    assert {(r.audience, r.offset_days) for r in context["upcoming"]} == {
        ("migrant", 1),
        ("caseworker", 1),
    }
    assert len(context["call_tasks"]) == 1
    other = make_world(code="OTH")
    empty = panels.dashboard_context(user=other.user, organisation=other.org)
    assert not any(empty.values())


def test_case_panel_shows_every_planned_send_with_its_basis(world):
    deadline = make_deadline(world.case, due=date(2026, 6, 12))
    context = panels.deadline_panel_context(case=world.case)
    (row,) = context["deadline_rows"]
    assert row.deadline == deadline and row.days_left == 4 and not row.overdue
    assert len(row.reminders) == 6
    migrant_rows = [r for r in row.reminders if r.reminder.audience == "migrant"]
    assert all(r.sms.encoding == "UCS-2" and r.sms.segments >= 2 for r in migrant_rows)
    assert migrant_rows[0].send_at_local.hour == 10


def test_deadline_row_turns_overdue_on_its_own(world):
    make_deadline(world.case, due=date(2026, 6, 9), offsets=[])
    with time_machine.travel(msk(11, 12), tick=False):
        (row,) = panels.deadline_panel_context(case=world.case)["deadline_rows"]
    assert row.overdue and row.overdue_days == 2


def test_retired_deadline_reminders_cancelled_by_schedule(world):
    deadline = make_deadline(world.case, due=date(2026, 6, 12))
    Deadline.objects.filter(pk=deadline.pk).update(state="retired")
    scheduling.schedule_for_deadline(deadline=deadline)
    assert set(states(deadline).values()) == {"cancelled"}


@pytest.mark.django_db(transaction=True)  # on_commit must run as in production
def test_broker_down_gives_the_claims_back_and_stops_the_tick(world, settings):
    settings.REMINDER_BATCH_SIZE = 1
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3, 1])
    calls = []

    def broken_broker(ids):
        calls.append(ids)
        raise ConnectionError("broker down")

    with time_machine.travel(msk(11, 10, 1), tick=False):
        result = dispatch_due(enqueue=broken_broker)
    assert result.broker_down and len(calls) == 1
    assert set(states(deadline).values()) == {"scheduled"}
    assert not Reminder.objects.filter(claimed_at__isnull=False).exists()


def test_a_batch_out_of_time_gives_unsent_reminders_back(world, dispatch, settings):
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    with time_machine.travel(msk(9, 10, 1), tick=False):
        ids = list(deadline.reminders.values_list("pk", flat=True))
        Reminder.objects.filter(pk__in=ids).update(state="sending", claimed_at=timezone.now())
        result = BatchResult()
        _deliver_chunk(ids, result, stop_at=0)  # the time is already up
        assert result.released == 2 and outbox(settings) == []
        assert set(states(deadline).values()) == {"scheduled"}
        assert set(Reminder.objects.values_list("attempts", flat=True)) == {0}
        assert set(Delivery.objects.values_list("state", "attempts")) == {("retrying", 0)}
        dispatch()
    assert set(states(deadline).values()) == {"sent"}
    assert set(Delivery.objects.values_list("state", "attempts")) == {("sent", 1)}
    assert len(outbox(settings)) == 2


def test_due_date_moved_earlier_sends_the_latest_at_once_and_notes_it(world):
    deadline = make_deadline(world.case, due=date(2026, 6, 20), offsets=[3, 1])
    deadline.due_date = date(2026, 6, 9)  # arrival date corrected: both times now past
    deadline.save()
    scheduling.schedule_for_deadline(deadline=deadline)
    got = {r.offset_days: r for r in deadline.reminders.filter(audience="migrant")}
    assert got[3].state == "skipped"
    assert got[1].state == "scheduled" and got[1].send_at == MONDAY_10  # at once
    texts = [
        describe(event, {})
        for event in TimelineEvent.objects.filter(case=world.case, kind="reminder")
    ]
    assert any("rescheduled" in t and "2026-06-19 10:00 → 2026-06-08 10:00" in t for t in texts)
    assert any("skipped" in t for t in texts)


def test_a_text_that_would_reveal_the_migrants_status_is_never_sent(
    world, dispatch, settings, monkeypatch
):
    # A translator's slip: the migrant's template names the police. Nothing leaves, and a
    # caseworker is asked to call instead.
    monkeypatch.setattr(
        "cases.messages.migrant_text", lambda **kw: "Hamroh: go to the police station by 12.06"
    )
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    with time_machine.travel(msk(9, 10, 1), tick=False):
        dispatch()
    assert [m["audience"] for m in outbox(settings)] == ["caseworker"]
    reminder = deadline.reminders.get(audience="migrant")
    assert reminder.state == "failed"
    assert reminder.deliveries.get().error == "text would reveal 1 item(s)"
    assert Task.objects.filter(case=world.case, kind="call_migrant").exists()
