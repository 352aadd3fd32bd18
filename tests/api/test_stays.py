"""Stays and addresses through the API: the same services as the case page, field-level 400s,
the open cases re-planned, scoped to the organisation."""

from __future__ import annotations

import pytest

from tests.content import factories as content_factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rules():
    return content_factories.load_shipped_rules()


def _url(case, suffix: str) -> str:
    return f"/api/v1/migrants/{case.migrant_id}/{suffix}"


def test_entries_exits_and_moves(api, case_a):
    earlier = api.post(
        _url(case_a, "stays/"),
        {"entry_date": "2026-03-01", "exit_date": "2026-04-29"},
        format="json",
    )
    assert earlier.status_code == 201, earlier.json()
    entered = api.post(
        _url(case_a, "stays/"), {"entry_date": "2026-12-01", "entry_point": "VKO"}, format="json"
    )
    assert entered.status_code == 201, entered.json()
    moved = api.post(
        _url(case_a, "addresses/"),
        {"address": "ul. Mira 5", "arrival_date": "2026-12-01"},
        format="json",
    )
    assert moved.status_code == 201, moved.json()
    assert [s["entry_date"] for s in api.get(_url(case_a, "stays/")).json()] == [
        "2026-03-01",
        "2026-12-01",
    ]
    assert api.get(_url(case_a, "addresses/")).json()[0]["address"] == "ul. Mira 5"
    deadlines = {d["key"]: d for d in api.get(f"/api/v1/cases/{case_a.pk}/deadlines/").json()}
    assert deadlines["stay.visa_free_limit"]["due_date"] == "2026-12-30"
    assert deadlines["registration@2026-12-01"]["due_date"] == "2026-12-16"
    left = api.post(_url(case_a, "stays/exit/"), {"exit_date": "2026-12-02"}, format="json")
    assert left.status_code == 200 and left.json()["exit_date"] == "2026-12-02"


@pytest.mark.parametrize(
    ("suffix", "body", "field"),
    [
        ("stays/", {"entry_date": "2026-05-01", "exit_date": "2026-04-01"}, "exit_date"),
        ("stays/", {"entry_date": "0001-01-01"}, "entry_date"),
        ("stays/", {}, "entry_date"),
        ("stays/exit/", {"exit_date": "2026-05-01"}, "exit_date"),
        ("addresses/", {"address": "A"}, "arrival_date"),
        ("addresses/", {"address": "", "arrival_date": "2026-05-01"}, "address"),
    ],
)
def test_bad_input_is_a_field_level_400(api, case_a, suffix, body, field):
    response = api.post(_url(case_a, suffix), body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_another_organisations_migrant_is_not_found(other_api, case_a):
    response = other_api.post(_url(case_a, "stays/"), {"entry_date": "2026-03-01"}, format="json")
    assert response.status_code == 404
    assert not case_a.migrant.stays.exists()
