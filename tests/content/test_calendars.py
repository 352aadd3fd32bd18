"""Date arithmetic: working days on the Russian production calendar, months, years."""

from __future__ import annotations

from datetime import date

import holidays
import pytest

from content import calendars

RU = holidays.country_holidays("RU")


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (date(2026, 3, 16), 7, date(2026, 3, 25)),  # Monday + 7 working days → Wednesday
        (date(2026, 6, 10), 7, date(2026, 6, 22)),  # 12 June (Russia Day) is skipped → Monday
        (date(2026, 3, 20), 1, date(2026, 3, 23)),  # Friday + 1 → Monday
        (date(2026, 3, 21), 1, date(2026, 3, 23)),  # from a Saturday the next working day
        (date(2026, 3, 25), -7, date(2026, 3, 16)),  # counting backwards
    ],
)
def test_working_days(start, n, due):
    assert calendars.add_working_days(start, n).due == due


def test_russia_day_is_named_in_the_explanation():
    result = calendars.add_working_days(date(2026, 6, 10), 7)
    assert result.skipped == (date(2026, 6, 12),)
    assert calendars.describe_skipped(result.skipped) == "12 June is a public holiday (Russia Day)"


def test_new_year_holidays_are_skipped():
    # Arrival on Friday 26 Dec 2025: the New Year holidays (1–8 Jan) are not working days.
    result = calendars.add_working_days(date(2025, 12, 26), 7)
    assert result.due >= date(2026, 1, 9)
    assert all(date(2026, 1, d) in result.skipped for d in (1, 2, 5, 6, 7, 8))
    assert calendars.is_working_day(result.due) and result.due.weekday() < 5


def test_new_year_span_with_a_working_saturday():
    # 2024 production calendar: Saturday 28 Dec worked, 30 Dec – 8 Jan off.
    result = calendars.add_working_days(date(2024, 12, 27), 5)
    assert result.due == date(2025, 1, 14)
    assert date(2024, 12, 30) in result.skipped and date(2025, 1, 8) in result.skipped


def test_a_weekend_holiday_moved_to_monday_is_not_a_working_day():
    # Sunday 12 June 2022 moved to Monday 13 June; holidays 0.79 marks the Sunday a working day.
    assert not calendars.is_working_day(date(2022, 6, 12))
    assert not calendars.is_working_day(date(2022, 6, 13))
    assert calendars.is_working_day(date(2022, 3, 5))  # a real working Saturday
    assert calendars.add_working_days(date(2022, 6, 3), 7).due == date(2022, 6, 15)


def test_an_override_makes_a_day_off_and_moves_the_deadline():
    overrides = {date(2026, 3, 19): False}  # a decree turns Thursday into a day off
    calendar_ = calendars.WorkCalendar(overrides=overrides)
    result = calendars.add_working_days(date(2026, 3, 16), 7, calendar_)
    assert result.due == date(2026, 3, 26)
    assert "19 March is a day off (calendar correction)" in calendars.describe_skipped(
        result.skipped, calendar_
    )


def test_an_override_makes_a_saturday_a_working_day():
    overrides = {date(2026, 3, 21): True}
    calendar_ = calendars.WorkCalendar(overrides=overrides)
    assert calendars.add_working_days(date(2026, 3, 16), 5, calendar_).due == date(2026, 3, 21)


@pytest.mark.parametrize(
    ("start", "months", "due", "clamped"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28), True),
        (date(2028, 1, 31), 1, date(2028, 2, 29), True),  # leap year
        (date(2026, 3, 31), 1, date(2026, 4, 30), True),
        (date(2026, 1, 15), 12, date(2027, 1, 15), False),
        (date(2026, 11, 30), 3, date(2027, 2, 28), True),
        (date(2026, 5, 10), -2, date(2026, 3, 10), False),
    ],
)
def test_months_clamp_to_the_end_of_a_short_month(start, months, due, clamped):
    result = calendars.add_months(start, months)
    assert (result.due, result.clamped) == (due, clamped)


def test_years_from_a_leap_day():
    assert calendars.add_years(date(2024, 2, 29), 1).due == date(2025, 2, 28)
    assert calendars.add_years(date(2024, 2, 29), 4).due == date(2028, 2, 29)


def test_human_dates_do_not_depend_on_the_locale():
    assert calendars.human_date(date(2026, 6, 22)) == "22 June 2026"
