"""No lost update: two people editing the same case or migrant from the same version."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cases import concurrency, services
from cases.models import Case, Membership, Migrant
from tests import factories


def _form_data(client: Client, url: str) -> dict:
    """What the browser would send back unchanged: the rendered form's values."""
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = str(value)
    return data


@pytest.fixture
def second_client(org):
    client = Client()
    client.force_login(factories.member(org, Membership.Role.CASEWORKER))
    return client


def test_a_second_save_from_the_same_version_does_not_erase_the_first(
    cw_client, second_client, case
):
    url = reverse("cases:facts", args=[case.pk])
    first, second = _form_data(cw_client, url), _form_data(second_client, url)
    first["employer_name"] = "OOO Stroy"
    assert cw_client.post(url, first).status_code == 302
    second["entry_point"] = "Domodedovo"
    response = second_client.post(url, second)
    # Refused, with what changed meanwhile, and nothing of the second edit saved yet.
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this" in page and "OOO Stroy" in page
    case.refresh_from_db()
    assert case.employer_name == "OOO Stroy" and case.entry_point == ""
    # The form now holds both changes: saving again keeps the first and applies the second.
    again = _form_data_from(response)
    assert again["employer_name"] == "OOO Stroy" and again["entry_point"] == "Domodedovo"
    assert second_client.post(url, again).status_code == 302
    case.refresh_from_db()
    assert (case.employer_name, case.entry_point) == ("OOO Stroy", "Domodedovo")


def _form_data_from(response) -> dict:
    form = response.context["form"]
    values = {name: form[name].value() for name in form.fields}
    return {name: value for name, value in values.items() if value is not None}


def test_both_changing_the_same_field_keeps_the_users_value_and_flags_it(
    cw_client, second_client, case
):
    url = reverse("cases:facts", args=[case.pk])
    first, second = _form_data(cw_client, url), _form_data(second_client, url)
    first["employer_name"] = "OOO Stroy"
    cw_client.post(url, first)
    second["employer_name"] = "OOO Montazh"
    response = second_client.post(url, second)
    assert response.status_code == 409
    assert "you changed this too" in response.content.decode()
    assert response.context["form"]["employer_name"].value() == "OOO Montazh"


def test_migrant_details_refuse_a_stale_save(cw_client, second_client, case):
    url = reverse("cases:migrant_edit", args=[case.pk])
    first, second = _form_data(cw_client, url), _form_data(second_client, url)
    first["city"] = "Kazan"
    assert cw_client.post(url, first).status_code == 302
    second["safe_call_time"] = "after 19:00"
    assert second_client.post(url, second).status_code == 409
    migrant = Migrant.objects.get(pk=case.migrant_id)
    assert migrant.city == "Kazan" and migrant.safe_call_time == ""


def test_a_version_moved_only_by_the_system_is_no_conflict(case, caseworker):
    read = case.version
    case.save()  # e.g. a re-plan: nothing a caseworker edits has changed
    saved = services.update_case_facts(
        case=case, by=caseworker, expected_version=read, employer_name="OOO Stroy"
    )
    assert saved.employer_name == "OOO Stroy"


def test_the_service_refuses_a_stale_version(case, caseworker):
    read = case.version
    services.update_case_facts(case=case, by=caseworker, employer_name="OOO Stroy")
    with pytest.raises(concurrency.StaleEdit) as exc:
        services.update_case_facts(
            case=Case.objects.get(pk=case.pk), by=caseworker, expected_version=read, amount_owed=5
        )
    assert [c.field for c in exc.value.changes] == ["employer_name"]
