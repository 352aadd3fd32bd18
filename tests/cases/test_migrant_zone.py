"""Quiet hours on the migrant's clock: a Moscow NGO serving a migrant in Yekaterinburg."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from cases import channels, regions, scheduling, services
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
        services.update_migrant(migrant=world.migrant, by=world.user, region="Sverdlovsk Oblast")
        world.migrant.refresh_from_db()
        yield world
    channels.reset()


def test_every_federal_subject_has_a_real_zone():
    assert len(regions.REGIONS) == len(regions.ZONES) >= 85
    assert all(regions.zone_of(name) is not None for name in regions.ZONES)
    assert regions.zone_of("Atlantis") is None and regions.zone_of("") is None


def test_the_migrants_reminder_is_planned_on_yekaterinburg_time(world):
    assert world.org.timezone == "Europe/Moscow"
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    to_migrant = deadline.reminders.get(audience="migrant")
    to_caseworker = deadline.reminders.get(audience="caseworker")
    assert to_migrant.send_at == datetime(2026, 6, 9, 5, 0, tzinfo=UTC)  # 10:00 in Yekaterinburg
    assert to_caseworker.send_at == datetime(2026, 6, 9, 7, 0, tzinfo=UTC)  # 10:00 in Moscow


def test_quiet_hours_are_read_on_the_migrants_clock(world):
    at = datetime(2026, 6, 8, 17, 30, tzinfo=UTC)  # 20:30 in Moscow, 22:30 in Yekaterinburg
    assert scheduling.quiet_until(at=at, organisation=world.org) is None
    zone = scheduling.migrant_zone(world.migrant, world.org)
    assert scheduling.quiet_until(at=at, organisation=world.org, zone=zone) == datetime(
        2026, 6, 9, 4, 0, tzinfo=UTC
    )  # 09:00 in Yekaterinburg


def test_at_send_time_a_late_evening_in_yekaterinburg_waits(
    world, django_capture_on_commit_callbacks
):
    deadline = make_deadline(world.case, due=date(2026, 6, 12), offsets=[3])
    with time_machine.travel(datetime(2026, 6, 9, 17, 30, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            dispatch_due(enqueue=send_reminders.delay)
    reminder = deadline.reminders.get(audience="migrant")
    assert reminder.state == "scheduled"
    assert reminder.send_at == datetime(2026, 6, 10, 4, 0, tzinfo=UTC)
    assert deadline.reminders.get(audience="caseworker").state == "sent"


def test_a_migrant_without_a_region_keeps_the_organisations_clock(world):
    services.update_migrant(migrant=world.migrant, by=world.user, region="")
    world.migrant.refresh_from_db()
    assert scheduling.migrant_zone(world.migrant, world.org) == scheduling.org_zone(world.org)


def test_the_intake_form_offers_the_regions_and_refuses_an_unknown_one(client, world):
    client.force_login(world.user)
    page = client.get("/cases/new/").content.decode()
    assert "Свердловская область · Sverdlovsk Oblast" in page
    response = client.post("/cases/new/", {"m-region": "Atlantis", "m-full_name_latin": "A B"})
    assert response.status_code == 400 and 'id="id_m-region_error"' in response.content.decode()
