"""Days of stay and the visa-free limits, counted from a migrant's recorded entries and exits.

Pure functions (no ORM, no clock): a stay is `(entry, exit)`, `exit` None while the person is
still in Russia.

How days are counted: both the day of entry and the day of exit are days of stay (an entry on
26 September has its 90th day on 24 December), as the MVD and the practice count the "90 суток"
of Federal Law No. 115-FZ of 25.07.2002, art. 5, p. 1. The rules carry this reading in their
notes for a lawyer to confirm.

- Visa-free citizens (115-FZ art. 5 p. 1 as amended by Federal Law No. 260-FZ of 08.08.2024):
  no more than 90 days in a row and 90 days in total per calendar year. A stay crossing 31
  December counts its days in each year separately.
- EAEU citizens without a contract: 90 days in any 180 (Treaty on the EAEU of 29.05.2014,
  art. 97 p. 5); with a contract, its term (a separate rule counts from the contract's end).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from content.calendars import human_date, human_date_ru

Stay = tuple[date, date | None]  # entry, exit (None: still in Russia)
LIMIT_DAYS = 90
WINDOW_DAYS = 180


def _span(stay: Stay, until: date) -> tuple[date, date]:
    entry, exit_ = stay
    return entry, min(exit_ or until, until)


def days_between(first: date, last: date) -> int:
    """Days from `first` to `last`, both counted (0 if `last` is before `first`)."""
    return max((last - first).days + 1, 0)


def days_in_period(stays: Iterable[Stay], start: date, end: date, *, today: date) -> int:
    """Days of stay within [start, end]; an open stay runs to `today`."""
    total = 0
    for stay in stays:
        entry, last = _span(stay, today)
        total += days_between(max(entry, start), min(last, end))
    return total


def days_in_year(stays: Iterable[Stay], year: int, *, today: date) -> int:
    """Days of stay in a calendar year (a stay crossing 31 December counts in each year)."""
    return days_in_period(stays, date(year, 1, 1), date(year, 12, 31), today=today)


def current_stay(stays: Iterable[Stay]) -> Stay | None:
    """The stay the person is in now: the latest, if no exit is recorded for it."""
    ordered = sorted(stays)
    if not ordered or ordered[-1][1] is not None:
        return None
    return ordered[-1]


def overlapping(stays: Iterable[Stay]) -> tuple[Stay, Stay] | None:
    """The first two stays that share a day, if any (a person is in Russia once at a time)."""
    ordered = sorted(stays)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier[1] is None or later[0] <= earlier[1]:
            return earlier, later
    return None


def entry_before(stays: Iterable[Stay], day: date, *, arrival: date | None = None) -> date | None:
    """The entry of the stay a day falls in: the latest recorded entry on or before it, else
    the case's single arrival date if that is on or before it."""
    entries = [entry for entry, _exit in stays if entry <= day]
    if entries:
        return max(entries)
    return arrival if arrival and arrival <= day else None


def address_facts(
    stays: Iterable[Stay], addresses: Iterable[Stay], *, arrival: date | None = None
) -> list[dict[str, object]]:
    """Per recorded address (arrival, end), the facts its own deadlines read: its arrival, the
    entry before it and whether it is the first address after that entry."""
    stays = list(stays)
    per_address = []
    seen_entries: set[date | None] = set()
    for arrived, _left in sorted(addresses):
        entry = entry_before(stays, arrived, arrival=arrival)
        per_address.append(
            {
                "address_arrival_date": arrived,
                "address_entry_date": entry,
                "first_address_of_stay": entry not in seen_entries,
            }
        )
        seen_entries.add(entry)
    return per_address


@dataclass(frozen=True)
class YearlyLimit:
    """The leave-by date of a visa-free stay and how it was reached."""

    entry: date
    year: int  # the calendar year of the entry
    used_before: int  # days of earlier stays in that year
    left: int  # days left in that year on entering (0 or more)
    limit: int  # days allowed per year and in a row (90)
    in_a_row_end: date  # the 90th day in a row from the entry
    yearly_end: date  # the day the year's days run out, counted on past 31 December
    leave_by: date
    # Counting on past 31 December is the safer reading; if the count restarts on 1 January
    # the stay could last to `in_a_row_end`. Set when the two differ.
    crosses_new_year: bool


def visa_free_leave_by(stays: Iterable[Stay], entry: date, limit: int = LIMIT_DAYS) -> YearlyLimit:
    """The last day a visa-free citizen who entered on `entry` may stay without another basis:
    min(entry + 89 days [90 in a row, the entry day included], the day the year's 90 run out).

    If the year's days would run out after 31 December, the days after 1 January belong to the
    new year and the limit may move forward at New Year; the earlier date is kept (the safer
    reading) and `crosses_new_year` says so, for a lawyer to confirm.
    """
    earlier = [s for s in stays if s[0] < entry]
    year = entry.year
    used = days_in_year(earlier, year, today=entry - timedelta(days=1))
    left = max(limit - used, 0)
    in_a_row_end = entry + timedelta(days=limit - 1)
    # With no day left the entry day itself is already over the limit: leave on it.
    yearly_end = entry + timedelta(days=max(left, 1) - 1)
    leave_by = min(in_a_row_end, yearly_end)
    return YearlyLimit(
        entry=entry,
        year=year,
        used_before=used,
        left=left,
        limit=limit,
        in_a_row_end=in_a_row_end,
        yearly_end=yearly_end,
        leave_by=leave_by,
        crosses_new_year=yearly_end.year > year and yearly_end < in_a_row_end,
    )


@dataclass(frozen=True)
class WindowLimit:
    """The leave-by date under "90 days in any 180" and how it was reached."""

    entry: date
    used_before: int  # days of earlier stays in the 180 days up to the entry
    leave_by: date
    limit: int = LIMIT_DAYS
    window: int = WINDOW_DAYS


def window_leave_by(
    stays: Iterable[Stay], entry: date, limit: int = LIMIT_DAYS, window_days: int = WINDOW_DAYS
) -> WindowLimit:
    """The last day of a stay from `entry` such that no 180-day window holds more than 90 days
    of stay (the entry and exit days included)."""
    earlier = [s for s in stays if s[0] < entry]
    yesterday = entry - timedelta(days=1)
    window = timedelta(days=window_days - 1)
    used_before = days_in_period(earlier, entry - window, yesterday, today=yesterday)
    day = entry
    # Each day of the current stay adds one; earlier days drop out as the window moves on.
    while True:
        used = days_in_period(earlier, day - window, yesterday, today=yesterday)
        if used + days_between(entry, day) > limit:
            break
        day += timedelta(days=1)
    return WindowLimit(
        entry=entry,
        used_before=used_before,
        leave_by=max(day - timedelta(days=1), entry),
        limit=limit,
        window=window_days,
    )


# --- How the date was reached, in English and Russian (the deadline's explanation) -----------

COUNTED = "Days of stay are counted with the days of entry and exit included. "
COUNTED_RU = "Дни пребывания считаются включительно, с днями въезда и выезда. "


def _days_ru(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} день"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} дня"
    return f"{n} дней"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def explain_yearly(limit: YearlyLimit) -> tuple[str, str]:
    """E.g. "60 days already used in 2026 → 30 left → leave by 30 December 2026"."""
    entry, entry_ru = human_date(limit.entry), human_date_ru(limit.entry)
    row, row_ru = human_date(limit.in_a_row_end), human_date_ru(limit.in_a_row_end)
    due, due_ru = human_date(limit.leave_by), human_date_ru(limit.leave_by)
    if limit.used_before == 0:
        en = f"Entry on {entry}, no earlier days of stay in {limit.year}"
        ru = f"Въезд {entry_ru}, ранее в {limit.year} году дней пребывания не было"
    else:
        en = (
            f"{_days(limit.used_before)} already used in {limit.year} before the entry on "
            f"{entry} → {_days(limit.left)} left"
        )
        ru = (
            f"В {limit.year} году до въезда {entry_ru} уже использовано "
            f"{_days_ru(limit.used_before)} → осталось {_days_ru(limit.left)}"
        )
    if limit.left == 0:
        en += f" → the {limit.limit} days of {limit.year} are used up: leave on {due}"
        ru += f" → {limit.limit} дней {limit.year} года исчерпаны: выехать {due_ru}"
        return COUNTED + en, COUNTED_RU + ru
    en += f"; {limit.limit} days in a row from the entry end on {row}"
    ru += f"; {limit.limit} дней подряд с въезда заканчиваются {row_ru}"
    if limit.crosses_new_year:
        en += (
            f"; the days left run out on {due}, after 31 December: if the count starts again on"
            f" 1 January the stay could last to {row}, but until a lawyer confirms the earlier"
            " date is kept"
        )
        ru += (
            f"; оставшиеся дни заканчиваются {due_ru}, уже после 31 декабря: если счёт с 1 января"
            f" начинается заново, можно остаться до {row_ru}, но до проверки юристом взята"
            " более ранняя дата"
        )
    return COUNTED + en + f" → leave by {due}", COUNTED_RU + ru + f" → выехать не позднее {due_ru}"


def explain_window(limit: WindowLimit) -> tuple[str, str]:
    """E.g. "30 days in the country in the 180 days before the entry on … → leave by …"."""
    entry, entry_ru = human_date(limit.entry), human_date_ru(limit.entry)
    due, due_ru = human_date(limit.leave_by), human_date_ru(limit.leave_by)
    en = (
        f"{_days(limit.used_before)} of stay in the {limit.window} days before the entry on "
        f"{entry}; no {limit.window}-day period may hold more than {limit.limit} → leave by {due}"
    )
    ru = (
        f"{_days_ru(limit.used_before)} пребывания за {limit.window} дней до въезда {entry_ru}; "
        f"в любые {limit.window} дней — не более {limit.limit} → выехать не позднее {due_ru}"
    )
    return COUNTED + en, COUNTED_RU + ru
