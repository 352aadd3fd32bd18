"""Property tests of the engine and the calendar (hypothesis)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from content import calendardata, calendars, engine, rulesdata
from tests.content import factories

RULESET = rulesdata.to_ruleset(
    rulesdata.read_dir(), decrees=factories.decrees_from_files(calendardata.read_dir())
)
PROBLEM_TYPES = [
    "unpaid_wages",
    "documents_confiscated",
    "reentry_ban",
    "registration",
    "patent",
    "trafficking",
    "detention",
    "other",
]
COUNTRIES = ["TJ", "UZ", "KG", "KZ", "AM", "BY", "AZ", "MD", "TM", "RU", "CN"]
dates = st.dates(min_value=date(2005, 1, 1), max_value=date(2030, 12, 31))
maybe_date = st.none() | dates

facts_strategy = st.builds(
    engine.Facts,
    problem_type=st.sampled_from(PROBLEM_TYPES),
    citizenship=st.sampled_from(COUNTRIES),
    arrival_date=maybe_date,
    extra=st.fixed_dictionaries(
        {},
        optional={
            "patent_issue_date": dates,
            "ban_start_date": dates,
            "ban_duration_years": st.integers(min_value=0, max_value=10),
            "employment_end_date": dates,
            "wage_period_end": dates,
            "wage_due_date": dates,
            "stay_over_90_days": st.booleans(),
            "entry_purpose": st.sampled_from(["work", "study", "private"]),
        },
    ),
)


@settings(max_examples=120, deadline=None)
@given(facts=facts_strategy, on=dates)
def test_plan_is_deterministic(facts, on):
    first = engine.plan(facts, RULESET, on=on)
    assert first == engine.plan(facts, RULESET, on=on)
    keys = [d.key for d in first.deadlines]
    assert len(keys) == len(set(keys))
    assert len({i.key for i in first.items}) == len(first.items)


@settings(max_examples=120, deadline=None)
@given(facts=facts_strategy, on=dates)
def test_every_deadline_is_explained_and_cited(facts, on):
    for d in engine.plan(facts, RULESET, on=on).deadlines:
        assert d.source and d.rule_key and d.title
        assert f"→ {calendars.human_date(d.due)}" in d.explanation
        assert f"→ {calendars.human_date_ru(d.due)}" in dict(d.explanations)["ru"]


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=60))
def test_working_day_deadline_is_a_working_day_and_never_before_calendar_days(start, n):
    due = calendars.add_working_days(start, n).due
    assert calendars.is_working_day(due)
    assert due.weekday() < 5 or due in calendars._country("RU").weekend_workdays
    assert due >= calendars.add_calendar_days(start, n).due


@settings(max_examples=120, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=30), day=dates)
def test_overrides_are_obeyed(start, n, day):
    overrides = {day: False}
    due = calendars.add_working_days(start, n, calendars.WorkCalendar(overrides=overrides)).due
    assert due != day


@settings(max_examples=200, deadline=None)
@given(start=dates, months=st.integers(min_value=-36, max_value=36))
def test_month_steps_stay_in_the_target_month(start, months):
    result = calendars.add_months(start, months)
    assert (result.due.year * 12 + result.due.month) - (start.year * 12 + start.month) == months
    assert result.due.day <= start.day and (result.clamped or result.due.day == start.day)
