"""Reminders follow the case's life: closing (outcome, confirmation), undo, reopen request."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from cases import case_life, channels, services
from cases.models import Case, Membership
from tests import factories
from tests.reminder_support import make_deadline, make_world

MONDAY_10_MSK = datetime(2026, 6, 8, 7, 0, tzinfo=UTC)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.REMINDER_OUTBOX_DIR = tmp_path / "outbox"
    settings.REMINDER_BACKENDS = {"sms": "outbox", "telegram": "outbox", "email": "outbox"}
    channels.reset()
    with time_machine.travel(MONDAY_10_MSK, tick=False):
        yield make_world()
    channels.reset()


def _states(deadline) -> dict[int, str]:
    return dict(deadline.reminders.filter(audience="migrant").values_list("offset_days", "state"))


def test_reopening_brings_back_future_reminders_and_never_the_past_ones(world):
    supervisor = factories.member(world.org, Membership.Role.SUPERVISOR)
    deadline = make_deadline(world.case, due=date(2026, 6, 20), offsets=[10, 3, 1])
    assert _states(deadline) == {10: "scheduled", 3: "scheduled", 1: "scheduled"}
    services.close_case(case=world.case, outcome="resolved", by=world.user)
    assert set(_states(deadline).values()) == {"cancelled"}
    # Six days later: the 10-day reminder (10 June) passed while the case was closed.
    with time_machine.travel(MONDAY_10_MSK + timedelta(days=6), tick=False):
        case_life.reopen_case(case=world.case, reason="The migrant came back.", by=supervisor)
        assert _states(deadline) == {10: "cancelled", 3: "scheduled", 1: "scheduled"}
        late = deadline.reminders.get(audience="migrant", offset_days=10)
        assert late.sent_at is None and not late.deliveries.exists()


def test_closing_without_an_outcome_is_refused_with_a_message(client, world):
    client.force_login(world.user)
    response = client.post(f"/cases/{world.case.pk}/close/", {"outcome": ""})
    assert response.status_code == 400
    assert "Choose an outcome to close the case." in response.content.decode()
    world.case.refresh_from_db()
    assert not world.case.is_closed


def test_the_outcome_list_starts_blank(client, world):
    client.force_login(world.user)
    page = client.get(world.case.get_absolute_url()).content.decode()
    first_option = page.split('id="id_outcome"', 1)[1].split("<option", 2)[1]
    assert 'value=""' in first_option


def test_closing_asks_for_confirmation_first(client, world):
    make_deadline(world.case, due=date(2026, 6, 20), offsets=[3])
    client.force_login(world.user)
    response = client.post(f"/cases/{world.case.pk}/close/", {"outcome": "resolved"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Close the case?" in page and "2 scheduled reminders will stop." in page
    world.case.refresh_from_db()
    assert not world.case.is_closed
    client.post(f"/cases/{world.case.pk}/close/", {"outcome": "resolved", "confirmed": "1"})
    world.case.refresh_from_db()
    assert world.case.status == Case.Status.CLOSED


def test_the_closer_can_undo_within_the_window_and_not_after(client, world, settings):
    settings.CASE_CLOSE_UNDO_MINUTES = 10
    services.change_status(case=world.case, to="in_progress", by=world.user)
    deadline = make_deadline(world.case, due=date(2026, 6, 20), offsets=[3])
    services.close_case(case=world.case, outcome="resolved", by=world.user)
    client.force_login(world.user)
    assert "Undo closing" in client.get(world.case.get_absolute_url()).content.decode()
    client.post(f"/cases/{world.case.pk}/undo-close/")
    world.case.refresh_from_db()
    assert world.case.status == Case.Status.IN_PROGRESS and world.case.outcome == ""
    assert _states(deadline) == {3: "scheduled"}

    services.close_case(case=world.case, outcome="resolved", by=world.user)
    with time_machine.travel(MONDAY_10_MSK + timedelta(minutes=11), tick=False):
        response = client.post(f"/cases/{world.case.pk}/undo-close/", follow=True)
        assert "ask a supervisor" in response.content.decode()
    world.case.refresh_from_db()
    assert world.case.is_closed


def test_someone_else_cannot_undo_a_close(world):
    other = factories.member(world.org, Membership.Role.CASEWORKER)
    services.close_case(case=world.case, outcome="resolved", by=world.user)
    assert not case_life.may_undo_close(world.case, other)


def test_a_caseworkers_reopen_request_reaches_the_supervisor_who_grants_it(client, world):
    supervisor = factories.member(world.org, Membership.Role.SUPERVISOR)
    services.close_case(case=world.case, outcome="resolved", by=world.user)
    client.force_login(world.user)
    refused = client.post(f"/cases/{world.case.pk}/request-reopen/", {"reason": ""})
    assert refused.status_code == 400
    client.post(f"/cases/{world.case.pk}/request-reopen/", {"reason": "New court date."})
    world.case.refresh_from_db()
    assert world.case.reopen_requested_by == world.user

    client.force_login(supervisor)
    dashboard = client.get("/").content.decode()
    assert "Asked to reopen" in dashboard and world.case.number in dashboard
    assert "Grant the reopen request" in client.get(world.case.get_absolute_url()).content.decode()
    client.post(f"/cases/{world.case.pk}/reopen/", {"reason": "Granted."})
    world.case.refresh_from_db()
    assert not world.case.is_closed and world.case.reopen_requested_at is None
    assert world.case.number not in client.get("/").content.decode()
