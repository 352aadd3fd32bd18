"""The production calendar as the law has it: Decree No. 1466 for 2026, Labour Code art. 112 alone
for 2027 (no decree loaded: provisional), and what deadlines make of it."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest

from content import calendardata, calendars, engine, rulesdata
from content.engine import Facts
from tests.content import factories

DECREES = factories.decrees_from_files(calendardata.read_dir())
CALENDAR = calendars.WorkCalendar(decrees=DECREES)
RULESET = rulesdata.to_ruleset(rulesdata.read_dir(), decrees=DECREES)

# CURRENT_LAW CAL-01: the weekdays off in 2026 under Decree No. 1466 of 24.09.2025.
DAYS_OFF_2026 = {
    date(2026, 1, d) for d in (1, 2, 5, 6, 7, 8, 9)
} | {date(2026, 2, 23), date(2026, 3, 9), date(2026, 5, 1), date(2026, 5, 11),
     date(2026, 6, 12), date(2026, 11, 4), date(2026, 12, 31)}  # fmt: skip
# CAL-02: 2027 by art. 112 alone (1-8 January's weekend days move only by a decree).
DAYS_OFF_2027 = {
    date(2027, 1, d) for d in (1, 4, 5, 6, 7, 8)
} | {date(2027, 2, 23), date(2027, 3, 8), date(2027, 5, 3), date(2027, 5, 10),
     date(2027, 6, 14), date(2027, 11, 4)}  # fmt: skip


def days_of(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


def test_2026_day_by_day_is_decree_1466():
    for day in days_of(2026):
        expected = day.weekday() < 5 and day not in DAYS_OFF_2026
        assert calendars.is_working_day(day, CALENDAR) is expected, day
    assert sum(calendars.is_working_day(d, CALENDAR) for d in days_of(2026)) == 247
    assert not CALENDAR.provisional(2026)


def test_2026_agrees_with_the_holidays_package():
    assert (
        holidays.__version__ == "0.108"
    )  # the release checked to carry Decree 1466 (CURRENT_LAW CAL-04)
    package = holidays.country_holidays("RU")
    for day in days_of(2026):
        # The package's is_working_day() calls some of its own named days off working days.
        from_package = day not in package and package.is_working_day(day)
        assert calendars.is_working_day(day, CALENDAR) == from_package, day


def test_2027_without_a_decree_is_art_112_alone_and_provisional():
    for day in days_of(2027):
        expected = day.weekday() < 5 and day not in DAYS_OFF_2027
        assert calendars.is_working_day(day, CALENDAR) is expected, day
    assert sum(calendars.is_working_day(d, CALENDAR) for d in days_of(2027)) == 249
    assert CALENDAR.provisional(2027)


def test_without_the_decree_2026_would_miss_its_transfers():
    bare = calendars.WorkCalendar()
    assert calendars.is_working_day(date(2026, 1, 9), bare)
    assert calendars.is_working_day(date(2026, 12, 31), bare)
    assert bare.provisional(2026)


def plan(citizenship, arrival, *, problem_type="registration", on=None, **extra):
    facts = Facts(
        problem_type=problem_type, citizenship=citizenship, arrival_date=arrival, extra=extra
    )
    return engine.plan(facts, RULESET, on=on or arrival)


def deadline(p, key):
    return next(d for d in p.deadlines if d.key == key)


@pytest.mark.parametrize(
    ("arrival", "due", "named"),
    [
        # 30-31 Dec 2025 and 1-9 Jan 2026 off (9 Jan: Saturday 3 Jan moved by Decree 1466).
        (
            date(2025, 12, 30),
            date(2026, 1, 20),
            "9 January is a day off (Government Decree No. 1466",
        ),
        (date(2026, 2, 19), date(2026, 3, 3), "23 February is a public holiday"),
        # 8 March is a Sunday: the day off moves to Monday 9 March (art. 112).
        (date(2026, 3, 5), date(2026, 3, 17), "9 March is a day off moved from 8 March"),
        (date(2026, 4, 29), date(2026, 5, 12), "1 May is a public holiday"),
        # 9 May is a Saturday: the day off moves to Monday 11 May.
        (date(2026, 5, 7), date(2026, 5, 19), "11 May is a day off moved from 9 May"),
        (date(2026, 6, 10), date(2026, 6, 22), "12 June is a public holiday (Russia Day)"),
        (date(2026, 11, 2), date(2026, 11, 12), "4 November is a public holiday"),
        # 31 Dec 2026 (Sunday 4 Jan moved by Decree 1466), then 1-8 Jan 2027.
        (date(2026, 12, 25), date(2027, 1, 14), "31 December is a day off (Government Decree"),
    ],
)
def test_seven_working_days_across_every_2026_day_off(arrival, due, named):
    d = deadline(plan("AZ", arrival), "registration")
    assert d.rule_key == "registration.general" and d.due == due
    assert named in d.explanation


def test_patent_issued_10_january_2026_is_reissued_by_17_december():
    # 10 Jan 2027 minus 10 working days: 1-8 Jan 2027 and 31 Dec 2026 (Decree 1466) are off.
    p = plan("TJ", None, problem_type="patent", on=date(2026, 1, 12),
             patent_issue_date=date(2026, 1, 10))  # fmt: skip
    d = deadline(p, "patent.reissue")
    assert d.due == date(2026, 12, 17) and d.provisional  # 1-8 Jan 2027: no decree yet


def test_a_deadline_in_a_year_without_a_decree_says_provisional():
    d = deadline(plan("AZ", date(2026, 12, 25)), "registration")
    assert d.provisional
    assert "provisional calendar: no decree on days off for 2027" in d.explanation
    assert "предварительный календарь" in dict(d.explanations)["ru"]
    settled = deadline(plan("AZ", date(2026, 6, 10)), "registration")
    assert not settled.provisional and "provisional" not in settled.explanation


def test_a_calendar_day_deadline_on_a_day_off_in_2027_is_provisional_too():
    d = deadline(plan("TJ", date(2027, 4, 26)), "registration")  # 15 days: Tuesday 11 May
    assert d.due == date(2027, 5, 11) and d.file_by is None and d.provisional


def test_the_last_day_is_a_day_off_file_by_the_working_day_before():
    # 15 calendar days from entry on 20 Feb 2026 end on Saturday 7 March; 7-9 March are off.
    d = deadline(plan("TJ", date(2026, 2, 20)), "registration")
    assert (d.due, d.file_by) == (date(2026, 3, 7), date(2026, 3, 6))
    assert "the last day is a day off: file by Friday 6 March 2026" in d.explanation
    assert (
        "последний день — выходной: подайте до пятница, 6 марта 2026" in dict(d.explanations)["ru"]
    )
    on_a_working_day = deadline(plan("TJ", date(2026, 2, 19)), "registration")
    assert on_a_working_day.file_by is None and "day off" not in on_a_working_day.explanation


def test_working_day_deadlines_get_no_day_off_warning():
    d = deadline(plan("AZ", date(2026, 3, 5)), "registration")
    assert d.file_by is None and "file by" not in d.explanation


@pytest.mark.parametrize(
    ("fact", "rule_key", "basis", "due"),
    [
        ("stay_shortened_date", "exit.stay_shortened", date(2026, 4, 6), date(2026, 4, 9)),
        (
            "residence_permit_annulled_date",
            "exit.residence_permit_annulled",
            date(2026, 4, 6),
            date(2026, 4, 21),
        ),
        ("self_exit_order_date", "exit.controlled_self_exit", date(2026, 4, 6), date(2026, 4, 11)),
    ],
)
def test_exit_deadlines(fact, rule_key, basis, due):
    p = plan("UZ", date(2026, 1, 20), problem_type="detention", on=basis, **{fact: basis})
    d = deadline(p, rule_key)
    assert d.due == due and d.unverified
    assert "Federal Law No. 115-FZ, art. 31" in d.source or "Offences" in d.source
    assert calendars.human_date(basis) in d.explanation


def test_exit_deadline_ending_on_a_day_off_warns():
    # Self-exit order in force on Wednesday 6 May 2026: 5 days end on Monday 11 May, a day off.
    p = plan("TJ", None, problem_type="detention", on=date(2026, 5, 6),
             self_exit_order_date=date(2026, 5, 6))  # fmt: skip
    d = deadline(p, "exit.controlled_self_exit")
    assert (d.due, d.file_by) == (date(2026, 5, 11), date(2026, 5, 8))
    assert (
        d.source == "Code of Administrative Offences of the Russian Federation, art. 32.10, part 6"
    )


def test_a_date_that_would_overflow_gives_no_deadline():
    p = plan("TJ", date(9999, 12, 31), problem_type="patent", patent_issue_date=date(9999, 1, 1))
    assert p.deadlines == ()
    assert plan("TJ", date(1000, 1, 1)).deadlines == ()
