"""Days of stay and the visa-free limits (content.stays), and the engine counting them from the
recorded entries, exits and addresses with the shipped rules."""

from __future__ import annotations

from datetime import date

from content import calendardata, engine, rulesdata, stays
from content.engine import Facts
from tests.content import factories

RULESET = rulesdata.to_ruleset(
    rulesdata.read_dir(), decrees=factories.decrees_from_files(calendardata.read_dir())
)
# 1 March to 29 April 2026, both days counted: 31 days of March + 29 of April = 60 days.
SIXTY_DAYS_IN_2026 = (date(2026, 3, 1), date(2026, 4, 29))


def plan(citizenship, *, on, stays_=(), addresses=(), arrival=None, **extra):
    facts = Facts(
        problem_type="registration",
        citizenship=citizenship,
        arrival_date=arrival,
        extra=extra,
        stays=tuple(stays_),
        addresses=tuple(addresses),
    )
    return engine.plan(facts, RULESET, on=on)


def by_key(p):
    return {d.key: d for d in p.deadlines}


# --- Counting days -----------------------------------------------------------------------------
def test_entry_and_exit_days_both_count():
    assert stays.days_in_year([SIXTY_DAYS_IN_2026], 2026, today=date(2026, 12, 1)) == 60
    assert stays.days_in_year([(date(2026, 5, 5), date(2026, 5, 5))], 2026, today=date(2026, 6, 1))
    assert stays.days_between(date(2026, 5, 5), date(2026, 5, 5)) == 1


def test_a_stay_crossing_new_year_counts_in_each_year():
    stay = (date(2025, 12, 20), date(2026, 1, 10))
    assert stays.days_in_year([stay], 2025, today=date(2026, 3, 1)) == 12  # 20–31 December
    assert stays.days_in_year([stay], 2026, today=date(2026, 3, 1)) == 10  # 1–10 January


def test_an_open_stay_counts_up_to_today():
    assert stays.days_in_year([(date(2026, 11, 1), None)], 2026, today=date(2026, 11, 30)) == 30


def test_overlapping_stays_are_found():
    assert stays.overlapping([(date(2026, 1, 1), date(2026, 1, 10))]) is None
    assert stays.overlapping(
        [(date(2026, 1, 1), date(2026, 1, 10)), (date(2026, 1, 10), None)]
    ) == ((date(2026, 1, 1), date(2026, 1, 10)), (date(2026, 1, 10), None))
    assert stays.overlapping([(date(2026, 1, 1), None), (date(2026, 2, 1), None)])


# --- The Done-when story: a Tajik with 60 days in 2026 enters again on 1 December 2026 -------
def test_tajik_with_sixty_days_used_entering_on_1_december_leaves_by_30_december():
    # 115-FZ art. 5 p. 1 (as amended by 260-FZ of 08.08.2024): 90 days per calendar year and
    # 90 in a row. 60 days were spent in 2026, so 30 are left; counting the entry day as the
    # first, the 30th day is 1 December + 29 days = 30 December 2026. 90 days in a row would run
    # to 28 February 2027, later, so the yearly total decides.
    limit = stays.visa_free_leave_by([SIXTY_DAYS_IN_2026], date(2026, 12, 1))
    assert (limit.used_before, limit.left) == (60, 30)
    assert limit.in_a_row_end == date(2027, 2, 28)
    assert limit.leave_by == date(2026, 12, 30)
    assert not limit.crosses_new_year

    p = plan(
        "TJ",
        on=date(2026, 12, 3),
        stays_=[SIXTY_DAYS_IN_2026, (date(2026, 12, 1), None)],
        arrival=date(2026, 12, 1),
    )
    stay = by_key(p)["stay.visa_free_limit"]
    assert stay.rule_key == "stay.yearly_limit"
    assert stay.due == date(2026, 12, 30)
    assert "60 days already used in 2026" in stay.explanation
    assert "30 days left" in stay.explanation
    assert stay.explanation.endswith("leave by 30 December 2026")
    assert "entry and exit included" in stay.explanation
    assert "осталось 30 дней" in dict(stay.explanations)["ru"]
    assert "No. 260-FZ" in stay.source


def test_without_earlier_stays_ninety_days_in_a_row_decide():
    # 1 March + 89 days = 29 May 2026: the 90th day counting 1 March as the first.
    limit = stays.visa_free_leave_by([], date(2026, 3, 1))
    assert limit.leave_by == limit.in_a_row_end == date(2026, 5, 29)
    p = plan("TJ", on=date(2026, 3, 2), stays_=[(date(2026, 3, 1), None)])
    assert by_key(p)["stay.visa_free_limit"].due == date(2026, 5, 29)


def test_the_year_used_up_means_leaving_on_the_entry_day():
    full_year = (date(2026, 1, 1), date(2026, 3, 31))  # 90 days
    limit = stays.visa_free_leave_by([full_year], date(2026, 6, 1))
    assert (limit.left, limit.leave_by) == (0, date(2026, 6, 1))


def test_a_stay_crossing_into_2027_keeps_the_earlier_date_and_says_why():
    # 80 days used in 2026 (1 June–19 August), entry on 25 December 2026: 10 days left, the 10th
    # is 3 January 2027. The days after 1 January belong to 2027's count, so the limit might move
    # on to 24 March 2027 (90 in a row); the safer, earlier date is kept and flagged.
    used = (date(2026, 6, 1), date(2026, 8, 19))
    limit = stays.visa_free_leave_by([used], date(2026, 12, 25))
    assert (limit.used_before, limit.left) == (80, 10)
    assert limit.leave_by == date(2027, 1, 3)
    assert limit.in_a_row_end == date(2027, 3, 24)
    assert limit.crosses_new_year
    open_stay = (date(2026, 12, 25), None)
    assert stays.days_in_year([used, open_stay], 2026, today=date(2027, 1, 2)) == 87
    assert stays.days_in_year([used, open_stay], 2027, today=date(2027, 1, 2)) == 2

    p = plan("UZ", on=date(2026, 12, 26), stays_=[used, open_stay])
    stay = by_key(p)["stay.visa_free_limit"]
    assert stay.due == date(2027, 1, 3)
    assert "could last to 24 March 2027" in stay.explanation
    assert "earlier date is kept" in stay.explanation
    note = next(s.note for s in RULESET.deadlines if s.key == "stay.yearly_limit")
    assert "31 December" in note and "lawyer" in note


def test_a_patent_holder_gets_no_visa_free_limit():
    p = plan(
        "TJ",
        on=date(2026, 12, 3),
        stays_=[SIXTY_DAYS_IN_2026, (date(2026, 12, 1), None)],
        patent_issue_date=date(2026, 12, 2),
    )
    assert "stay.visa_free_limit" not in by_key(p)


def test_after_the_last_exit_no_stay_limit_remains():
    p = plan("TJ", on=date(2026, 6, 1), stays_=[SIXTY_DAYS_IN_2026], arrival=date(2026, 3, 1))
    assert "stay.visa_free_limit" not in by_key(p)  # the arrival-date rule is superseded too


# --- EAEU: 90 days in any 180 without a contract, the contract's term with one ----------------
def test_eaeu_ninety_in_any_180():
    # 60 days (1 March–29 April 2026), entry on 10 May 2026: every 180-day window up to 9 June
    # still holds the 60 earlier days, so the 90th day is 10 May + 29 = 8 June 2026.
    window = stays.window_leave_by([SIXTY_DAYS_IN_2026], date(2026, 5, 10))
    assert (window.used_before, window.leave_by) == (60, date(2026, 6, 8))
    p = plan("KG", on=date(2026, 5, 11), stays_=[SIXTY_DAYS_IN_2026, (date(2026, 5, 10), None)])
    stay = by_key(p)["stay.eaeu_limit"]
    assert (stay.rule_key, stay.due) == ("stay.eaeu_90_in_180", date(2026, 6, 8))
    assert "60 days of stay in the 180 days before the entry" in stay.explanation
    assert "art. 97" in stay.source


def test_eaeu_earlier_days_drop_out_of_the_window():
    # A stay that ended more than 180 days before the new one no longer counts.
    old = (date(2025, 6, 1), date(2025, 8, 29))
    assert stays.window_leave_by([old], date(2026, 5, 10)).leave_by == date(2026, 8, 7)


def test_eaeu_without_records_counts_ninety_days_from_arrival():
    p = plan("KZ", on=date(2026, 3, 2), arrival=date(2026, 3, 1))
    stay = by_key(p)["stay.eaeu_limit"]
    assert (stay.rule_key, stay.due) == ("stay.eaeu_limit", date(2026, 5, 29))


def test_eaeu_worker_with_a_contract_stays_for_its_term():
    p = plan(
        "AM",
        on=date(2026, 3, 2),
        stays_=[(date(2026, 3, 1), None)],
        contract_end_date=date(2026, 12, 31),
    )
    planned = by_key(p)
    assert "stay.eaeu_limit" not in planned
    assert planned["stay.eaeu_contract"].due == date(2026, 12, 31)


def test_tajiks_are_not_eaeu():
    p = plan("TJ", on=date(2026, 3, 2), stays_=[(date(2026, 3, 1), None)])
    assert "stay.eaeu_limit" not in by_key(p)


# --- Re-registration: one deadline per address ------------------------------------------------
def test_a_move_gives_a_second_registration_deadline():
    # Azerbaijan: 7 working days from each arrival at an address (109-FZ art. 20 p. 3).
    p = plan(
        "AZ",
        on=date(2026, 3, 2),
        stays_=[(date(2026, 3, 2), None)],
        addresses=[(date(2026, 3, 2), date(2026, 4, 6)), (date(2026, 4, 6), None)],
    )
    planned = by_key(p)
    assert "registration" not in planned  # the arrival-date rule gives way to the addresses
    first, second = planned["registration@2026-03-02"], planned["registration@2026-04-06"]
    assert first.rule_key == second.rule_key == "registration.address_general"
    assert first.due == date(2026, 3, 12)  # 9 March is a holiday (Decree No. 1466)
    assert second.due == date(2026, 4, 15)
    assert "7 working days after arrival at the address on 6 April 2026" in second.explanation


def test_tajik_first_address_has_15_days_from_entry_a_move_has_7_working_days():
    p = plan(
        "TJ",
        on=date(2026, 3, 2),
        stays_=[(date(2026, 3, 2), None)],
        addresses=[(date(2026, 3, 3), date(2026, 3, 20)), (date(2026, 3, 20), None)],
    )
    planned = by_key(p)
    first, move = planned["registration@2026-03-03"], planned["registration@2026-03-20"]
    assert (first.rule_key, first.due) == ("registration.address_treaty_15_days", date(2026, 3, 17))
    assert "for the address arrived at on 3 March 2026" in first.explanation
    assert (move.rule_key, move.due) == ("registration.address_general", date(2026, 3, 31))


def test_a_new_entry_gives_the_first_address_the_treaty_period_again():
    p = plan(
        "UZ",
        on=date(2026, 9, 2),
        stays_=[(date(2026, 3, 2), date(2026, 5, 1)), (date(2026, 9, 1), None)],
        addresses=[(date(2026, 3, 2), date(2026, 5, 1)), (date(2026, 9, 1), None)],
    )
    again = by_key(p)["registration@2026-09-01"]
    assert (again.rule_key, again.due) == ("registration.address_treaty_15_days", date(2026, 9, 16))


def test_eaeu_first_address_30_days_a_move_7_working_days():
    p = plan(
        "KG",
        on=date(2026, 3, 2),
        stays_=[(date(2026, 3, 2), None)],
        addresses=[(date(2026, 3, 2), date(2026, 3, 10)), (date(2026, 3, 10), None)],
    )
    planned = by_key(p)
    assert planned["registration@2026-03-02"].rule_key == "registration.address_eaeu"
    assert planned["registration@2026-03-02"].due == date(2026, 4, 1)
    assert planned["registration@2026-03-10"].rule_key == "registration.address_eaeu_move"
    assert planned["registration@2026-03-10"].due == date(2026, 3, 19)
