"""The API sends ETags and refuses a stale If-Match with 412 instead of losing an update."""

from __future__ import annotations

from django.urls import reverse

from tests.api.conftest import add_plan, client_for


def _case(case) -> str:
    return reverse("api:case-detail", args=[case.pk])


def test_a_stale_if_match_gets_412_and_the_first_change_stays(api, supervisor, case_a):
    etag = api.get(_case(case_a)).headers["ETag"]
    first = client_for(supervisor).patch(
        _case(case_a), {"employer_name": "OOO Stroy"}, format="json", HTTP_IF_MATCH=etag
    )
    assert first.status_code == 200 and first.headers["ETag"] != etag
    stale = api.patch(
        _case(case_a), {"entry_point": "Domodedovo"}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale" and stale.json()["changed"] == ["employer_name"]
    assert stale.headers["ETag"] == first.headers["ETag"]
    case_a.refresh_from_db()
    assert (case_a.employer_name, case_a.entry_point) == ("OOO Stroy", "")
    again = api.patch(
        _case(case_a),
        {"entry_point": "Domodedovo"},
        format="json",
        HTTP_IF_MATCH=stale.headers["ETag"],
    )
    assert again.status_code == 200


def test_a_malformed_if_match_is_a_field_error(api, case_a):
    response = api.patch(_case(case_a), {"employer_name": "X"}, format="json", HTTP_IF_MATCH="*x")
    assert response.status_code == 400 and "If-Match" in response.json()["errors"]


def test_migrant_patch_honours_if_match(api, case_a):
    url = reverse("api:migrant-detail", args=[case_a.migrant_id])
    etag = api.get(url).headers["ETag"]
    assert api.patch(url, {"city": "Kazan"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    stale = api.patch(url, {"city": "Tver"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["changed"] == ["city"]


def test_checklist_and_deadline_actions_honour_if_match(api, case_a):
    item, deadline = add_plan(case_a)
    item_url = reverse("api:checklist-item-detail", args=[item.pk])
    etag = api.get(item_url).headers["ETag"]
    state = reverse("api:checklist-item-state", args=[item.pk])
    assert api.post(state, {"state": "have"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    stale = api.post(state, {"state": "missing"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    item.refresh_from_db()
    assert item.state == "have"
    deadline_etag = api.get(reverse("api:deadline-detail", args=[deadline.pk])).headers["ETag"]
    deadline.save()  # someone else touched it
    waive = reverse("api:deadline-waive", args=[deadline.pk])
    response = api.post(waive, {"reason": "left"}, format="json", HTTP_IF_MATCH=deadline_etag)
    assert response.status_code == 412
