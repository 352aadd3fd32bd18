"""Issue 19 item 4: out-of-range dates, deep JSON and broken UTF-8 are field errors and 400s,
never 500s or silently stored nonsense."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.parsers import MAX_DEPTH, nesting_depth
from cases import date_bounds
from cases.forms import IntakeCaseForm
from portal.forms import RulesForm
from tests.api.conftest import client_for
from tests.content.factories import load_shipped_rules

pytestmark = pytest.mark.django_db

PREVIEW = "/api/v1/rules/preview/"


@pytest.fixture
def rules(db):
    return load_shipped_rules()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1850-06-01"])
def test_the_rules_preview_refuses_implausible_arrival_dates(rules, day):
    query = {"citizenship": "TJ", "problem_type": "registration", "arrival_date": day}
    response = APIClient().get(PREVIEW, query)
    assert response.status_code == 400
    assert "arrival_date" in response.json()["errors"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_the_public_rules_page_shows_a_field_error_for_an_implausible_date(client, rules, day):
    response = client.get(
        "/rules/", {"citizenship": "TJ", "problem": "registration", "arrival_date": day}
    )
    assert response.status_code in (200, 400)
    assert "Enter a date between" in response.content.decode()


def test_a_recent_arrival_is_accepted(rules):
    day = (timezone.localdate() - timedelta(days=10)).isoformat()
    query = {"citizenship": "TJ", "problem_type": "registration", "arrival_date": day}
    assert APIClient().get(PREVIEW, query).status_code == 200


def test_a_birth_date_more_than_120_years_ago_is_refused_by_the_api(worker_a):
    response = client_for(worker_a).post(
        "/api/v1/migrants/",
        {"full_name_latin": "Old Person", "citizenship": "TJ", "date_of_birth": "1850-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "date_of_birth" in response.json()["errors"]


def test_a_ban_date_in_year_one_is_refused_by_the_api(worker_a):
    response = client_for(worker_a).get(
        PREVIEW,
        {"citizenship": "TJ", "problem_type": "entry_ban", "ban_start_date": "0001-01-01"},
    )
    assert response.status_code == 400
    assert "ban_start_date" in response.json()["errors"]


def test_forms_bound_their_dates():
    form = IntakeCaseForm(data={"arrival_date": "9999-12-31"})
    form.is_valid()
    assert "arrival_date" in form.errors
    portal_form = RulesForm(
        data={"citizenship": "TJ", "problem": "registration", "arrival_date": "01.01.0001"}
    )
    assert not portal_form.is_valid()
    assert "arrival_date" in portal_form.errors


def test_the_bounds():
    today = timezone.localdate()
    earliest, latest = date_bounds.bounds("date_of_birth", today)
    assert latest == today and earliest.year == today.year - 120
    assert date_bounds.out_of_range("arrival_date", today) is None
    assert date_bounds.out_of_range("arrival_date", today + timedelta(days=400))
    assert date_bounds.out_of_range("due_date", today + timedelta(days=3650)) is None


def test_json_nested_100000_levels_is_a_400(db):
    body = "[" * 100_000 + "]" * 100_000
    response = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in json.dumps(response.json())


def test_brackets_inside_strings_do_not_count_as_nesting():
    assert nesting_depth(json.dumps({"note": "[" * 1000, "a": {"b": []}}).encode()) == 3
    assert nesting_depth(b'{"x": "\\"[[[["}') == 1
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert nesting_depth(deep.encode()) == MAX_DEPTH + 1


def test_an_ordinary_body_still_parses(db):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "nobody", "password": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]


def test_a_web_form_with_invalid_utf8_is_refused(client):
    response = client.post(
        "/m/", b"code=ABCD-EFGH&secret=%FF%FE", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


def test_a_query_string_with_invalid_utf8_is_refused(client):
    assert client.get("/rules/?citizenship=%C3%28").status_code == 400


def test_valid_utf8_forms_pass(client):
    response = client.post(
        "/m/",
        "code=ABCD-EFGH&secret=%D0%BF%D0%B8%D0%BD",  # "пин"
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400  # a wrong PIN, answered by the form
    assert "not right" in response.content.decode()
