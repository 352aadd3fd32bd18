"""Webhooks: signed POSTs to a real local HTTP server on case events and overdue deadlines."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from api import webhooks
from api.models import Webhook, WebhookDelivery
from cases import services
from tests.api.conftest import add_plan, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _eager_celery():
    """Run the delivery task in-process; its retries then run synchronously too.

    tests/conftest.py's `app.conf.update(task_always_eager=True)` does not take: with the
    CELERY namespace, settings.CELERY_TASK_ALWAYS_EAGER (False) wins over the short key.
    """
    from advisor.celery import app

    before = app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.update(CELERY_TASK_ALWAYS_EAGER=True)
    yield
    app.conf.update(CELERY_TASK_ALWAYS_EAGER=before)


class Receiver:
    """An HTTP server on 127.0.0.1 that records requests and answers with scripted codes."""

    def __init__(self, codes=(204,)):
        self.codes = list(codes)
        self.requests: list[tuple[dict, bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests.append((dict(self.headers), body))
                code = outer.codes.pop(0) if len(outer.codes) > 1 else outer.codes[0]
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def subscribe(organisation, url, events=tuple(Webhook.Event.values)):
    return Webhook.objects.create(organisation=organisation, url=url, events=list(events))


def test_case_created_and_status_changed_are_signed_posts(
    org_a, caseworker, receiver, django_capture_on_commit_callbacks
):
    hook = subscribe(org_a, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(org_a, caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(case=case, to="in_progress", by=caseworker)
    events = [headers["X-Hamroh-Event"] for headers, _ in receiver.requests]
    assert events == ["case.created", "case.status_changed"]
    headers, body = receiver.requests[1]
    expected = hmac.new(
        hook.secret.encode(), headers["X-Hamroh-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Hamroh-Signature"] == f"sha256={expected}"
    payload = json.loads(body)
    assert payload["case"]["number"] == case.number
    assert (payload["from"], payload["to"]) == ("new", "in_progress")
    assert "Rustam" not in body.decode()  # ids and codes only, no personal data
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"sent"}


def test_other_organisations_and_unsubscribed_events_get_nothing(
    org_a, org_b, caseworker, receiver, django_capture_on_commit_callbacks
):
    subscribe(org_b, receiver.url)
    subscribe(org_a, receiver.url, events=[Webhook.Event.DEADLINE_OVERDUE])
    with django_capture_on_commit_callbacks(execute=True):
        make_case(org_a, caseworker)
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_failed_delivery_is_retried_until_it_succeeds(
    org_a, caseworker, django_capture_on_commit_callbacks
):
    server = Receiver(codes=[500, 503, 200])
    try:
        subscribe(org_a, server.url, events=[Webhook.Event.CASE_CREATED])
        # The first attempt fails and the task asks Celery for a retry.
        with pytest.raises(Retry), django_capture_on_commit_callbacks(execute=True):
            make_case(org_a, caseworker)
        delivery = WebhookDelivery.objects.get()
        assert (delivery.state, delivery.attempts, delivery.response_status) == ("pending", 1, 500)
        # The retries, as the worker runs them.
        assert webhooks.deliver(delivery_id=delivery.pk) is False
        assert webhooks.deliver(delivery_id=delivery.pk) is True
        assert webhooks.deliver(delivery_id=delivery.pk) is None  # sent: a duplicate is a no-op
    finally:
        server.close()
    delivery.refresh_from_db()
    assert len(server.requests) == 3
    assert (delivery.state, delivery.attempts, delivery.response_status) == ("sent", 3, 200)


def test_unreachable_endpoint_ends_failed_after_the_last_attempt(org_a, caseworker):
    server = Receiver()
    url = server.url
    server.close()  # nothing listens there any more
    subscribe(org_a, url, events=[Webhook.Event.CASE_CREATED])
    make_case(org_a, caseworker)
    delivery = WebhookDelivery.objects.get()
    outcomes = [webhooks.deliver(delivery_id=delivery.pk) for _ in range(webhooks.MAX_ATTEMPTS)]
    assert outcomes == [False] * (webhooks.MAX_ATTEMPTS - 1) + [None]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("failed", webhooks.MAX_ATTEMPTS)
    assert delivery.last_error == "URLError"


def test_overdue_deadlines_are_sent_once(
    org_a, caseworker, receiver, django_capture_on_commit_callbacks
):
    case = make_case(org_a, caseworker)
    _item, deadline = add_plan(case)
    subscribe(org_a, receiver.url, events=[Webhook.Event.DEADLINE_OVERDUE])
    later = timezone.localdate() + timedelta(days=30)
    assert webhooks.emit_overdue(today=deadline.due_date) == 0  # due today: not overdue yet
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.emit_overdue(today=later) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.emit_overdue(today=later) == 0
    assert len(receiver.requests) == 1
    payload = json.loads(receiver.requests[0][1])
    assert payload["deadline"]["id"] == deadline.pk
