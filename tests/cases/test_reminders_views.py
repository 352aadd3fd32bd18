"""Deadline actions, the ICS calendar, the opt-out page and the reminder partials."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from icalendar import Calendar

from cases import channels, messages
from cases.models import Consent, Deadline, TimelineEvent
from tests.reminder_support import make_deadline, make_world

NOW = datetime(2026, 6, 8, 7, 0, tzinfo=UTC)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.REMINDER_OUTBOX_DIR = tmp_path
    channels.reset()
    with time_machine.travel(NOW, tick=False):
        world = make_world()
        world.deadline = make_deadline(world.case, due=date(2026, 6, 12))
        yield world


@pytest.fixture
def client_in(client, world):
    client.force_login(world.user)
    return client


def test_mark_met_from_the_case_page(client_in, world):
    url = reverse("cases:deadline_met", args=[world.deadline.pk])
    prefix = f"met{world.deadline.pk}"
    response = client_in.post(url, {f"{prefix}-on": "2026-06-08", f"{prefix}-note": "Slip seen"})
    assert response.status_code == 302 and response["Location"] == world.case.get_absolute_url()
    world.deadline.refresh_from_db()
    assert world.deadline.state == "met" and world.deadline.resolved_on == date(2026, 6, 8)
    assert set(world.deadline.reminders.values_list("state", flat=True)) == {"cancelled"}


def test_mark_met_with_a_future_date_is_a_field_error_not_a_500(client_in, world):
    prefix = f"met{world.deadline.pk}"
    response = client_in.post(
        reverse("cases:deadline_met", args=[world.deadline.pk]), {f"{prefix}-on": "2026-07-01"}
    )
    assert response.status_code == 400
    assert "This date is in the future." in response.content.decode()
    world.deadline.refresh_from_db()
    assert world.deadline.state == "open"


def test_waive_over_htmx_returns_the_panel(client_in, world):
    response = client_in.post(
        reverse("cases:deadline_waive", args=[world.deadline.pk]),
        {f"waive{world.deadline.pk}-reason": "Left the country"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="deadline-reminders"' in response.content.decode()
    world.deadline.refresh_from_db()
    assert world.deadline.state == "waived"


def test_waive_without_reason_is_400(client_in, world):
    response = client_in.post(reverse("cases:deadline_waive", args=[world.deadline.pk]), {})
    assert response.status_code == 400
    world.deadline.refresh_from_db()
    assert world.deadline.state == "open"


def test_add_manual_deadline_with_offsets(client_in, world):
    response = client_in.post(
        reverse("cases:deadline_add", args=[world.case.pk]),
        {"add-title": "Court hearing", "add-due_date": "2026-06-30", "add-offsets": "7, 1"},
    )
    assert response.status_code == 302
    deadline = Deadline.objects.get(case=world.case, kind="manual")
    assert deadline.reminder_offsets == [7, 1]
    assert deadline.reminders.count() == 4


@pytest.mark.parametrize(
    "data",
    [
        {"add-title": "X", "add-due_date": "2026-06-30", "add-offsets": "a, b"},
        {"add-title": "X", "add-due_date": "2026-06-30", "add-offsets": "400"},
        {"add-title": "X", "add-due_date": "not a date", "add-offsets": "1"},
        {"add-title": "X", "add-due_date": "2026-01-01", "add-offsets": "1"},
    ],
)
def test_bad_manual_deadline_is_400_and_writes_nothing(client_in, world, data):
    response = client_in.post(reverse("cases:deadline_add", args=[world.case.pk]), data)
    assert response.status_code == 400
    assert not Deadline.objects.filter(kind="manual").exists()


def test_another_organisations_deadline_is_404(client, world):
    other = make_world(code="OTH")
    client.force_login(other.user)
    prefix = f"met{world.deadline.pk}"
    response = client.post(
        reverse("cases:deadline_met", args=[world.deadline.pk]), {f"{prefix}-on": "2026-06-08"}
    )
    assert response.status_code == 404
    assert client.get(reverse("cases:deadlines_ics", args=[world.case.pk])).status_code == 404


def test_ics_lists_the_case_deadlines_without_personal_data(client_in, world):
    response = client_in.get(reverse("cases:deadlines_ics", args=[world.case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == f"{world.case.number}: Register your stay"
    assert event.decoded("dtstart") == date(2026, 6, 12)
    assert b"Nazarov" not in response.content and "Назаров".encode() not in response.content


def test_optout_asks_on_get_and_withdraws_on_post(client, world):
    url = messages.optout_url(world.migrant.pk)
    path = url.split("127.0.0.1:8000", 1)[-1]
    page = client.get(path)
    assert page.status_code == 200
    assert "Дигар ёдраскунӣ нагиред?" in page.content.decode()  # Tajik
    assert Consent.objects.get().withdrawn_at is None  # a link preview changes nothing
    done = client.post(path)
    assert done.status_code == 200
    assert Consent.objects.get().withdrawn_at is not None
    assert TimelineEvent.objects.filter(case=world.case, kind="migrant").exists()


def test_optout_with_a_bad_token_is_a_friendly_400(client, world):
    response = client.get(reverse("cases:optout", args=["1:forged"]))
    assert response.status_code == 400
    assert "Позвоните" in response.content.decode()
    assert client.post(reverse("cases:optout", args=["1:forged"])).status_code == 400
    assert Consent.objects.get().withdrawn_at is None


def test_partials_render_through_their_tags(world):
    request = RequestFactory().get("/")
    request.user = world.user
    html = Template(
        "{% load reminder_tags %}{% deadline_reminders case %}{% reminders_dashboard %}"
    ).render(Context({"case": world.case, "request": request, "current_organisation": world.org}))
    assert "Register your stay" in html
    assert "Tue 9 June 2026, 10:00" in html  # planned send time, organisation time zone
    assert "SMS segments" in html
    assert 'id="reminders-dashboard"' in html
    assert world.case.number in html


def test_caseworker_records_the_migrants_opt_out(client_in, world):
    response = client_in.post(reverse("cases:stop_messages", args=[world.case.pk]))
    assert response.status_code == 302
    assert Consent.objects.get().withdrawn_at is not None
    assert TimelineEvent.objects.filter(case=world.case, kind="system", actor=world.user).exists()


def test_stop_messages_on_another_organisations_case_is_404(client, world):
    other = make_world(code="OTH")
    client.force_login(other.user)
    response = client.post(reverse("cases:stop_messages", args=[world.case.pk]))
    assert response.status_code == 404
    assert Consent.objects.get(migrant=world.migrant).withdrawn_at is None


def test_case_page_shows_one_deadlines_panel_with_send_times_and_actions(client_in, world):
    page = client_in.get(world.case.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('id="deadline-reminders"') == 1  # one deadlines panel, not two
    assert "Register your stay" in html and "4 days left" in html
    assert "Tue 9 June 2026, 10:00" in html  # every planned send time is visible
    assert "Rule" in html and "ru.registration.7wd" in html
    assert reverse("cases:deadline_met", args=[world.deadline.pk]) in html
    assert reverse("cases:deadline_waive", args=[world.deadline.pk]) in html
    assert reverse("cases:deadline_add", args=[world.case.pk]) in html  # manual deadline form
    assert reverse("cases:deadlines_ics", args=[world.case.pk]) in html
    # The migrant's page panel sits on the case page too.
    assert reverse("portal:staff_panel", args=[world.case.pk]) in html


def test_dashboard_shows_upcoming_failed_reminders_and_calls(client_in, world):
    from cases.models import Reminder, Task

    reminder = world.deadline.reminders.filter(audience="migrant").first()
    Reminder.objects.filter(pk=reminder.pk).update(state="failed", last_error="sms: rejected")
    Task.objects.create(
        case=world.case, kind=Task.Kind.CALL_MIGRANT, title="Call the migrant about it"
    )
    html = client_in.get(reverse("cases:dashboard")).content.decode()
    assert 'id="reminders-dashboard"' in html
    assert "Upcoming (7 days)" in html and "Tue 9 June 10:00" in html
    assert "reminder failed" in html and "sms: rejected" in html
    assert "Call the migrant about it" in html
    assert html.count(world.case.number) >= 3
