"""Consent: captured at intake, recorded and withdrawn on the case page, shown honestly."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from audit.models import AuditEvent
from cases import consent, deadlines, messages
from cases.models import Case, Consent, Migrant
from cases.privacy.erasure import erase_migrant
from cases.privacy.subject_access import subject_access_data
from cases.send_decision import migrant_channels, why_migrant_unreachable
from tests.cases.test_forms import intake_data


def _with_reminder(case: Case, by) -> Case:
    deadlines.add_manual_deadline(
        case=case, title="Hearing", due_date=date.today() + timedelta(days=20), by=by
    )
    return case


def test_intake_records_consent_per_channel_with_how_and_who(cw_client, caseworker):
    cw_client.post(
        "/cases/new/",
        intake_data(**{"k-channels": ["sms", "telegram"], "k-method": "phone"}),
    )
    rows = Consent.objects.filter(withdrawn_at=None).order_by("channel")
    assert [(c.channel, c.method, c.recorded_by) for c in rows] == [
        ("sms", "phone", caseworker),
        ("telegram", "phone", caseworker),
    ]
    assert AuditEvent.objects.filter(action="consent.given").count() == 2


def test_intake_with_a_channel_but_no_method_is_refused_with_a_field_error(cw_client):
    response = cw_client.post("/cases/new/", intake_data(**{"k-channels": ["sms"], "k-method": ""}))
    assert response.status_code == 400
    assert 'id="id_k-method_error"' in response.content.decode()
    assert not Migrant.objects.exists()


def test_case_page_says_why_the_reminder_will_not_be_sent_and_the_fix(cw_client, caseworker):
    cw_client.post("/cases/new/", intake_data())
    case = _with_reminder(Case.objects.get(), caseworker)
    page = cw_client.get(case.get_absolute_url()).content.decode()
    assert "Reminders to the migrant will not be sent" in page
    assert "No consent for SMS." in page and "Record consent." in page

    response = cw_client.post(
        f"/cases/{case.pk}/consent/",
        {"channel": "sms", "purpose": "contact", "method": "in_person"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "will not be sent" not in response.content.decode()
    assert consent.has_consent(case.migrant, "sms")


def test_withdrawing_on_the_case_page_stops_the_channel_and_is_audited(cw_client, case):
    consent.give_consent(migrant=case.migrant, channel="sms", by=None)
    response = cw_client.post(
        f"/cases/{case.pk}/consent/withdraw/",
        {"channel": "sms", "purpose": "contact"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert not consent.has_consent(case.migrant, "sms")
    event = AuditEvent.objects.get(action="consent.withdrawn")
    assert event.detail["source"] == "caseworker"


def test_bad_consent_input_is_a_400_not_a_500(cw_client, case):
    response = cw_client.post(
        f"/cases/{case.pk}/consent/",
        {"channel": "pigeon", "purpose": "contact", "method": "in_person"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert not Consent.objects.exists()


def test_another_organisation_cannot_change_consent(client, outsider, case):
    client.force_login(outsider)
    response = client.post(
        f"/cases/{case.pk}/consent/", {"channel": "sms", "purpose": "contact", "method": "phone"}
    )
    assert response.status_code == 404 and not Consent.objects.exists()


def test_the_stop_link_withdraws_through_the_consent_service(client, case):
    consent.give_consent(migrant=case.migrant, channel="", by=None, method="portal")
    token = messages.optout_token(case.migrant.pk)
    client.post(f"/optout/{token}/")
    assert not consent.has_consent(case.migrant, "sms")
    assert AuditEvent.objects.get(action="consent.withdrawn").detail["source"] == "stop_link"


@pytest.mark.parametrize(
    ("fields", "consented", "reason"),
    [
        ({"phone": "+79161234567"}, set(), "No consent for SMS."),
        ({"telegram_chat_id": ""}, {"telegram"}, "Consent for Telegram, but no address"),
        ({"phone": "+79161234567", "do_not_contact": ["sms"]}, {"sms"}, "asked not to be"),
    ],
)
def test_why_unreachable_names_the_reason(fields, consented, reason):
    migrant = Migrant(**fields)
    assert not migrant_channels(migrant, consented)
    blocker = why_migrant_unreachable(migrant, consented)
    assert blocker is not None and reason in blocker.reason and blocker.fix


def test_a_reachable_migrant_has_no_blocker():
    migrant = Migrant(phone="+79161234567")
    assert why_migrant_unreachable(migrant, {"sms"}) is None


def test_subject_access_and_erasure_include_consent(case, caseworker, org_admin):
    consent.give_consent(migrant=case.migrant, channel="sms", by=caseworker, method="phone")
    exported = subject_access_data(case.migrant)["consents"]
    assert [(c["channel"]["value"], c["method"]["value"]) for c in exported] == [("sms", "phone")]
    erase_migrant(migrant=case.migrant, by=org_admin, reference="R-1")
    assert not consent.has_consent(case.migrant, "sms")
