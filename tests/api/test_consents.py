"""Consent through the API: the same service as the case page, field-level 400s, scoped."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from cases import consent

pytestmark = pytest.mark.django_db


def _url(case, suffix: str = "") -> str:
    return f"/api/v1/migrants/{case.migrant_id}/consents/{suffix}"


def test_give_list_and_withdraw(api, case_a, caseworker):
    given = api.post(_url(case_a), {"channel": "sms", "method": "phone"}, format="json")
    assert given.status_code == 201, given.json()
    assert given.json()["method"] == "phone" and given.json()["recorded_by"] == caseworker.pk
    assert consent.has_consent(case_a.migrant, "sms")
    listed = api.get(_url(case_a)).json()
    assert [c["channel"] for c in listed] == ["sms"]
    left = api.post(_url(case_a, "withdraw/"), {"channel": "sms"}, format="json")
    assert left.status_code == 200 and left.json() == []
    assert not consent.has_consent(case_a.migrant, "sms")
    assert AuditEvent.objects.filter(action__startswith="consent.").count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"channel": "pigeon", "method": "phone"}, "channel"),
        ({"channel": "sms", "method": "telepathy"}, "method"),
        ({"channel": "sms"}, "method"),
        ({"channel": "sms", "method": "phone", "purpose": "sell"}, "purpose"),
    ],
)
def test_bad_consent_is_a_field_level_400(api, case_a, body, field):
    response = api.post(_url(case_a), body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_another_organisations_migrant_is_not_found(other_api, case_a):
    response = other_api.post(_url(case_a), {"channel": "sms", "method": "phone"}, format="json")
    assert response.status_code == 404
    assert not case_a.migrant.consents.exists()
