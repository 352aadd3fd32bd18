"""A migrant's own safe hours for messages (SCENARIOS.md, Farrukh: "only after 20:00").

The organisation keeps quiet hours for everybody; a migrant whose phone is checked by day
says when it is theirs. Both are read on the migrant's clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases import channels, scheduling, services
from cases.dispatch import dispatch_due
from cases.tasks import send_reminders
from tests.reminder_support import make_deadline, make_world

MONDAY_10_MSK = datetime(2026, 6, 8, 7, 0, tzinfo=UTC)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.REMINDER_OUTBOX_DIR = tmp_path / "outbox"
    settings.REMINDER_BACKENDS = {"sms": "outbox", "telegram": "outbox", "email": "outbox"}
    channels.reset()
    with time_machine.travel(MONDAY_10_MSK, tick=False):
        world = make_world()
        world.org.quiet_hours_start, world.org.quiet_hours_end = 21, 9
        world.org.save()
        yield world
    channels.reset()


def set_hours(world, start, end):
    services.update_migrant(
        migrant=world.migrant, by=world.user, message_hours_start=start, message_hours_end=end
    )
    world.migrant.refresh_from_db()


def migrant_send_time(deadline) -> datetime:
    return deadline.reminders.get(audience="migrant").send_at


def test_reminders_are_planned_inside_the_migrants_hours(world):
    set_hours(world, 20, 24)
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    # 10:00 is the usual hour; he asked for after 20:00, and quiet hours start at 21:00.
    assert migrant_send_time(deadline) == datetime(2026, 6, 9, 17, 0, tzinfo=UTC)  # 20:00 MSK
    # The caseworker's copy keeps the working hour.
    caseworker = deadline.reminders.get(audience="caseworker")
    assert caseworker.send_at == datetime(2026, 6, 9, 7, 0, tzinfo=UTC)


def test_changing_the_hours_moves_the_pending_reminders(world):
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    assert migrant_send_time(deadline) == datetime(2026, 6, 9, 7, 0, tzinfo=UTC)  # 10:00 MSK
    with time_machine.travel(MONDAY_10_MSK, tick=False):
        set_hours(world, 19, 21)
    assert migrant_send_time(deadline) == datetime(2026, 6, 9, 16, 0, tzinfo=UTC)  # 19:00 MSK
    with time_machine.travel(MONDAY_10_MSK, tick=False):
        set_hours(world, None, None)
    assert migrant_send_time(deadline) == datetime(2026, 6, 9, 7, 0, tzinfo=UTC)


def test_at_send_time_a_message_outside_the_hours_waits_for_them(
    world, django_capture_on_commit_callbacks
):
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    set_hours(world, 20, 24)  # after the rows were planned: the sender checks again
    deadline.reminders.filter(audience="migrant").update(
        send_at=datetime(2026, 6, 9, 7, 0, tzinfo=UTC)
    )
    with time_machine.travel(datetime(2026, 6, 9, 7, 0, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            dispatch_due(enqueue=send_reminders.delay)
    reminder = deadline.reminders.get(audience="migrant")
    assert reminder.state == "scheduled"
    assert reminder.send_at == datetime(2026, 6, 9, 17, 0, tzinfo=UTC)  # 20:00 MSK that day


@pytest.mark.parametrize(
    ("window", "at_msk_hour", "expected_msk_hour", "next_day"),
    [
        ((20, 24), 20, None, False),  # inside both: send now
        ((20, 24), 21, 20, True),  # 21:00 is quiet for the organisation: tomorrow 20:00
        ((22, 2), 10, 22, False),  # a window past midnight…
        ((22, 23), 10, 22, False),  # …or one inside the quiet hours: the migrant's wins
        ((8, 10), 10, 9, True),  # 8:00 is quiet: 9:00 next morning
    ],
)
def test_the_first_allowed_hour(world, window, at_msk_hour, expected_msk_hour, next_day):
    zone = scheduling.org_zone(world.org)
    at = datetime(2026, 6, 8, at_msk_hour, 0, tzinfo=zone)
    opens = scheduling.quiet_until(at=at, organisation=world.org, window=window)
    if expected_msk_hour is None:
        assert opens is None
        return
    assert opens == datetime(2026, 6, 9 if next_day else 8, expected_msk_hour, 0, tzinfo=zone)


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (20, None, "message_hours_end"),
        (None, 22, "message_hours_start"),
        (20, 20, "message_hours_end"),
        (0, 24, "message_hours_end"),
        (24, 2, "message_hours_start"),
    ],
)
def test_an_incomplete_or_empty_window_is_refused(world, start, end, field):
    with pytest.raises(ValidationError) as error:
        set_hours(world, start, end)
    assert field in error.value.message_dict


def test_the_intake_form_records_the_hours(client, world):
    client.force_login(world.user)
    page = client.get("/cases/new/").content.decode()
    assert 'name="m-message_hours_start"' in page
    response = client.post(
        "/cases/new/",
        {"m-full_name_latin": "Farrukh Rakhimov", "m-message_hours_start": "20"},
    )
    assert response.status_code == 400
    assert 'id="id_m-message_hours_end_error"' in response.content.decode()
