"""Wage and ban arithmetic: compensation for late pay, the limitation date, a ban's end.

Pure functions (no ORM, no clock): the key-rate table and every date are arguments. The loader
of the table is `content.keyratedata`; the case's view of these numbers is `cases.calculations`.

- Labour Code art. 236 p. 1: for late wages the employer pays at least 1/150 of the Bank of
  Russia key rate in force at the time, per day of delay, on the unpaid sum, from the day after
  the due date up to and including the day of actual payment. A period crossing a change of the
  key rate is counted per rate: each segment is rounded half-up to kopecks, the total is the sum
  of the rounded segments (so the lines of a claim letter add up).
- Labour Code art. 392 p. 2: unpaid wages may be claimed in court within 1 year of the due date.
- A re-entry ban of N years from its start ends on the same day and month N years later (Civil
  Code art. 191-192: the term runs from the next day and ends on the corresponding date; in a
  shorter month, on its last day). Entry is lawful from the next day. The same arithmetic as the
  `ban.end` deadline rule: both use `calendars.add_years`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext

from content import calendars

KOPECK = Decimal("0.01")
# Labour Code art. 236 p. 1: "не ниже одной сто пятидесятой действующей в это время ключевой
# ставки Центрального банка Российской Федерации".
SHARE_OF_KEY_RATE = 150
LIMITATION_YEARS = 1  # Labour Code art. 392 p. 2

COMPENSATION_BASIS = "Трудовой кодекс РФ, ст. 236, ч. 1"
COMPENSATION_BASIS_EN = "Labour Code of the Russian Federation, art. 236 p. 1"
LIMITATION_BASIS = "Трудовой кодекс РФ, ст. 392, ч. 2"
LIMITATION_BASIS_EN = "Labour Code of the Russian Federation, art. 392 p. 2"
BAN_TERM_BASIS_EN = "Civil Code of the Russian Federation, arts. 191, 192 (how a term is counted)"


class CalculationError(ValueError):
    """The inputs cannot give a result. `code` names why, for a face to word it in the reader's
    language: no_rate, not_positive, duplicate_rate, ban_years, out_of_range."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


@dataclass(frozen=True)
class KeyRate:
    """The key rate from `effective_from` until the next row's date (a Bank of Russia decision)."""

    effective_from: date
    rate: Decimal  # percent per annum, e.g. Decimal("16.00")
    decision: str  # e.g. "Решение Совета директоров Банка России от 19.12.2025"
    to_verify: bool = False  # not yet checked against the Bank of Russia's own table


@dataclass(frozen=True)
class Segment:
    """Days of delay at one key rate: `first` to `last` inclusive."""

    first: date
    last: date
    rate: KeyRate
    compensation: Decimal  # rounded half-up to kopecks

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class Compensation:
    principal: Decimal
    due_date: date
    paid_on: date  # the day of payment, or the day the calculation is made for
    segments: tuple[Segment, ...]

    @property
    def days(self) -> int:
        return sum(segment.days for segment in self.segments)

    @property
    def total(self) -> Decimal:
        return sum((segment.compensation for segment in self.segments), Decimal("0.00"))

    @property
    def total_with_principal(self) -> Decimal:
        return self.principal + self.total

    @property
    def to_verify(self) -> bool:
        """A rate used has not been checked against the Bank of Russia's table."""
        return any(segment.rate.to_verify for segment in self.segments)


def round_kopecks(amount: Decimal) -> Decimal:
    return amount.quantize(KOPECK, rounding=ROUND_HALF_UP)


def segment_compensation(principal: Decimal, rate: Decimal, days: int) -> Decimal:
    """principal × rate% × 1/150 × days, rounded half-up to kopecks."""
    with localcontext() as context:
        context.prec = 50  # exact for any amount a DecimalField(12, 2) holds
        exact = principal * rate * days / (100 * SHARE_OF_KEY_RATE)
        return round_kopecks(exact)


def rate_periods(rates: Iterable[KeyRate]) -> tuple[KeyRate, ...]:
    """The table in date order; two rows from one day are an error in the data."""
    ordered = tuple(sorted(rates, key=lambda r: r.effective_from))
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.effective_from == later.effective_from:
            raise CalculationError(
                "duplicate_rate", f"two key rates from {later.effective_from.isoformat()}"
            )
    return ordered


def late_pay_compensation(
    principal: Decimal, *, due_date: date, paid_on: date, rates: Iterable[KeyRate]
) -> Compensation:
    """Labour Code art. 236: the compensation owed on `principal` due on `due_date` and paid
    (or counted up to) `paid_on`, split at each change of the key rate."""
    if principal <= 0:
        raise CalculationError("not_positive", "the amount owed must be more than zero")
    table = rate_periods(rates)
    first_day, last_day = due_date + timedelta(days=1), paid_on
    if last_day < first_day:  # paid on time (or before): no delay, no compensation
        return Compensation(principal, due_date, paid_on, segments=())
    if not table or table[0].effective_from > first_day:
        raise CalculationError("no_rate", f"no key rate is recorded for {first_day.isoformat()}")
    segments = []
    for index, period in enumerate(table):
        following = table[index + 1].effective_from if index + 1 < len(table) else None
        start = max(period.effective_from, first_day)
        end = min(following - timedelta(days=1), last_day) if following else last_day
        if start > end:
            continue
        days = (end - start).days + 1
        compensation = segment_compensation(principal, period.rate, days)
        segments.append(Segment(first=start, last=end, rate=period, compensation=compensation))
    return Compensation(principal, due_date, paid_on, segments=tuple(segments))


def amount_ru(amount: Decimal) -> str:
    """85000.5 -> '85 000,50' (a thin space between thousands, a decimal comma)."""
    whole, _, kopecks = f"{round_kopecks(amount):,.2f}".partition(".")
    return whole.replace(",", "\u202f") + "," + kopecks


def compensation_lines_ru(compensation: Compensation) -> tuple[str, ...]:
    """The arithmetic as a Russian claim sets it out: a line per key-rate period, then the total."""
    if not compensation.segments:
        return ("Просрочки нет: компенсация за задержку выплаты не начисляется.",)
    principal = amount_ru(compensation.principal)
    lines = [
        f"{principal} руб. × {amount_ru(s.rate.rate)} % × 1/{SHARE_OF_KEY_RATE} × {s.days} дн. "
        f"(с {s.first:%d.%m.%Y} по {s.last:%d.%m.%Y}) = {amount_ru(s.compensation)} руб."
        for s in compensation.segments
    ]
    lines.append(
        f"Итого компенсация за задержку выплаты ({COMPENSATION_BASIS}) за {compensation.days} дн.: "
        f"{amount_ru(compensation.total)} руб."
    )
    return tuple(lines)


def wage_limitation_date(due_date: date) -> date:
    """Labour Code art. 392 p. 2: the last day to go to court for wages due on `due_date` (the
    same arithmetic as the `wages.court_limit` deadline rule)."""
    return calendars.add_years(due_date, LIMITATION_YEARS).due


@dataclass(frozen=True)
class Limitation:
    last_day: date
    # The last day is a day off: the working day before, to file by (the deadline's reading).
    file_by: date | None


def wage_limitation(
    due_date: date, calendar_: calendars.WorkCalendar = calendars.DEFAULT
) -> Limitation:
    last_day = wage_limitation_date(due_date)
    file_by, _english, _russian = calendars.day_off_warning(last_day, calendar_)
    return Limitation(last_day=last_day, file_by=file_by)


# --- Re-entry bans --------------------------------------------------------------------------


@dataclass(frozen=True)
class BanBasis:
    """Why entry is closed: the provision, how long such a ban usually is, what it counts from."""

    code: str
    citation: str  # the act, article and point, as a letter would cite it
    usual_years: int | None  # None: the decision says (or it depends on the days overstayed)
    counts_from: str  # what the ban's start date is, in English
    verified: bool = True


BAN_BASES: dict[str, BanBasis] = {
    basis.code: basis
    for basis in (
        BanBasis(
            "overstay_exit",
            "Федеральный закон от 15.08.1996 № 114-ФЗ, ст. 26, п. 8",
            3,
            "the day of leaving Russia",
        ),
        BanBasis(
            # The 5/10-year bans for more than 180/270 days; the exact points of art. 27 are
            # still to be checked (CURRENT_LAW BAN-02).
            "overstay_long",
            "Федеральный закон от 15.08.1996 № 114-ФЗ, ст. 27",
            None,
            "the day of leaving Russia",
            verified=False,
        ),
        BanBasis(
            "offences",
            "Федеральный закон от 15.08.1996 № 114-ФЗ, ст. 26, п. 4",
            3,
            "the day the last decision on an offence took effect",
        ),
        BanBasis(
            "expulsion",
            "Федеральный закон от 15.08.1996 № 114-ФЗ, ст. 27, п. 2",
            5,
            "the day of expulsion or deportation",
        ),
        BanBasis("other", "", None, "the date stated in the ban decision", verified=False),
    )
}


@dataclass(frozen=True)
class BanTerm:
    start: date
    years: int
    end: date  # the last day of the ban
    earliest_return: date  # the first day entry is lawful again
    clamped: bool  # started on 29 February: ends on 28 February
    basis: BanBasis | None = None

    @property
    def length_differs(self) -> bool:
        """The recorded length is not the usual one for its basis: worth checking the decision."""
        usual = self.basis.usual_years if self.basis else None
        return usual is not None and usual != self.years


def ban_term(start: date, years: int, basis: str = "") -> BanTerm:
    """The last day of a ban of `years` years from `start` and the first day of lawful entry."""
    if years <= 0:
        raise CalculationError("ban_years", "the ban must last at least one year")
    if not calendars.within_range(start):
        raise CalculationError("out_of_range", "the ban's start date is outside the known dates")
    result = calendars.add_years(start, years)
    if not calendars.within_range(result.due):
        raise CalculationError("out_of_range", "the ban would end outside the known dates")
    return BanTerm(
        start=start,
        years=years,
        end=result.due,
        earliest_return=result.due + timedelta(days=1),
        clamped=result.clamped,
        basis=BAN_BASES.get(basis),
    )
