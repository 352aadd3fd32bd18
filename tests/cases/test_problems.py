"""Several problems per case, end to end: one case with registration, unpaid wages and a
confiscated passport, opened through the intake form (the Django test client POSTing the real
forms) and through the API, gets the union of the three problems' checklists and deadlines,
the wage claim's limitation date (Labour Code art. 392) among them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases import planning, problems
from cases.models import Case, CaseProblem
from content import engine, queries
from tests import factories as casework
from tests.content import factories

pytestmark = pytest.mark.django_db

THREE = ["registration", "unpaid_wages", "documents_confiscated"]


@pytest.fixture
def rules():
    return factories.load_shipped_rules()


@pytest.fixture
def org():
    return factories.organisation()


@pytest.fixture
def user(org):
    return factories.member(org)


def _dates():
    today = timezone.localdate()
    return {
        "arrival": today - timedelta(days=3),
        "wage_due": today - timedelta(days=40),
        "held_since": today - timedelta(days=10),
    }


def _expected_plan(case: Case) -> engine.Plan:
    """The union, as the engine gives it for each problem alone, documents listed once."""
    facts = planning.facts_for_case(case)
    items: dict[str, str] = {}
    deadlines: set[str] = set()
    for problem in THREE:
        alone = engine.Facts(
            problem_type=problem,
            citizenship=facts.citizenship,
            country_of_stay=facts.country_of_stay,
            arrival_date=facts.arrival_date,
            extra=facts.extra,
        )
        plan = queries.plan_for(alone)
        for item in plan.items:
            items.setdefault(item.document_code, item.key)
        deadlines |= {d.key for d in plan.deadlines}
    return items, deadlines


def _assert_union(case: Case) -> None:
    assert case.problem_types == THREE[:1] + sorted(THREE[1:])
    items, deadlines = _expected_plan(case)
    live = case.checklist.filter(retired_at=None)
    assert sorted(live.values_list("document_code", flat=True)) == sorted(items)
    assert set(case.deadlines.values_list("key", flat=True)) == deadlines
    wage_claim = case.deadlines.get(key="wages.court_limit")
    assert wage_claim.rule_key == "wages.court_limit"
    assert "392" in wage_claim.source
    assert wage_claim.due_date == _dates()["wage_due"].replace(year=_dates()["wage_due"].year + 1)
    # Each problem contributes: registration, the wage claim, the passport's recovery.
    assert case.deadlines.filter(key="registration").exists()
    assert any(code.startswith("passport") or "police" in code for code in items)


def test_intake_form_opens_a_case_with_three_problems(client, rules, org, user):
    d = _dates()
    client.force_login(user)
    response = client.post(
        reverse("cases:intake"),
        {
            "m-full_name_latin": "Rustam Nazarov",
            "m-citizenship": "TJ",
            "m-preferred_language": "tg",
            "m-gender": "male",
            "c-problem_type": "registration",
            "c-other_problem_types": ["unpaid_wages", "documents_confiscated"],
            "c-priority": "normal",
            "c-arrival_date": d["arrival"].isoformat(),
            "c-wage_due_date": d["wage_due"].isoformat(),
            "c-submission": "t1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert case.extra_facts == {"wage_due_date": d["wage_due"].isoformat()}
    # The passport's custody is on the facts form (a Case field), saved through the real form.
    facts_url = reverse("cases:facts", args=[case.pk])
    page = client.get(facts_url)
    assert b"wage_due_date" in page.content and b"<details" in page.content
    response = client.post(
        facts_url,
        {
            "problem_type": "registration",
            "other_problem_types": ["unpaid_wages", "documents_confiscated"],
            "arrival_date": d["arrival"].isoformat(),
            "country_of_stay": "RU",
            "currency": "RUB",
            "passport_holder": "employer",
            "passport_held_since": d["held_since"].isoformat(),
            "wage_due_date": d["wage_due"].isoformat(),
            "submission": "t2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    _assert_union(Case.objects.get())


def test_the_api_opens_the_same_case(rules, org, user):
    d = _dates()
    api = APIClient()
    api.force_authenticate(user)
    person = casework.migrant(org, user)
    response = api.post(
        "/api/v1/cases/",
        {
            "migrant": person.pk,
            "problem_type": "registration",
            "other_problem_types": ["unpaid_wages", "documents_confiscated"],
            "arrival_date": d["arrival"].isoformat(),
            "passport_holder": "employer",
            "passport_held_since": d["held_since"].isoformat(),
            "extra_facts": {"wage_due_date": d["wage_due"].isoformat()},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["problem_types"] == [
        "registration",
        "documents_confiscated",
        "unpaid_wages",
    ]
    _assert_union(Case.objects.get())
    listed = api.get("/api/v1/cases/", {"problem_type": "unpaid_wages"}).json()
    assert [c["id"] for c in listed["results"]] == [response.json()["id"]]


def test_the_api_refuses_unknown_and_mistyped_facts_naming_each(rules, org, user):
    api = APIClient()
    api.force_authenticate(user)
    case = casework.case(org, user)
    response = api.patch(
        f"/api/v1/cases/{case.pk}/",
        {"extra_facts": {"shoe_size": 42, "wage_due_date": "15.01.2026"}},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"extra_facts.shoe_size", "extra_facts.wage_due_date"}


def test_dropping_a_problem_retires_its_items_and_counts_follow(rules, org, user):
    case = casework.case(
        org, user, problem_type="unpaid_wages", other_problem_types=("documents_confiscated",)
    )
    assert CaseProblem.objects.filter(case=case).count() == 2
    before = set(case.checklist.filter(retired_at=None).values_list("key", flat=True))
    problems.change_problems(
        case=case, problem_type="unpaid_wages", other_problem_types=[], by=user
    )
    after = set(case.checklist.filter(retired_at=None).values_list("key", flat=True))
    assert after < before
    assert list(CaseProblem.objects.filter(case=case).values_list("problem_type", flat=True)) == [
        "unpaid_wages"
    ]
