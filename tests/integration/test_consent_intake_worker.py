"""End to end: a new migrant entered through the intake form with SMS consent gets the
registration reminder from a real Celery worker; without consent the case page says why not."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from cases.dispatch import dispatch_due
from cases.models import Case, Membership, Organisation, Reminder
from tests.integration.reminder_worker import running_worker, wait_until
from tests.integration.test_reminders_worker import enqueue_to, env  # noqa: F401 — a fixture

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _intake(client, name: str, phone: str, **consent_fields) -> Case:
    arrived = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        "/cases/new/",
        {
            "m-full_name_latin": name,
            "m-citizenship": "TJ",
            "m-gender": "male",
            "m-phone": phone,
            "m-preferred_language": "tg",
            "m-region": "Moscow",
            "c-problem_type": "registration",
            "c-priority": "normal",
            "c-arrival_date": arrived,
            "c-assign_to_me": "on",
            "c-submission": f"token-{name}",
            **consent_fields,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Case.objects.get(migrant__full_name_latin=name)


def test_intake_with_sms_consent_the_worker_delivers_without_it_the_page_says_why(env, client):  # noqa: F811
    call_command("load_rules", stdout=open("/dev/null", "w"))  # noqa: SIM115
    org = Organisation.objects.create(
        name="Empty NGO", slug="empty", code="EMP", timezone="Europe/Moscow"
    )
    org.quiet_hours_start = org.quiet_hours_end = 0  # the test runs at any hour
    org.save()
    user = User.objects.create_user("cw-empty", email="cw@example.org", password="x" * 16)
    Membership.objects.create(user=user, organisation=org, role=Membership.Role.CASEWORKER)
    client.force_login(user)

    agreed = _intake(
        client,
        "Firdavs Saidov",
        "+992934445566",
        **{"k-channels": ["sms"], "k-method": "in_person"},
    )
    registration = agreed.deadlines.get(key__contains="registration")
    reminders = Reminder.objects.filter(deadline=registration, audience="migrant")
    assert reminders.exists()
    # The first one is made due now (the worker must not wait days for the test).
    first = reminders.filter(state="scheduled").order_by("send_at").first()
    Reminder.objects.filter(pk=first.pk).update(send_at=timezone.now() - timedelta(seconds=5))

    with running_worker(broker=env["broker"], env=env["env"], queue=env["queue"]):
        tick = lambda: dispatch_due(enqueue=enqueue_to(env["broker"], env["queue"]))  # noqa: E731
        assert wait_until(
            lambda: Reminder.objects.get(pk=first.pk).state == "sent", timeout=30, tick=tick
        )
    files = [json.loads(p.read_text()) for p in env["outbox"].glob("*.json")]
    to_migrant = [f for f in files if f["audience"] == "migrant"]
    assert [(f["channel"], f["to"]) for f in to_migrant] == [("sms", "+992934445566")]

    refused = _intake(client, "Rustam Nazarov", "+992931234567")
    page = client.get(refused.get_absolute_url()).content.decode()
    assert "Reminders to the migrant will not be sent" in page
    assert "No consent for SMS." in page and "Record consent." in page
