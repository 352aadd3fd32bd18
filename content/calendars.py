"""Date arithmetic for deadlines: calendar days, working days, months and years.

Working days follow the country's production calendar from the `holidays` package (public holidays,
transferred days off, working Saturdays), corrected by `overrides` (an admin-edited table: decrees
change the calendar). Pure functions: the caller passes the overrides in.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

# date -> True (a working day, e.g. a transferred working Saturday) / False (a day off).
Overrides = Mapping[date, bool]


@lru_cache(maxsize=8)
def _country(country: str, language: str = "en_US") -> holidays.HolidayBase:
    try:
        return holidays.country_holidays(country or "RU", language=language)
    except NotImplementedError:
        return holidays.country_holidays(country or "RU")


def is_working_day(day: date, *, country: str = "RU", overrides: Overrides | None = None) -> bool:
    if overrides and day in overrides:
        return overrides[day]
    calendar_ = _country(country)
    # holidays 0.79 lists a weekend holiday whose day off moved to a weekday (e.g. Sunday 12 June
    # 2022) among `weekend_workdays`, so its is_working_day() calls that Sunday a working day.
    # A named holiday is never a working day; everything else is the package's answer.
    if day in calendar_:
        return False
    return calendar_.is_working_day(day)


def holiday_name(day: date, *, country: str = "RU", language: str = "en_US") -> str:
    return _country(country, language).get(day) or ""


@dataclass(frozen=True)
class Result:
    due: date
    # Weekdays skipped because they were days off (holidays, transferred days off, overrides).
    skipped: tuple[date, ...] = ()
    clamped: bool = False  # a month/year step landed past the end of a shorter month


def add_calendar_days(start: date, n: int) -> Result:
    return Result(due=start + timedelta(days=n))


def add_working_days(
    start: date, n: int, *, country: str = "RU", overrides: Overrides | None = None
) -> Result:
    """The n-th working day after `start` (negative n counts backwards). n=0 is `start` itself.

    Not `HolidayBase.get_nth_working_day`: it relies on the weekend-holiday quirk noted above.
    """
    step = 1 if n >= 0 else -1
    due, remaining = start, abs(n)
    while remaining:
        due += timedelta(days=step)
        if is_working_day(due, country=country, overrides=overrides):
            remaining -= 1
    low, high = (start, due) if due >= start else (due, start)
    skipped = tuple(
        low + timedelta(days=i)
        for i in range(1, (high - low).days)
        if (low + timedelta(days=i)).weekday() < 5
        and not is_working_day(low + timedelta(days=i), country=country, overrides=overrides)
    )
    return Result(due=due, skipped=skipped)


def add_months(start: date, n: int) -> Result:
    """Same day n months later; the 31st of a month + 1 month is the last day of a short month."""
    month_index = start.month - 1 + n
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return Result(due=date(year, month, min(start.day, last)), clamped=start.day > last)


def add_years(start: date, n: int) -> Result:
    return add_months(start, 12 * n)


MONTHS = (
    "January February March April May June July August September October November December"
).split()


def human_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


MONTHS_RU_GENITIVE = (
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
).split()


def human_date_ru(day: date) -> str:
    return f"{day.day} {MONTHS_RU_GENITIVE[day.month - 1]} {day.year}"


def short_date_ru(day: date) -> str:
    return f"{day.day} {MONTHS_RU_GENITIVE[day.month - 1]}"


def describe_skipped_ru(
    skipped: tuple[date, ...], *, country: str = "RU", overrides: Overrides | None = None
) -> str:
    """'12 июня — праздник (День России)'."""
    if not skipped:
        return ""
    if len(skipped) > 4:
        return f"{len(skipped)} будн. дн. между ними — праздники или выходные"
    parts = []
    for day in skipped:
        if overrides and day in overrides:
            parts.append(f"{short_date_ru(day)} — выходной (поправка календаря)")
        else:
            name = holiday_name(day, country=country, language="ru")
            parts.append(
                f"{short_date_ru(day)} — " + (f"праздник ({name})" if name else "выходной")
            )
    return "; ".join(parts)


def describe_skipped(
    skipped: tuple[date, ...], *, country: str = "RU", overrides: Overrides | None = None
) -> str:
    """'12 June is a public holiday' / '1–8 January are public holidays'."""
    if not skipped:
        return ""
    parts = []
    for day in skipped:
        if overrides and day in overrides:
            parts.append(f"{short_date(day)} is a day off (calendar correction)")
        else:
            name = holiday_name(day, country=country)
            kind = "a public holiday" if name else "a day off"
            parts.append(f"{short_date(day)} is {kind}" + (f" ({name})" if name else ""))
    if len(parts) > 4:
        return f"{len(parts)} weekdays in between are public holidays or days off"
    return "; ".join(parts)
