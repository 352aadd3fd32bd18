"""Date arithmetic for deadlines: calendar days, working days, months and years.

Working days in Russia follow the law, year by year (a `WorkCalendar` says which years have a
decree loaded):
- from 2026 on, Labour Code art. 112: the fixed public holidays, and a holiday falling on a
  weekend moves the day off to the next working day (except 1-8 January, whose weekend days only
  a government decree moves), plus the transfers of that year's decree (CalendarDecree, loaded by
  an administrator). A year without a decree is counted by art. 112 alone and marked provisional.
- before 2026, and for other countries, the `holidays` package's record of past calendars.
`overrides` (admin-edited days, decree days among them) always win. Pure functions.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

# date -> True (a working day, e.g. a transferred working Saturday) / False (a day off).
Overrides = Mapping[date, bool]

# The first year whose Russian calendar comes from the loaded decrees, not the package.
FIRST_DECREE_YEAR = 2026
# The days a deadline may be counted from or land on: anything outside is a typing error, and
# date arithmetic near date.max overflows.
EARLIEST_DATE, LATEST_DATE = date(1990, 1, 1), date(2100, 12, 31)

# Labour Code art. 112 p. 1: (month, day). 1-8 January are holidays (New Year, Christmas on 7th).
RU_HOLIDAYS = ((1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (1, 8),
               (2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4))  # fmt: skip


@dataclass(frozen=True)
class Decree:
    """A government decree moving days off in one year (e.g. No. 1466 of 24.09.2025 for 2026)."""

    year: int
    number: str
    signed_on: date
    # The decree's own days: (day, is it a working day), e.g. (9 Jan 2026, False).
    days: tuple[tuple[date, bool], ...] = ()

    def says(self, day: date) -> bool | None:
        return next((working for d, working in self.days if d == day), None)

    @property
    def label(self) -> str:
        return f"Government Decree No. {self.number} of {self.signed_on:%d.%m.%Y}"

    @property
    def label_ru(self) -> str:
        return f"постановление Правительства № {self.number} от {self.signed_on:%d.%m.%Y}"


@dataclass(frozen=True)
class WorkCalendar:
    """What working days are counted by: the country, the decrees loaded and the admin's days."""

    country: str = "RU"
    overrides: Overrides = field(default_factory=dict)  # days an administrator corrected
    decrees: tuple[Decree, ...] = ()

    def decree_for(self, year: int) -> Decree | None:
        return next((d for d in self.decrees if d.year == year), None)

    def follows_the_law(self, year: int) -> bool:
        """Counted by art. 112 (and the year's decree) rather than the package."""
        return (self.country or "RU") == "RU" and year >= FIRST_DECREE_YEAR

    def provisional(self, year: int) -> bool:
        """No decree loaded for a year counted by art. 112: its transfers may still change."""
        return self.follows_the_law(year) and self.decree_for(year) is None


DEFAULT = WorkCalendar()


@lru_cache(maxsize=8)
def _country(country: str, language: str = "en_US") -> holidays.HolidayBase:
    try:
        return holidays.country_holidays(country or "RU", language=language)
    except NotImplementedError:
        return holidays.country_holidays(country or "RU")


@lru_cache(maxsize=64)
def statutory_days_off(year: int) -> Mapping[date, date]:
    """Russian weekdays off by art. 112 alone: day -> the holiday it is for (itself, or the
    weekend holiday whose day off moved to it)."""
    fixed = [date(year, month, day) for month, day in RU_HOLIDAYS]
    off = {day: day for day in fixed if day.weekday() < 5}
    for holiday in fixed:
        if holiday.weekday() >= 5 and holiday.month != 1:
            moved = holiday + timedelta(days=1)
            while moved.weekday() >= 5 or moved in off:
                moved += timedelta(days=1)
            off[moved] = holiday
    return off


def is_working_day(day: date, calendar_: WorkCalendar = DEFAULT) -> bool:
    if day in calendar_.overrides:
        return calendar_.overrides[day]
    if calendar_.follows_the_law(day.year):
        decree = calendar_.decree_for(day.year)
        said = decree.says(day) if decree else None
        if said is not None:
            return said
        return day.weekday() < 5 and day not in statutory_days_off(day.year)
    package = _country(calendar_.country)
    # The package has listed a weekend holiday whose day off moved to a weekday among
    # `weekend_workdays` (Sunday 12 June 2022). A named holiday is never a working day.
    if day in package:
        return False
    return package.is_working_day(day)


def holiday_name(day: date, *, country: str = "RU", language: str = "en_US") -> str:
    return _country(country, language).get(day) or ""


@dataclass(frozen=True)
class Result:
    due: date
    # Weekdays skipped because they were days off (holidays, transferred days off, overrides).
    skipped: tuple[date, ...] = ()
    clamped: bool = False  # a month/year step landed past the end of a shorter month
    # Years counted by art. 112 without a decree (their days off may still move).
    provisional: tuple[int, ...] = ()


def provisional_years(low: date, high: date, calendar_: WorkCalendar) -> tuple[int, ...]:
    return tuple(y for y in range(low.year, high.year + 1) if calendar_.provisional(y))


def within_range(day: date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


def add_calendar_days(start: date, n: int) -> Result:
    return Result(due=start + timedelta(days=n))


def add_working_days(start: date, n: int, calendar_: WorkCalendar = DEFAULT) -> Result:
    """The n-th working day after `start` (negative n counts backwards). n=0 is `start` itself.

    Not `HolidayBase.get_nth_working_day`: it relies on the weekend-holiday quirk noted above.
    """
    step = 1 if n >= 0 else -1
    due, remaining = start, abs(n)
    while remaining:
        due += timedelta(days=step)
        if is_working_day(due, calendar_):
            remaining -= 1
    low, high = (start, due) if due >= start else (due, start)
    skipped = tuple(
        low + timedelta(days=i)
        for i in range(1, (high - low).days)
        if (low + timedelta(days=i)).weekday() < 5
        and not is_working_day(low + timedelta(days=i), calendar_)
    )
    return Result(due=due, skipped=skipped, provisional=provisional_years(low, high, calendar_))


def last_working_day_by(day: date, calendar_: WorkCalendar = DEFAULT) -> date:
    """`day` if it is a working day, else the working day before it (when to file by)."""
    while not is_working_day(day, calendar_):
        day -= timedelta(days=1)
    return day


def day_off_warning(due: date, calendar_: WorkCalendar = DEFAULT) -> tuple[date | None, str, str]:
    """A calendar-day deadline ending on a day off: offices are closed, so file the working day
    before (the safe reading; whether the term moves to the next working day is not settled for
    migration duties). Returns that day and the warning in English and Russian."""
    if is_working_day(due, calendar_):
        return None, "", ""
    file_by = last_working_day_by(due, calendar_)
    return (
        file_by,
        f"; the last day is a day off: file by {weekday_date(file_by)}",
        f"; последний день — выходной: подайте до {weekday_date_ru(file_by)} включительно",
    )


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
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
WEEKDAYS_RU = "понедельник вторник среда четверг пятница суббота воскресенье".split()


def human_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def weekday_date(day: date) -> str:
    """'Friday 6 March 2026'."""
    return f"{WEEKDAYS[day.weekday()]} {human_date(day)}"


MONTHS_RU_GENITIVE = (
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
).split()


def human_date_ru(day: date) -> str:
    return f"{day.day} {MONTHS_RU_GENITIVE[day.month - 1]} {day.year}"


def short_date_ru(day: date) -> str:
    return f"{day.day} {MONTHS_RU_GENITIVE[day.month - 1]}"


def weekday_date_ru(day: date) -> str:
    """'пятница, 6 марта 2026'."""
    return f"{WEEKDAYS_RU[day.weekday()]}, {human_date_ru(day)}"


def _why_off(day: date, calendar_: WorkCalendar, *, ru: bool) -> str:
    """Why a weekday is a day off, told in English or Russian."""
    if day in calendar_.overrides:
        return "выходной (поправка календаря)" if ru else "is a day off (calendar correction)"
    decree = calendar_.decree_for(day.year) if calendar_.follows_the_law(day.year) else None
    if decree and decree.says(day) is False:
        return f"выходной ({decree.label_ru})" if ru else f"is a day off ({decree.label})"
    holiday = statutory_days_off(day.year).get(day) if calendar_.follows_the_law(day.year) else day
    name = holiday_name(holiday or day, country=calendar_.country, language="ru" if ru else "en_US")
    name = name.removesuffix(" (observed)").removesuffix(" (выходной)")
    if holiday and holiday != day:
        if ru:
            return f"выходной, перенесённый с {short_date_ru(holiday)} (ТК РФ ст. 112)"
        return f"is a day off moved from {short_date(holiday)} ({name}; Labour Code art. 112)"
    if ru:
        return f"праздник ({name})" if name else "выходной"
    return f"is a public holiday ({name})" if name else "is a day off"


def describe_skipped_ru(skipped: tuple[date, ...], calendar_: WorkCalendar = DEFAULT) -> str:
    """'12 июня — праздник (День России)'."""
    if not skipped:
        return ""
    if len(skipped) > 4:
        moved = "; ".join(
            f"{short_date_ru(d)} — {_why_off(d, calendar_, ru=True)}"
            for d in _moved_days(skipped, calendar_)
        )
        return f"{len(skipped)} будн. дн. между ними — праздники или выходные" + (
            f" ({moved})" if moved else ""
        )
    return "; ".join(f"{short_date_ru(d)} — {_why_off(d, calendar_, ru=True)}" for d in skipped)


def describe_skipped(skipped: tuple[date, ...], calendar_: WorkCalendar = DEFAULT) -> str:
    """'12 June is a public holiday (Russia Day)'."""
    if not skipped:
        return ""
    if len(skipped) > 4:
        moved = "; ".join(
            f"{short_date(d)} {_why_off(d, calendar_, ru=False)}"
            for d in _moved_days(skipped, calendar_)
        )
        return f"{len(skipped)} weekdays in between are public holidays or days off" + (
            f" ({moved})" if moved else ""
        )
    return "; ".join(f"{short_date(d)} {_why_off(d, calendar_, ru=False)}" for d in skipped)


def _moved_days(skipped: tuple[date, ...], calendar_: WorkCalendar) -> list[date]:
    """The skipped days a long list should still name: a decree's, a correction's, a move's."""
    moved = []
    for day in skipped:
        decree = calendar_.decree_for(day.year) if calendar_.follows_the_law(day.year) else None
        statutory = statutory_days_off(day.year) if calendar_.follows_the_law(day.year) else {}
        if (
            day in calendar_.overrides
            or (decree and decree.says(day) is False)
            or statutory.get(day, day) != day
        ):
            moved.append(day)
    return moved


def describe_provisional(years: tuple[int, ...]) -> str:
    listed = ", ".join(str(y) for y in years)
    return (
        f"provisional calendar: no decree on days off for {listed} is loaded yet, so only "
        "Labour Code art. 112 transfers are counted"
    )


def describe_provisional_ru(years: tuple[int, ...]) -> str:
    listed = ", ".join(str(y) for y in years)
    return (
        f"предварительный календарь: постановление о переносе выходных на {listed} г. ещё не "
        "загружено, учтены только переносы по ст. 112 ТК РФ"
    )
