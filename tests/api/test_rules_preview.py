"""The public rules preview and document texts."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.content import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/rules/preview/"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"problem_type": "registration"}, "citizenship"),
        ({"citizenship": "TJ"}, "problem_type"),
        ({"citizenship": "tj", "problem_type": "registration"}, "citizenship"),
        ({"citizenship": "TJ", "problem_type": "x"}, "problem_type"),
        ({"citizenship": "TJ", "problem_type": "patent", "arrival_date": "June"}, "arrival_date"),
        ({"citizenship": "TJ", "problem_type": "patent", "lang": "fr"}, "lang"),
        # Used to overflow in the calendar (a 500): a date deadlines cannot be counted from.
        (
            {"citizenship": "TJ", "problem_type": "registration", "arrival_date": "9999-12-31"},
            "arrival_date",
        ),
        (
            {"citizenship": "TJ", "problem_type": "patent", "patent_issue_date": "1000-01-01"},
            "patent_issue_date",
        ),
    ],
)
def test_preview_rejects_bad_facts_field_by_field(query, field):
    response = APIClient().get(URL, query)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_preview_is_rate_limited_per_address(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "preview": "2/min"}
    codes = [APIClient().get(URL).status_code for _ in range(3)]
    assert codes == [400, 400, 429]


def test_preview_ignores_bad_credentials():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer revoked-or-made-up")
    assert client.get(URL).status_code == 400  # judged on its query, not on the header


def test_preview_returns_the_plan_with_translated_texts():
    from content import queries
    from content.engine import Facts

    query = {"citizenship": "TJ", "problem_type": "registration", "arrival_date": "2026-06-10"}
    response = APIClient().get(URL, {**query, "lang": "ru"})
    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "ru"
    plan = queries.plan_for(
        Facts("registration", "TJ", arrival_date=__import__("datetime").date(2026, 6, 10))
    )
    assert [i["document_code"] for i in body["items"]] == [i.document_code for i in plan.items]
    assert [d["due"] for d in body["deadlines"]] == [d.due.isoformat() for d in plan.deadlines]
    for item in body["items"]:
        text = queries.document_text(item["document_code"], "ru")
        assert item["name"] == text.name
    assert all(d["source"] for d in body["deadlines"])


def test_document_type_texts(api):
    from content import queries

    code = "passport"
    expected = queries.document_text(code, "tg")
    response = api.get(f"/api/v1/document-types/{code}/", {"lang": "tg"})
    assert response.status_code == 200
    assert response.json()["name"] == expected.name


def test_document_type_language_is_checked(api):
    response = api.get("/api/v1/document-types/passport/", {"lang": "xx"})
    assert response.status_code == 400
    assert "lang" in response.json()["errors"]


def test_preview_says_file_by_and_provisional():
    factories.load_shipped_rules()
    # 15 days from 20 Nov 2026 end on Saturday 5 December: file by Friday 4 December.
    query = {"citizenship": "TJ", "problem_type": "registration", "arrival_date": "2026-11-20"}
    deadlines = {d["key"]: d for d in APIClient().get(URL, query).json()["deadlines"]}
    registration = deadlines["registration"]
    assert (registration["due"], registration["file_by"]) == ("2026-12-05", "2026-12-04")
    assert registration["provisional"] is False
    assert "file by Friday 4 December 2026" in registration["explanation"]


def test_preview_cites_the_law_in_the_requested_language():
    from tests.content import factories

    factories.load_shipped_rules()
    query = {"citizenship": "TJ", "problem_type": "registration", "arrival_date": "2026-11-20"}
    body = APIClient().get(URL, {**query, "lang": "tg"}).json()
    sources = [i["source"] for i in body["items"]] + [d["source"] for d in body["deadlines"]]
    assert "Қонуни федералии № 109-ФЗ, моддаи 20, қисми 3 (аз 18.07.2006)" in sources
    assert not any("Federal Law" in s or "CURRENT_LAW" in s or ".txt" in s for s in sources)
