"""The case page's "Calculations" panel and the caseworkers' calculators page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cases import calculations
from cases.models import Case
from content import keyratedata
from content.models import KeyRate
from tests import factories
from tests.content import factories as content_factories


@pytest.fixture
def key_rates(db):
    keyratedata.import_rates(keyratedata.read())


def wage_case(org, caseworker, **extra):
    return factories.case(
        org,
        caseworker,
        amount_owed=Decimal("85000.00"),
        wage_period_start=date(2024, 6, 1),
        wage_period_end=date(2024, 6, 30),
        extra_facts={"wage_due_date": "2024-07-15", **extra},
    )


# --- The case's calculations ------------------------------------------------------------------
def test_a_wage_case_counts_compensation_to_the_payment_day(key_rates, org, caseworker):
    # The hand-computed example of tests/content/test_calculators.py: 85,000 RUB due 15.07.2024,
    # paid 20.08.2024: 13 days at 16% (1,178.67) + 23 days at 18% (2,346.00) = 3,524.67.
    case = wage_case(org, caseworker, wage_paid_date="2024-08-20")
    found = calculations.for_case(case, user=caseworker, today=date(2026, 12, 3))
    assert found is not None and found.ban is None
    wages = found.wages
    assert wages.compensation.total == Decimal("3524.67")
    assert wages.total_claim == Decimal("88524.67")
    assert wages.limitation_date == date(2025, 7, 15)
    assert not wages.limitation_from_period_end


def test_an_unpaid_case_is_counted_to_today(key_rates, org, caseworker):
    case = wage_case(org, caseworker)
    wages = calculations.for_case(case, user=caseworker, today=date(2024, 7, 20)).wages
    # 16.07-20.07: 5 days at 16%: 90.6667 × 5 = 453.33
    assert wages.counted_to == date(2024, 7, 20)
    assert wages.compensation.total == Decimal("453.33")


def test_without_a_due_date_the_limitation_counts_from_the_period_end(key_rates, org, caseworker):
    case = factories.case(
        org, caseworker, amount_owed=Decimal("1000"), wage_period_end=date(2025, 4, 30)
    )
    wages = calculations.for_case(case, user=caseworker).wages
    assert wages.compensation is None and wages.missing == ("wage_due_date",)
    assert wages.limitation_date == date(2026, 4, 30) and wages.limitation_from_period_end


def test_an_empty_key_rate_table_is_an_error_not_a_crash(db, org, caseworker):
    case = wage_case(org, caseworker)
    wages = calculations.for_case(case, user=caseworker, today=date(2024, 8, 1)).wages
    assert wages.compensation is None and wages.error == "no_rate"
    assert "No key rate" in wages.error_message


def test_a_ban_case_counts_the_end_and_the_earliest_return(db, org, caseworker):
    content_factories.load_shipped_rules()
    case = factories.case(
        org,
        caseworker,
        problem_type=Case.ProblemType.REENTRY_BAN,
        ban_start_date=date(2021, 3, 10),
        ban_duration_years=5,
        extra_facts={"ban_basis": "expulsion"},
    )
    found = calculations.for_case(case, user=caseworker)
    assert found.wages is None
    assert (found.ban.term.end, found.ban.term.earliest_return) == (
        date(2026, 3, 10),
        date(2026, 3, 11),
    )
    # The ban.end deadline the rules planned for the case agrees.
    (deadline,) = case.deadlines.filter(rule_key="ban.end")
    assert deadline.due_date == found.ban.term.end
    assert calculations.calculator_query(found) == (
        "?ban_start=2021-03-10&ban_years=5&ban_basis=expulsion"
    )


def test_other_cases_have_no_calculations(db, org, caseworker):
    case = factories.case(org, caseworker, problem_type=Case.ProblemType.REGISTRATION)
    assert calculations.for_case(case, user=caseworker) is None


# --- The case page ----------------------------------------------------------------------------
def test_the_case_page_shows_the_panel(key_rates, org, caseworker, cw_client):
    case = wage_case(org, caseworker, wage_paid_date="2024-08-20")
    response = cw_client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="panel-calculations"' in page
    assert "3,524.67" in page and "88,524.67" in page
    assert "15 July 2025" in page  # the last day to go to court
    assert "art. 236 p. 1" in page and "art. 392 p. 2" in page
    assert "amount=85000.00&amp;due_date=2024-07-15&amp;paid_on=2024-08-20" in page


def test_a_registration_case_page_has_no_panel(db, org, caseworker, cw_client):
    case = factories.case(org, caseworker, problem_type=Case.ProblemType.REGISTRATION)
    response = cw_client.get(reverse("cases:detail", args=[case.pk]))
    assert 'id="panel-calculations"' not in response.content.decode()


# --- The calculators page ---------------------------------------------------------------------
URL = reverse("cases:calculators")


def test_the_page_opens_empty(db, cw_client):
    response = cw_client.get(URL)
    assert response.status_code == 200
    assert "wage-result" not in response.content.decode()


def test_the_wage_calculator(key_rates, cw_client):
    response = cw_client.get(
        URL, {"amount": "85000", "due_date": "2024-07-15", "paid_on": "2024-08-20"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "3,524.67" in page and "1,178.67" in page and "2,346.00" in page
    assert "15 July 2025" in page


def test_a_limitation_on_a_day_off_says_when_to_file(key_rates, cw_client):
    # Due 15 March 2025: the year ends on Sunday 15 March 2026, so file by Friday 13 March.
    response = cw_client.get(URL, {"amount": "1000", "due_date": "2025-03-15"})
    assert "15 March 2026" in response.content.decode()
    assert "file by Friday 13 March 2026" in response.content.decode()


def test_the_ban_calculator(db, cw_client):
    response = cw_client.get(
        URL, {"ban_start": "2024-02-29", "ban_years": "3", "ban_basis": "offences"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "28 February 2027" in page and "1 March 2027" in page
    assert "ст. 26, п. 4" in page
    assert "the last decision on an offence took effect" in page


@pytest.mark.parametrize(
    "query",
    [
        {"amount": "abc", "due_date": "2024-07-15"},
        {"amount": "-5", "due_date": "2024-07-15"},
        {"amount": "1" * 20, "due_date": "2024-07-15"},
        {"amount": "85000", "due_date": "2024-13-45"},
        {"amount": "85000", "due_date": "9999-01-01"},
        {"amount": "85000", "due_date": ""},
        {"amount": "85000", "due_date": "2024-07-15", "paid_on": "0001-01-01"},
        {"ban_start": "1850-01-01", "ban_years": "3"},
        {"ban_start": "2024-01-01", "ban_years": "0"},
        {"ban_start": "2024-01-01", "ban_years": "1000000000000"},
        {"ban_start": "2024-01-01", "ban_years": "3", "ban_basis": "made_up"},
        {"ban_start": "not a date", "ban_years": "x"},
    ],
)
def test_bad_input_is_a_form_error(key_rates, cw_client, query):
    response = cw_client.get(URL, query)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()


def test_a_delay_before_the_key_rate_table_is_a_form_error(key_rates, cw_client):
    first = KeyRate.objects.order_by("effective_from").first().effective_from
    response = cw_client.get(URL, {"amount": "1000", "due_date": f"{first.year - 2}-01-01"})
    assert response.status_code == 400
    assert "No key rate is recorded" in response.content.decode()


def test_the_page_needs_a_member(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_trafficking_case_shows_nothing_to_a_member_without_the_flag(key_rates, org, caseworker):
    case = factories.case(
        org,
        caseworker,
        problem_type=Case.ProblemType.TRAFFICKING,
        other_problem_types=(Case.ProblemType.UNPAID_WAGES,),
        amount_owed=Decimal("85000"),
        extra_facts={"wage_due_date": "2024-07-15"},
    )
    assert calculations.for_case(case, user=caseworker) is None


def test_an_amount_in_another_currency_is_not_counted(key_rates, org, caseworker):
    case = factories.case(
        org,
        caseworker,
        amount_owed=Decimal("1000"),
        currency="USD",
        extra_facts={"wage_due_date": "2024-07-15"},
    )
    wages = calculations.for_case(case, user=caseworker, today=date(2024, 8, 1)).wages
    assert wages.compensation is None and wages.error == "not_roubles"
    assert calculations.calculator_query(
        calculations.for_case(case, user=caseworker, today=date(2024, 8, 1))
    ) == ("?due_date=2024-07-15")
