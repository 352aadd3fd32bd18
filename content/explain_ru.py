"""The Russian explanation of a deadline, told from the same steps as the English one (engine)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from content import calendars

# How a Russian explanation names each date fact (genitive, after "после"/"до").
FACT_LABELS_RU = {
    "arrival_date": "прибытия",
    "patent_issue_date": "выдачи патента",
    "patent_paid_through": "последнего оплаченного дня патента",
    "ban_start_date": "начала запрета",
    "employment_end_date": "потери работы",
    "contract_start_date": "заключения договора",
    "passport_held_since": "изъятия паспорта",
    "detention_date": "задержания",
    "wage_period_start": "начала неоплаченного периода",
    "wage_period_end": "конца неоплаченного периода",
    "wage_due_date": "дня выплаты зарплаты",
    "hotel_checkin_date": "заселения в гостиницу",
    "expulsion_date": "выдворения или депортации",
    "ban_decision_learned_date": "того, как вы узнали о решении о запрете",
    "expulsion_order_date": "получения постановления о выдворении",
    "migration_card_lost_date": "утери миграционной карты",
    "breach_learned_date": "того, как вы узнали о нарушении",
    "dismissal_date": "получения приказа об увольнении",
    "kts_application_date": "обращения в КТС",
    "kts_decision_date": "получения решения КТС",
    "exam_certificate_date": "выдачи сертификата",
    "medical_expiry_date": "окончания срока медицинских справок",
    "planned_entry_date": "планируемого въезда",
    "work_permit_issue_date": "выдачи разрешения на работу",
    "trp_issue_date": "выдачи РВП",
    "stay_shortened_date": "решения о сокращении срока пребывания",
    "residence_permit_annulled_date": "аннулирования РВП или вида на жительство",
    "contract_end_date": "окончания срока договора",
    "stay_entry_date": "въезда",
    "address_arrival_date": "прибытия по адресу",
    "address_entry_date": "въезда",
    "self_exit_order_date": (
        "вступления в силу постановления о контролируемом самостоятельном выезде"
    ),
}
UNITS_RU = {
    "calendar_days": ("календарный день", "календарных дня", "календарных дней"),
    "working_days": ("рабочий день", "рабочих дня", "рабочих дней"),
    "months": ("месяц", "месяца", "месяцев"),
    "years": ("год", "года", "лет"),
}
CLAMPED_RU = "в месяце меньше дней, поэтому последний день месяца"


class Step(NamedTuple):
    """One step of a deadline's arithmetic: `amount` `unit`s, landing on `result`."""

    amount: int
    unit: str
    result: calendars.Result
    notes: list[str]  # days skipped, a shorter month


def quantity_ru(amount: int, unit: str) -> str:
    n = abs(amount)
    one, few, many = UNITS_RU.get(unit, (unit, unit, unit))
    if n % 10 == 1 and n % 100 != 11:
        word = one
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        word = few
    else:
        word = many
    return f"{n} {word}"


def monthly_ru(
    basis_fact: str,
    basis: date,
    amount: int,
    result: calendars.Result,
    index: int,
    occurrences: int,
    *,
    then: tuple[int, str] = (0, ""),
) -> str:
    """E.g. "Ежемесячно с выдачи патента 3 марта 2026, платёж 2, за 1 календарный день до
    этого → 2 мая 2026"."""
    label = FACT_LABELS_RU.get(basis_fact, basis_fact)
    limit = f" из {occurrences}" if occurrences else ""
    every = "Ежемесячно" if max(amount, 1) == 1 else f"Каждые {quantity_ru(amount, 'months')}"
    text = f"{every} с {label} {calendars.human_date_ru(basis)}, платёж {index}{limit}"
    then_amount, then_unit = then
    if then_unit:
        text += (
            f", за {quantity_ru(then_amount, then_unit)} до этого"
            if then_amount < 0
            else f", через {quantity_ru(then_amount, then_unit)} после этого"
        )
    return _finish(text, [CLAMPED_RU] if result.clamped else [], result.due)


def stepped_ru(basis_fact: str, basis: date, steps: list[Step]) -> str:
    """E.g. "7 рабочих дней после прибытия 3 марта 2026 → 12 марта 2026" (one or two steps)."""
    label = FACT_LABELS_RU.get(basis_fact, basis_fact)
    first = steps[0]
    if first.amount >= 0:
        text = f"{quantity_ru(first.amount, first.unit)} после {label} "
    else:
        text = f"за {quantity_ru(first.amount, first.unit)} до {label} "
    text += calendars.human_date_ru(basis)
    notes = list(first.notes)
    if len(steps) > 1:
        then = steps[1]
        relation = "после этого" if then.amount >= 0 else "до этого"
        prefix = "через" if then.amount >= 0 else "за"
        text += (
            f" — это {calendars.human_date_ru(first.result.due)}; "
            f"{prefix} {quantity_ru(then.amount, then.unit)} {relation}"
        )
        notes += then.notes
    return _finish(text, notes, steps[-1].result.due)


def notes_ru(result: calendars.Result, calendar_: calendars.WorkCalendar) -> list[str]:
    notes: list[str] = []
    if result.skipped:
        notes.append(calendars.describe_skipped_ru(result.skipped, calendar_))
    if result.clamped:
        notes.append(CLAMPED_RU)
    return notes


def _finish(text: str, notes: list[str], due: date) -> str:
    notes = [n for n in notes if n]
    if notes:
        text += "; " + "; ".join(notes)
    return f"{text} → {calendars.human_date_ru(due)}"
