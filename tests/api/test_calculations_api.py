"""GET /api/v1/cases/{id}/calculations/: wage compensation and ban end from the case's facts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from drf_spectacular.generators import SchemaGenerator

from content import keyratedata
from tests.api.conftest import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def key_rates(db):
    keyratedata.import_rates(keyratedata.read())


def test_a_wage_case_has_compensation_per_key_rate_period(api, org_a, caseworker):
    # 85,000 RUB due 15.07.2024, paid 20.08.2024: 13 days at 16% = 1,178.67 and 23 days at
    # 18% = 2,346.00 (85,000 × rate / 150 × days, each rounded to kopecks); total 3,524.67.
    case = make_case(
        org_a,
        caseworker,
        other_problem_types=("unpaid_wages",),
        amount_owed=Decimal("85000"),
        extra_facts={"wage_due_date": "2024-07-15", "wage_paid_date": "2024-08-20"},
    )
    response = api.get(f"/api/v1/cases/{case.pk}/calculations/")
    assert response.status_code == 200
    body = response.json()
    assert body["ban"] is None
    wages = body["wages"]
    assert wages["limitation_date"] == "2025-07-15" and wages["limitation_file_by"] is None
    assert wages["limitation_basis"] == "Трудовой кодекс РФ, ст. 392, ч. 2"
    compensation = wages["compensation"]
    assert compensation["total"] == "3524.67"
    assert compensation["total_with_principal"] == "88524.67"
    assert [(s["first"], s["days"], s["rate"]["rate"], s["compensation"]) for s in
            compensation["segments"]] == [
        ("2024-07-16", 13, "16.00", "1178.67"),
        ("2024-07-29", 23, "18.00", "2346.00"),
    ]  # fmt: skip


def test_a_ban_case_has_the_end_and_earliest_return(api, org_a, caseworker):
    case = make_case(
        org_a,
        caseworker,
        other_problem_types=("reentry_ban",),
        ban_start_date=date(2024, 2, 29),
        ban_duration_years=5,
        extra_facts={"ban_basis": "expulsion"},
    )
    body = api.get(f"/api/v1/cases/{case.pk}/calculations/").json()
    assert body["wages"] is None
    term = body["ban"]["term"]
    assert (term["end"], term["earliest_return"], term["clamped"]) == (
        "2029-02-28",
        "2029-03-01",
        True,
    )
    assert term["basis"]["usual_years"] == 5 and not term["length_differs"]


def test_a_case_without_such_problems_has_nulls(api, case_a):
    body = api.get(f"/api/v1/cases/{case_a.pk}/calculations/").json()
    assert body["wages"] is None and body["ban"] is None


def test_the_schema_describes_the_endpoint():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/cases/{id}/calculations/"]["get"]
    assert operation["operationId"] == "cases_calculations"
    assert "CaseCalculations" in schema["components"]["schemas"]
