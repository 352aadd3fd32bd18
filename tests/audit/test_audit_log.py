"""S13/S14 audit log (UI, append-only, events), P5 consent, P4 reveal, log scrubbing."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit import services as audit
from audit.logging import ScrubPersonalData, scrub
from audit.models import AuditEvent
from cases import consent, field_access
from cases.models import Consent, Membership
from tests.security.conftest import (
    CANARY_EMAIL,
    CANARY_PASSPORT,
    CANARY_PHONE,
    CANARY_PHONE_E164,
    verified_login,
)

pytestmark = pytest.mark.django_db


def test_audit_log_page_shows_own_organisation_only(client, org_a, org_b, admin_a, worker_a):
    audit.record(actor=admin_a, action="case.view", organisation=org_a, detail={"n": "mine"})
    audit.record(actor=None, action="case.view", organisation=org_b, detail={"n": "theirs"})
    verified_login(client, admin_a)
    page = client.get(reverse("audit:log"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "mine" in body and "theirs" not in body
    verified_login(client, worker_a)
    assert client.get(reverse("audit:log")).status_code == 404  # caseworkers: no such page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger on PostgreSQL")
def test_audit_rows_cannot_be_changed_or_deleted_even_with_raw_sql(org_a, admin_a):
    event = audit.record(actor=admin_a, action="case.view", organisation=org_a)
    for sql in [
        "UPDATE audit_auditevent SET action = 'nothing' WHERE id = %s",
        "UPDATE audit_auditevent SET detail = '{}'::jsonb || '{\"x\": 1}' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
            c.execute(sql, [event.pk])
    with pytest.raises(ValueError):
        event.delete()
    event.refresh_from_db()
    assert event.action == "case.view"
    # Deleting the user keeps the event (actor becomes empty).
    admin_a.delete()
    event.refresh_from_db()
    assert event.actor_id is None


def test_reveal_needs_the_flag_and_is_logged(client, canary_a, worker_a):
    migrant, _case = canary_a
    with pytest.raises(PermissionDenied):
        field_access.reveal_passport(user=worker_a, migrant=migrant)
    assert AuditEvent.objects.filter(action="passport.reveal_denied").count() == 1
    verified_login(client, worker_a)
    url = reverse("privacy:reveal_passport", args=[migrant.pk])
    assert client.post(url).status_code == 404
    Membership.objects.filter(user=worker_a).update(can_reveal_identifiers=True)
    response = client.post(url)
    assert response.status_code == 200 and CANARY_PASSPORT in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="passport.reveal", actor=worker_a).count() == 1


def test_trafficking_details_hidden_without_the_flag(canary_a, worker_a):
    _migrant, case = canary_a  # a trafficking case
    view = field_access.safe_case_view(worker_a, case)
    assert view["summary"] is None and "summary" in view["hidden_fields"]
    assert view["host_address"] is None
    Membership.objects.filter(user=worker_a).update(can_view_trafficking=True)
    assert field_access.safe_case_view(worker_a, case)["summary"] == case.summary


def test_consent_withdrawal_is_immediate_per_channel(canary_a, admin_a):
    migrant, _case = canary_a
    assert not consent.has_consent(migrant, "sms")
    consent.give_consent(
        migrant=migrant, channel="", by=admin_a, notice_version="2026-1", language="tg"
    )
    assert consent.has_consent(migrant, "sms") and consent.has_consent(migrant, "telegram")
    consent.withdraw_consent(migrant=migrant, channel="sms", by=admin_a)
    assert not consent.has_consent(migrant, "sms")
    assert consent.has_consent(migrant, "telegram")  # only SMS stopped
    split = Consent.objects.get(migrant=migrant, channel="telegram", withdrawn_at=None)
    assert split.notice_version == "2026-1" and split.language == "tg"
    consent.withdraw_consent(migrant=migrant, channel="", by=admin_a)
    assert not consent.has_consent(migrant, "telegram")
    assert not consent.has_consent(migrant, "email")
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("consent.withdrawn") == 2


def test_do_not_contact_overrides_consent(canary_a, admin_a):
    migrant, _case = canary_a
    consent.give_consent(
        migrant=migrant, channel="sms", by=admin_a, notice_version="2026-1", language="tg"
    )
    migrant.do_not_contact = ["sms"]
    migrant.save(update_fields=["do_not_contact"])
    assert not consent.has_consent(migrant, "sms")


@pytest.mark.parametrize(
    "secret", [CANARY_PASSPORT, CANARY_PHONE, CANARY_PHONE_E164, CANARY_EMAIL, "8 (916) 123-45-67"]
)
def test_log_filter_masks_personal_data(secret):
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sending to %s", (secret,), None)
    ScrubPersonalData().filter(record)
    assert secret not in record.getMessage()


def test_log_filter_leaves_dates_and_ids_alone():
    text = "2026-11-22 07:46:51,239 case 42 reminder 1234 at 10:00:00"
    assert scrub(text) == text


def test_root_handler_is_scrubbed(settings):
    handlers = logging.getLogger().handlers
    assert any(isinstance(f, ScrubPersonalData) for h in handlers for f in h.filters)


def test_opening_a_case_is_audited(client, canary_a, worker_a, canary_b):
    _migrant, case = canary_a
    _other, other_case = canary_b
    verified_login(client, worker_a)
    client.get(case.get_absolute_url())
    client.get(other_case.get_absolute_url())  # 404: nothing was read
    events = AuditEvent.objects.filter(action="case.view")
    assert [(e.actor, e.object_id, e.organisation) for e in events] == [
        (worker_a, str(case.pk), case.organisation)
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles on PostgreSQL")
def test_app_role_gets_permission_denied_on_audit_changes(org_a, admin_a):
    from django.core.management import call_command

    event = audit.record(actor=admin_a, action="case.view", organisation=org_a)
    with connection.cursor() as cursor:
        cursor.execute("DROP ROLE IF EXISTS hamroh_test_app")
        cursor.execute("CREATE ROLE hamroh_test_app")
        cursor.execute("GRANT ALL ON audit_auditevent TO hamroh_test_app")
    call_command("restrict_audit_role", "--role", "hamroh_test_app", stdout=io.StringIO())
    for sql in [
        "UPDATE audit_auditevent SET detail = '{}' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ]:
        with pytest.raises(DatabaseError) as excinfo, transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL ROLE hamroh_test_app")
                cursor.execute(sql, [event.pk])
        assert "permission denied" in str(excinfo.value)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE hamroh_test_app")
        cursor.execute("SELECT count(*) FROM audit_auditevent")
        assert cursor.fetchone()[0] >= 1
        cursor.execute("RESET ROLE")  # SET LOCAL outlives a released savepoint
    with connection.cursor() as cursor:
        cursor.execute("REVOKE ALL ON audit_auditevent FROM hamroh_test_app")
        cursor.execute("DROP ROLE hamroh_test_app")
