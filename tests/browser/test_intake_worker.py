"""End to end in Chromium and a real Celery worker: a caseworker of an empty organisation
enters a new migrant through the intake form with SMS consent, and a worker process on Redis
delivers the registration reminder to the SMS gateway (a local SMS.ru stand-in); the case page
then shows the delivery.

Needs PostgreSQL (the worker shares the test database), Redis and chromium:
HAMROH_BROWSER_TESTS=1 DATABASE_URL=postgres://... pytest tests/browser/test_intake_worker.py
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.dispatch import dispatch_due
from cases.models import Delivery, Reminder
from tests.browser.casework_ui import empty_organisation, intake, sign_in
from tests.content.factories import load_shipped_rules
from tests.integration.reminder_worker import running_worker, wait_until
from tests.integration.test_reminders_worker import enqueue_to, env  # noqa: F401 — a fixture
from tests.reminder_support import SmsRuStub
from tests.screenshots import shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


def test_intake_with_sms_consent_in_the_browser_reaches_the_sms_gateway(
    browser,
    live_server,
    env,  # noqa: F811
):
    load_shipped_rules()
    # Quiet hours 0–0 (none), as the admin may set them: the test runs at any hour.
    world = empty_organisation(quiet_hours_start=0, quiet_hours_end=0)
    page = sign_in(browser, live_server, world.caseworker)
    case = intake(
        page,
        live_server,
        who={
            "full_name_latin": "Firdavs Saidov",
            "citizenship": "TJ",
            "gender": "male",
            "phone": "+992 93 444 55 66",
            "preferred_language": "tg",
            "region": "Moscow",
        },
        problems=["registration"],
        facts={"arrival_date": (timezone.localdate() - timedelta(days=1)).isoformat()},
        consent=["sms"],
    )
    assert not page.locator("#consent .reminder-blocker").count()
    registration = case.deadlines.get(key__startswith="registration")
    first = (
        Reminder.objects.filter(deadline=registration, audience="migrant", state="scheduled")
        .order_by("send_at")
        .first()
    )
    assert first is not None
    # Its day is days ahead; made due now so the worker need not wait for it.
    Reminder.objects.filter(pk=first.pk).update(send_at=timezone.now() - timedelta(seconds=5))

    with SmsRuStub() as gateway:
        worker_env = env["env"] | {
            "REMINDER_BACKENDS": "sms=smsru,telegram=outbox,email=outbox",
            "SMSRU_API_ID": "browser-intake-key",
            "SMSRU_API_URL": gateway.url,
        }
        with running_worker(broker=env["broker"], env=worker_env, queue=env["queue"]):
            # The test plays beat: the dispatcher claims the due row and publishes the task.
            tick = lambda: dispatch_due(enqueue=enqueue_to(env["broker"], env["queue"]))  # noqa: E731
            assert wait_until(
                lambda: Reminder.objects.get(pk=first.pk).state == "sent", timeout=60, tick=tick
            )
    sent = [r for r in gateway.requests if r.get("api_id") == "browser-intake-key"]
    assert len(sent) == 1
    assert sent[0]["to"].lstrip("+") == "992934445566"
    assert "/m/" in sent[0]["msg"] and "Empty NGO" not in sent[0]["msg"]
    delivery = Delivery.objects.get(reminder_id=first.pk)
    assert delivery.channel == "sms" and delivery.state == "sent"

    # The caseworker sees it on the case page: the delivery beside the reminder.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    rows = page.locator(f"#deadline-{registration.pk} table.reminders tbody tr.state-sent")
    assert rows.count() == 1
    assert "sms: Sent" in rows.first.inner_text()
    shot(page, "intake-worker-delivered")
    assert not page.js_errors, page.js_errors
