"""Issue 19 item 4: random input to the public pages, the portal sign-in and the API answers
with no 5xx. Hypothesis, FUZZ_EXAMPLES cases per target (default 40; 7 targets = 280 cases)."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Dates and numbers at and beyond the calendar's ends, plus free text of any kind.
values = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["9999-12-31", "0001-01-01", "31.12.9999", "-1", "1e309", "NaN", ""]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=40),
)
DATE_FIELDS = ["arrival_date", "ban_start_date", "patent_issue_date", "employment_end_date", "on"]
query = st.fixed_dictionaries(
    {"citizenship": st.sampled_from(["TJ", "UZ", "KG", "XX", ""])},
    optional={
        "problem_type": st.sampled_from(["registration", "patent", "entry_ban", "wages", "x"]),
        "problem": st.sampled_from(["registration", "patent", "entry_ban", "x"]),
        "ban_duration_years": values,
        "lang": st.sampled_from(["ru", "tg", "uz", "ky", "en", "zz"]),
        **{name: values for name in DATE_FIELDS},
    },
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
MIGRANT_FIELDS = [
    "full_name_latin",
    "citizenship",
    "date_of_birth",
    "phone",
    "email",
    "preferred_language",
]
CASE_FIELDS = [
    "migrant",
    "problem_type",
    "arrival_date",
    "ban_start_date",
    "ban_duration_years",
    "facts",
]


def body_for(fields: list[str]):
    return st.dictionaries(
        st.sampled_from(fields), st.one_of(values, json_values), max_size=len(fields)
    )


def no_server_error(response) -> None:
    cache.clear()  # throttles would turn the rest into 429s
    assert response.status_code < 500, (response.status_code, response.content[:500])


@pytest.fixture
def rules(db):
    from tests.content.factories import load_shipped_rules

    return load_shipped_rules()


@FUZZ
@given(params=query)
def test_rules_preview_api(rules, params):
    no_server_error(APIClient().get("/api/v1/rules/preview/", params))


@FUZZ
@given(params=query)
def test_public_rules_page(rules, params):
    no_server_error(Client().get("/rules/", params))


@FUZZ
@given(code=values, secret=values)
def test_portal_sign_in_form(db, code, secret):
    no_server_error(Client().post("/m/", {"code": code, "secret": secret}))


@FUZZ
@given(body=json_values)
def test_token_endpoint(db, body):
    no_server_error(APIClient().post("/api/v1/auth/token/", body, format="json"))


@FUZZ
@given(body=body_for(MIGRANT_FIELDS))
def test_migrant_create(worker_a, body):
    no_server_error(client_for(worker_a).post("/api/v1/migrants/", body, format="json"))


@FUZZ
@given(body=body_for(CASE_FIELDS))
def test_case_create(worker_a, rules, body):
    no_server_error(client_for(worker_a).post("/api/v1/cases/", body, format="json"))


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["search", "status", "ordering", "page", "page_size", "opened_after"]),
        values,
    )
)
def test_case_list_filters(worker_a, params):
    no_server_error(client_for(worker_a).get("/api/v1/cases/", params))
