"""Statistics through the API: one organisation's counts, for its administrators, with the
exports' small-cell suppression whenever the numbers are to leave the organisation."""

from __future__ import annotations

import pytest
from django.conf import settings

from cases import services
from cases.models import Membership
from tests.api.conftest import client_for, make_case, make_member

pytestmark = pytest.mark.django_db

K = settings.STATS_MIN_CELL


@pytest.fixture
def counted(org_a, org_b, caseworker, other_caseworker):
    """Org A: 7 registration cases and 1 patent case; org B: 20 patent cases."""
    for _ in range(7):
        make_case(org_a, caseworker)
    migrant = services.create_migrant(
        organisation=org_a, by=caseworker, full_name_latin="A B", citizenship="UZ"
    )
    services.open_case(organisation=org_a, migrant=migrant, problem_type="patent", by=caseworker)
    other = services.create_migrant(
        organisation=org_b, by=other_caseworker, full_name_latin="C D", citizenship="KG"
    )
    for _ in range(20):
        services.open_case(
            organisation=org_b, migrant=other, problem_type="patent", by=other_caseworker
        )


def _row(body, key):
    return next(row for row in body["rows"] if row["key"] == key)


def _numbers(body) -> list:
    cells = [c for row in body["rows"] for c in [*row["counts"], row["total"]]]
    return [*cells, *body["column_totals"], body["total"]]


def test_admin_sees_exact_counts_of_own_organisation(admin_a, org_a, counted):
    response = client_for(admin_a).get("/api/v1/statistics/", {"dimension": "problem"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["organisation"] == org_a.pk and body["k"] is None and body["cross"] is None
    assert _row(body, "registration")["counts"] == [7]
    assert _row(body, "patent")["counts"] == [1]  # org B's 20 patent cases are not counted
    assert body["total"] == 8


def test_default_dimension_is_problem(admin_a, counted):
    body = client_for(admin_a).get("/api/v1/statistics/").json()
    assert body["dimension"] == "problem" and body["total"] == 8


def test_outside_audience_hides_every_count_below_k(admin_a, counted):
    body = (
        client_for(admin_a)
        .get("/api/v1/statistics/", {"dimension": "problem", "audience": "outside"})
        .json()
    )
    assert body["k"] == K
    numbers = _numbers(body)
    assert all(n >= K for n in numbers if isinstance(n, int)), numbers
    assert _row(body, "patent")["counts"] == [f"<{K}"]
    assert _row(body, "registration")["counts"] in ([7], ["x"])


def test_cross_table_with_suppression(admin_a, counted):
    client = client_for(admin_a)
    exact = client.get("/api/v1/statistics/", {"dimension": "problem", "cross": "citizenship"})
    body = exact.json()
    assert body["cross"] == "citizenship"
    assert {c["key"] for c in body["columns"]} == {"TJ", "UZ"}
    tj = [c["key"] for c in body["columns"]].index("TJ")
    assert _row(body, "registration")["counts"][tj] == 7 and body["total"] == 8
    hidden = client.get(
        "/api/v1/statistics/",
        {"dimension": "problem", "cross": "citizenship", "audience": "outside"},
    ).json()
    numbers = _numbers(hidden)
    assert all(n >= K for n in numbers if isinstance(n, int)), numbers
    assert "KG" not in {c["key"] for c in hidden["columns"]}  # org B's migrants


def test_filters_apply(admin_a, counted):
    body = (
        client_for(admin_a)
        .get("/api/v1/statistics/", {"dimension": "citizenship", "problem": "patent"})
        .json()
    )
    assert body["total"] == 1 and [row["key"] for row in body["rows"]] == ["UZ"]


def test_caseworkers_may_not_see_statistics(caseworker, counted):
    response = client_for(caseworker).get("/api/v1/statistics/")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_supervisors_see_their_organisations_statistics(supervisor, counted):
    """Issue 21: a supervisor runs the team, so sees its figures (suppressed as for admins)."""
    assert client_for(supervisor).get("/api/v1/statistics/").status_code == 200


def test_no_membership_is_403(db):
    response = client_for(make_member("loner", None, "")).get("/api/v1/statistics/")
    assert response.status_code == 403


def test_another_organisation_is_404(admin_a, org_b, counted):
    response = client_for(admin_a).get("/api/v1/statistics/", {"organisation": org_b.pk})
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_admin_here_but_caseworker_there_gets_nothing_from_there(admin_a, org_b, counted):
    Membership.objects.create(user=admin_a, organisation=org_b, role=Membership.Role.CASEWORKER)
    response = client_for(admin_a).get("/api/v1/statistics/", {"organisation": org_b.pk})
    assert response.status_code == 403
    assert "rows" not in response.json()


def test_other_organisations_admin_sees_only_theirs(org_b, counted):
    admin_b = make_member("admin_b", org_b, Membership.Role.ADMIN)
    body = client_for(admin_b).get("/api/v1/statistics/").json()
    assert body["organisation"] == org_b.pk and body["total"] == 20
    assert [row["counts"] for row in body["rows"] if row["key"] == "registration"] == [[0]]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"dimension": "salary"}, "dimension"),
        ({"dimension": "organisation"}, "dimension"),  # the network view's dimension
        ({"dimension": "problem", "cross": "problem"}, "cross"),
        ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, "date_to"),
        ({"audience": "everyone"}, "audience"),
        ({"organisation": "x"}, "organisation"),
    ],
)
def test_bad_query_is_a_field_error(admin_a, counted, query, field):
    response = client_for(admin_a).get("/api/v1/statistics/", query)
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()


def test_needs_authentication(db):
    assert client_for(None).get("/api/v1/statistics/").status_code == 401
