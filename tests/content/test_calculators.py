"""The wage and ban calculators (content.calculators), by hand-computed examples, and the
shipped key-rate table (content/rates/key-rate.yaml)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from content import calculators, calendardata, calendars, engine, keyratedata, rulesdata
from content.calculators import KeyRate
from content.engine import Facts
from tests.content import factories

SHIPPED_ROWS = keyratedata.read()
SHIPPED = keyratedata.parse(SHIPPED_ROWS)
RUB = Decimal("85000.00")


def rates(*rows: tuple[date, str]) -> tuple[KeyRate, ...]:
    return tuple(KeyRate(day, Decimal(rate), f"decision of {day}") for day, rate in rows)


# --- Compensation for late wages (Labour Code art. 236) ---------------------------------------
def test_two_key_rate_periods_by_hand():
    # 85,000 RUB due on 15 July 2024, paid on 20 August 2024. The delay runs from 16 July to
    # 20 August inclusive: 36 days, across the rise of the key rate on 29 July 2024.
    #   16.07-28.07: 13 days at 16%: 85,000 × 16% / 150 × 13 = 90.6667 × 13 = 1,178.666… → 1,178.67
    #   29.07-20.08: 23 days at 18%: 85,000 × 18% / 150 × 23 = 102.00 × 23 = 2,346.00
    #   total 3,524.67; with the wages 88,524.67
    result = calculators.late_pay_compensation(
        RUB, due_date=date(2024, 7, 15), paid_on=date(2024, 8, 20), rates=SHIPPED
    )
    assert [(s.first, s.last, s.days, s.rate.rate, s.compensation) for s in result.segments] == [
        (date(2024, 7, 16), date(2024, 7, 28), 13, Decimal("16.00"), Decimal("1178.67")),
        (date(2024, 7, 29), date(2024, 8, 20), 23, Decimal("18.00"), Decimal("2346.00")),
    ]
    assert result.days == 36
    assert result.total == Decimal("3524.67")
    assert result.total_with_principal == Decimal("88524.67")
    assert not result.to_verify
    assert calculators.compensation_lines_ru(result) == (
        "85\u202f000,00 руб. × 16,00 % × 1/150 × 13 дн. (с 16.07.2024 по 28.07.2024) = "
        "1\u202f178,67 руб.",
        "85\u202f000,00 руб. × 18,00 % × 1/150 × 23 дн. (с 29.07.2024 по 20.08.2024) = "
        "2\u202f346,00 руб.",
        "Итого компенсация за задержку выплаты (Трудовой кодекс РФ, ст. 236, ч. 1) за 36 дн.: "
        "3\u202f524,67 руб.",
    )  # fmt: skip


def test_the_payment_day_counts_and_the_due_day_does_not():
    # One day late: paid the day after the due date. 85,000 × 21% / 150 × 1 = 119.00
    table = rates((date(2024, 10, 28), "21"))
    one_day = calculators.late_pay_compensation(
        RUB, due_date=date(2025, 1, 10), paid_on=date(2025, 1, 11), rates=table
    )
    assert one_day.days == 1 and one_day.total == Decimal("119.00")
    on_time = calculators.late_pay_compensation(
        RUB, due_date=date(2025, 1, 10), paid_on=date(2025, 1, 10), rates=table
    )
    assert on_time.segments == () and on_time.total == Decimal("0.00")


def test_each_segment_is_rounded_half_up_to_kopecks():
    # 1,000.00 × 7.5% / 150 × 1 = 0.5 exactly; 1,010.00 × 7.5% / 150 = 0.505 → 0.51 (half up);
    # 1,009.99 × 7.5% / 150 = 0.504995 → 0.50
    assert calculators.segment_compensation(Decimal("1000"), Decimal("7.5"), 1) == Decimal("0.50")
    assert calculators.segment_compensation(Decimal("1010"), Decimal("7.5"), 1) == Decimal("0.51")
    assert calculators.segment_compensation(Decimal("1009.99"), Decimal("7.5"), 1) == Decimal(
        "0.50"
    )


def test_a_rate_row_marked_to_verify_marks_the_result():
    # 85,000 due 10 December 2025, counted to 20 January 2026:
    #   11.12-21.12: 11 days at 16.5% (row to verify): 85,000 × 16.5% / 150 = 93.50 × 11 = 1,028.50
    #   22.12-20.01: 30 days at 16%: 90.6667 × 30 = 2,720.00 → total 3,748.50
    result = calculators.late_pay_compensation(
        RUB, due_date=date(2025, 12, 10), paid_on=date(2026, 1, 20), rates=SHIPPED
    )
    assert [s.compensation for s in result.segments] == [Decimal("1028.50"), Decimal("2720.00")]
    assert result.total == Decimal("3748.50")
    assert result.to_verify


def test_no_rate_known_for_the_first_day_is_an_error():
    with pytest.raises(calculators.CalculationError) as error:
        calculators.late_pay_compensation(
            RUB, due_date=date(2019, 1, 1), paid_on=date(2022, 3, 1), rates=SHIPPED
        )
    assert error.value.code == "no_rate"


def test_the_amount_must_be_positive():
    with pytest.raises(calculators.CalculationError) as error:
        calculators.late_pay_compensation(
            Decimal("0"), due_date=date(2024, 1, 1), paid_on=date(2024, 2, 1), rates=SHIPPED
        )
    assert error.value.code == "not_positive"


def test_two_rates_from_one_day_are_refused():
    with pytest.raises(calculators.CalculationError):
        calculators.rate_periods(rates((date(2024, 1, 1), "16"), (date(2024, 1, 1), "18")))


# --- The limitation date (Labour Code art. 392 p. 2) -------------------------------------------
def test_limitation_is_one_year_from_the_due_date_as_the_deadline_rule_counts():
    assert calculators.wage_limitation_date(date(2025, 3, 15)) == date(2026, 3, 15)
    assert calculators.wage_limitation_date(date(2024, 2, 29)) == date(2025, 2, 28)
    ruleset = rulesdata.to_ruleset(
        rulesdata.read_dir(), decrees=factories.decrees_from_files(calendardata.read_dir())
    )
    facts = Facts(
        problem_type="unpaid_wages", citizenship="TJ", extra={"wage_due_date": date(2025, 3, 15)}
    )
    planned = engine.plan(facts, ruleset, on=date(2025, 4, 1))
    (court_limit,) = [d for d in planned.deadlines if d.key == "wages.court_limit"]
    assert court_limit.due == calculators.wage_limitation_date(date(2025, 3, 15))


def test_a_limitation_ending_on_a_day_off_says_the_working_day_before_as_the_deadline_does():
    # Due 15 March 2025: one year later is Sunday 15 March 2026; file by Friday 13 March.
    ruleset = rulesdata.to_ruleset(
        rulesdata.read_dir(), decrees=factories.decrees_from_files(calendardata.read_dir())
    )
    calendar_ = calendars.WorkCalendar(decrees=ruleset.calendar_decrees)
    limitation = calculators.wage_limitation(date(2025, 3, 15), calendar_)
    assert (limitation.last_day, limitation.file_by) == (date(2026, 3, 15), date(2026, 3, 13))
    facts = Facts(
        problem_type="unpaid_wages", citizenship="TJ", extra={"wage_due_date": date(2025, 3, 15)}
    )
    planned = engine.plan(facts, ruleset, on=date(2025, 4, 1))
    (court_limit,) = [d for d in planned.deadlines if d.key == "wages.court_limit"]
    assert court_limit.file_by == limitation.file_by
    assert calculators.wage_limitation(date(2024, 7, 15), calendar_).file_by is None


# --- Re-entry bans ----------------------------------------------------------------------------
def test_ban_end_and_earliest_return():
    # A 5-year ban from 10 March 2021 ends on 10 March 2026; entry is lawful from 11 March 2026.
    term = calculators.ban_term(date(2021, 3, 10), 5, "expulsion")
    assert (term.end, term.earliest_return, term.clamped) == (
        date(2026, 3, 10),
        date(2026, 3, 11),
        False,
    )
    assert term.basis is not None and "ст. 27, п. 2" in term.basis.citation
    assert not term.length_differs


def test_a_ban_from_29_february_ends_on_28_february():
    term = calculators.ban_term(date(2024, 2, 29), 3)
    assert (term.end, term.earliest_return, term.clamped) == (
        date(2027, 2, 28),
        date(2027, 3, 1),
        True,
    )


def test_a_length_unusual_for_the_basis_is_pointed_out():
    assert calculators.ban_term(date(2024, 5, 1), 10, "offences").length_differs
    assert not calculators.ban_term(date(2024, 5, 1), 10, "other").length_differs


@pytest.mark.parametrize(
    ("start", "years"), [(date(2024, 2, 29), 5), (date(2023, 1, 31), 3), (date(2020, 6, 15), 10)]
)
def test_ban_end_agrees_with_the_ban_end_deadline_rule(start, years):
    ruleset = rulesdata.to_ruleset(
        rulesdata.read_dir(), decrees=factories.decrees_from_files(calendardata.read_dir())
    )
    facts = Facts(
        problem_type="reentry_ban",
        citizenship="TJ",
        extra={"ban_start_date": start, "ban_duration_years": years},
    )
    planned = engine.plan(facts, ruleset, on=date(2026, 3, 1))
    (ban_end,) = [d for d in planned.deadlines if d.key == "ban.end"]
    assert ban_end.due == calculators.ban_term(start, years).end


def test_a_ban_needs_a_length():
    with pytest.raises(calculators.CalculationError) as error:
        calculators.ban_term(date(2024, 1, 1), 0)
    assert error.value.code == "ban_years"


# --- The shipped key-rate table ---------------------------------------------------------------
def test_the_shipped_table_is_valid_and_covers_2022_to_today():
    assert keyratedata.validate(SHIPPED_ROWS) == []
    assert SHIPPED[0].effective_from <= date(2022, 1, 1)
    assert SHIPPED[-1].effective_from >= date(2026, 1, 1)
    assert all(row.decision.startswith("Решение Совета директоров Банка России") for row in SHIPPED)


@pytest.mark.parametrize(
    ("day", "rate"),
    [
        (date(2022, 2, 28), "20.00"),
        (date(2022, 12, 31), "7.50"),
        (date(2024, 10, 28), "21.00"),
        (date(2025, 9, 15), "17.00"),
        (date(2025, 12, 22), "16.00"),
        (date(2026, 2, 16), "15.50"),
    ],
)
def test_rates_read_in_sources(day, rate):
    in_force = [r for r in SHIPPED if r.effective_from <= day][-1]
    assert in_force.rate == Decimal(rate)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"from": "2024-01-01", "rate": "16", "decision": "x"}, "from must be a date"),
        ({"from": date(2024, 1, 1), "rate": "abc", "decision": "x"}, "rate must be a number"),
        ({"from": date(2024, 1, 1), "rate": "150", "decision": "x"}, "rate must be a number"),
        ({"from": date(2024, 1, 1), "rate": "16"}, "decision is required"),
        ({"from": date(2024, 1, 1), "rate": "16", "decision": "x", "why": 1}, "unknown keys"),
    ],
)
def test_bad_rows_are_reported(row, message):
    (error,) = keyratedata.validate([row])
    assert message in error
