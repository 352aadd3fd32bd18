"""Migrants through the API: created by the service, scoped to the caller's organisations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases.models import Membership, Migrant
from tests.api.conftest import client_for, make_member

pytestmark = pytest.mark.django_db

URL = "/api/v1/migrants/"
VALID = {
    "full_name_latin": "Dilshod Karimov",
    "full_name_cyrillic": "Дилшод Каримов",
    "citizenship": "UZ",
    "phone": "8 (916) 123-45-67",
    "passport_number": "FA1234567",
    "do_not_contact": ["sms"],
}


def test_caseworker_registers_a_migrant(api, org_a, caseworker):
    response = api.post(URL, VALID, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    migrant = Migrant.objects.get(pk=body["id"])
    assert migrant.organisation == org_a
    assert migrant.created_by == caseworker
    assert migrant.phone == "+79161234567"  # normalised by the service
    assert body["phone"] == "+79161234567"
    assert body["passport_masked"] == "•••567"
    assert "passport_number" not in body
    assert migrant.passport_number == "FA1234567"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"citizenship": "tajik"}, "citizenship"),
        ({"phone": "12"}, "phone"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"date_of_birth": "not a date"}, "date_of_birth"),
        ({"gender": "x"}, "gender"),
        ({"do_not_contact": ["pigeon"]}, "do_not_contact.0"),
        ({"full_name_latin": ""}, "full_name_latin"),
        ({"full_name_latin": "a\x00b"}, "full_name_latin"),
        ({"email": "nope"}, "email"),
    ],
)
def test_invalid_migrant_fields_are_named(api, change, field):
    response = api.post(URL, {**VALID, **change}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"], body
    assert not Migrant.objects.exists()


def test_organisation_must_be_one_of_yours(api, org_b):
    response = api.post(URL, {**VALID, "organisation": org_b.pk}, format="json")
    assert response.status_code == 400
    assert "organisation" in response.json()["errors"]
    assert not Migrant.objects.exists()


def test_a_user_without_organisation_cannot_register(db):
    outsider = make_member("outsider", None, "")
    response = client_for(outsider).post(URL, VALID, format="json")
    assert response.status_code == 400
    assert "organisation" in response.json()["errors"]


def test_member_of_two_organisations_chooses(caseworker, org_b):
    Membership.objects.create(user=caseworker, organisation=org_b, role="caseworker")
    response = client_for(caseworker).post(URL, {**VALID, "organisation": org_b.pk}, format="json")
    assert response.status_code == 201
    assert Migrant.objects.get().organisation == org_b


def test_list_shows_only_own_organisations_migrants(api, case_a, case_b):
    response = api.get(URL)
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == [case_a.migrant_id]


def test_list_filters_by_citizenship(api, case_a):
    assert len(api.get(URL, {"citizenship": "TJ"}).json()["results"]) == 1
    assert api.get(URL, {"citizenship": "UZ"}).json()["results"] == []


def test_retrieve_and_update(api, case_a):
    url = f"{URL}{case_a.migrant_id}/"
    assert api.get(url).json()["full_name_latin"] == "Rustam Nazarov"
    response = api.patch(url, {"city": "Moscow", "phone_controlled": True}, format="json")
    assert response.status_code == 200
    migrant = Migrant.objects.get(pk=case_a.migrant_id)
    assert (migrant.city, migrant.phone_controlled) == ("Moscow", True)


def test_update_validation_is_field_level(api, case_a):
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = api.patch(f"{URL}{case_a.migrant_id}/", {"date_of_birth": future}, format="json")
    assert response.status_code == 400
    assert "date_of_birth" in response.json()["errors"]


def test_deactivated_member_sees_nothing(api, caseworker, case_a):
    Membership.objects.filter(user=caseworker).update(is_active=False)
    assert api.get(f"{URL}{case_a.migrant_id}/").status_code == 404
    assert api.get(URL).json()["results"] == []


def test_passport_reveal_needs_the_flag_and_is_audited(api, caseworker, case_a):
    from audit.models import AuditEvent

    migrant = Migrant.objects.get(pk=case_a.migrant_id)
    migrant.passport_number = "AB7654321"
    migrant.save()
    url = f"{URL}{migrant.pk}/reveal-passport/"
    denied = api.post(url)
    assert denied.status_code == 403
    assert not AuditEvent.objects.filter(action="passport.reveal").exists()
    Membership.objects.filter(user=caseworker).update(can_reveal_identifiers=True)
    shown = api.post(url)
    assert shown.status_code == 200
    assert shown.json() == {"passport_number": "AB7654321"}
    event = AuditEvent.objects.get(action="passport.reveal")
    assert (event.action, event.object_id, event.actor) == (
        "passport.reveal",
        str(migrant.pk),
        caseworker,
    )
    assert "AB7654321" not in str(event.detail)


def test_duplicates_are_found_by_phone_or_name_and_birth_date(api, case_a, case_b):
    Migrant.objects.filter(pk=case_a.migrant_id).update(
        date_of_birth=date(1990, 5, 1), birth_year=1990
    )
    by_phone = api.post(f"{URL}duplicates/", {"phone": "+992 93 555 1234"})
    assert by_phone.status_code == 200
    assert [m["id"] for m in by_phone.json()] == [case_a.migrant_id]  # not B's twin
    by_name = api.post(
        f"{URL}duplicates/", {"full_name": "Рустам Назаров", "date_of_birth": "1990-05-01"}
    )
    assert [m["id"] for m in by_name.json()] == [case_a.migrant_id]
    assert api.post(f"{URL}duplicates/", {"phone": "+7 900 000 00 00"}).json() == []


def test_duplicates_search_is_limited_to_your_organisations(api, org_b):
    response = api.post(f"{URL}duplicates/", {"organisation": org_b.pk, "phone": "+992935551234"})
    assert response.status_code == 400
    assert "organisation" in response.json()["errors"]
