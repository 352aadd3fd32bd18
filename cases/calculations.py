"""A case's calculations: compensation for late wages, the limitation date and the ban's end,
from the case's facts and the key-rate table (the arithmetic is content.calculators).

The case page's "Calculations" panel, the API and (later) the claim letters read `for_case`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import field_access
from cases.models import Case
from content import calculators, calendars, keyratedata, rulesets

WAGE_PROBLEM = Case.ProblemType.UNPAID_WAGES
BAN_PROBLEM = Case.ProblemType.REENTRY_BAN

# calculators.CalculationError codes (and this module's own) as the reader is told them.
ERROR_MESSAGES = {
    "no_rate": _("No key rate is recorded for the first day of the delay: add it under Key rates."),
    "not_positive": _("The amount owed must be more than zero."),
    "duplicate_rate": _("The key-rate table has two rates from one day: correct it."),
    "ban_years": _("A ban lasts at least one year."),
    "out_of_range": _("The dates are outside the range the calculator knows."),
    "not_roubles": _("Compensation is counted on an amount in roubles."),
}

# What a ban's start date is, per basis (content.calculators.BAN_BASES), as the reader is told.
BAN_COUNTS_FROM = {
    "overstay_exit": _("The ban counts from the day of leaving Russia."),
    "overstay_long": _("The ban counts from the day of leaving Russia."),
    "offences": _("The ban counts from the day the last decision on an offence took effect."),
    "expulsion": _("The ban counts from the day of expulsion or deportation."),
    "other": _("The ban counts from the date stated in the ban decision."),
}


@dataclass(frozen=True)
class WageCalculation:
    principal: Decimal | None
    currency: str
    period_start: date | None
    period_end: date | None
    due_date: date | None
    paid_on: date | None  # recorded payment day; None: counted to the calculation day
    counted_to: date
    compensation: calculators.Compensation | None
    limitation_date: date | None
    limitation_file_by: date | None  # the last day is a day off: the working day before
    # No due date recorded: the limitation is counted from the end of the unpaid period, the
    # cautious reading the `wages.court_limit_from_period` deadline rule takes.
    limitation_from_period_end: bool
    missing: tuple[str, ...]  # what to record before compensation can be counted
    error: str = ""  # an ERROR_MESSAGES code, e.g. no key rate for the first day of the delay

    @property
    def error_message(self) -> str:
        return str(ERROR_MESSAGES.get(self.error, "")) if self.error else ""

    @property
    def total_claim(self) -> Decimal | None:
        return self.compensation.total_with_principal if self.compensation else None


@dataclass(frozen=True)
class BanCalculation:
    term: calculators.BanTerm | None
    basis_code: str
    missing: tuple[str, ...]

    @property
    def counts_from(self) -> str:
        return str(BAN_COUNTS_FROM.get(self.basis_code, ""))


@dataclass(frozen=True)
class CaseCalculations:
    calculated_on: date
    wages: WageCalculation | None
    ban: BanCalculation | None


def _date_fact(extra: dict[str, Any], name: str) -> date | None:
    value = extra.get(name)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def work_calendar(country: str) -> calendars.WorkCalendar:
    """The working days the deadlines are counted by (the loaded decrees and overrides)."""
    ruleset = rulesets.ruleset_from_db(country=country)
    return calendars.WorkCalendar(
        country=country,
        overrides=dict(ruleset.calendar_overrides),
        decrees=ruleset.calendar_decrees,
    )


def wage_calculation(
    values: dict[str, Any],
    *,
    today: date,
    rates: tuple[calculators.KeyRate, ...],
    calendar_: calendars.WorkCalendar = calendars.DEFAULT,
) -> WageCalculation:
    """`values`: the case's fields (Case.extra_facts under "extra_facts")."""
    extra = values.get("extra_facts") if isinstance(values.get("extra_facts"), dict) else {}
    principal = values.get("amount_owed")
    currency = values.get("currency") or "RUB"
    due = _date_fact(extra, "wage_due_date")
    paid_on = _date_fact(extra, "wage_paid_date")
    counted_to = paid_on or today
    missing = []
    if principal is None:
        missing.append("amount_owed")
    if due is None:
        missing.append("wage_due_date")
    compensation, error = None, ""
    if currency != "RUB":
        error = "not_roubles"
    elif not missing:
        try:
            compensation = calculators.late_pay_compensation(
                Decimal(principal), due_date=due, paid_on=counted_to, rates=rates
            )
        except calculators.CalculationError as exc:
            error = exc.code
    period_end = values.get("wage_period_end")
    limitation_basis = due or period_end
    limitation = (
        calculators.wage_limitation(limitation_basis, calendar_) if limitation_basis else None
    )
    return WageCalculation(
        principal=principal,
        currency=currency,
        period_start=values.get("wage_period_start"),
        period_end=period_end,
        due_date=due,
        paid_on=paid_on,
        counted_to=counted_to,
        compensation=compensation,
        limitation_date=limitation.last_day if limitation else None,
        limitation_file_by=limitation.file_by if limitation else None,
        limitation_from_period_end=due is None and period_end is not None,
        missing=tuple(missing),
        error=error,
    )


def ban_calculation(values: dict[str, Any]) -> BanCalculation:
    extra = values.get("extra_facts") if isinstance(values.get("extra_facts"), dict) else {}
    start, years = values.get("ban_start_date"), values.get("ban_duration_years")
    basis = extra.get("ban_basis") if isinstance(extra.get("ban_basis"), str) else ""
    missing = tuple(
        name
        for name, value in (("ban_start_date", start), ("ban_duration_years", years))
        if not value
    )
    term = None
    if not missing:
        try:
            term = calculators.ban_term(start, int(years), basis)
        except calculators.CalculationError:
            term = None  # a start outside the plausible range: the form already refuses it
    return BanCalculation(term=term, basis_code=basis, missing=missing)


def for_case(case: Case, *, user, today: date | None = None) -> CaseCalculations | None:
    """The calculations for a wage or ban case, from the facts this user may see; None when the
    case has neither problem (or its details are hidden from this user)."""
    problems = set(case.problem_types)
    if not problems & {WAGE_PROBLEM, BAN_PROBLEM}:
        return None
    visible = field_access.safe_case_view(user, case)
    if visible["hidden_fields"]:
        return None
    today = today or timezone.localdate()
    return CaseCalculations(
        calculated_on=today,
        wages=(
            wage_calculation(
                visible,
                today=today,
                rates=keyratedata.rates_from_db(),
                calendar_=work_calendar(case.country_of_stay or "RU"),
            )
            if WAGE_PROBLEM in problems
            else None
        ),
        ban=ban_calculation(visible) if BAN_PROBLEM in problems else None,
    )


def calculator_query(calculations: CaseCalculations) -> str:
    """The standalone calculator's query string, filled from the case (the panel's link)."""
    params: dict[str, str] = {}
    wages, ban = calculations.wages, calculations.ban
    if wages and wages.principal is not None and wages.currency == "RUB":
        params["amount"] = str(wages.principal)
    if wages and wages.due_date:
        params["due_date"] = wages.due_date.isoformat()
    if wages and wages.paid_on:
        params["paid_on"] = wages.paid_on.isoformat()
    if ban and ban.term:
        params |= {"ban_start": ban.term.start.isoformat(), "ban_years": str(ban.term.years)}
        if ban.basis_code in calculators.BAN_BASES:
            params["ban_basis"] = ban.basis_code
    return "?" + urlencode(params) if params else ""
