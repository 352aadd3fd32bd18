"""The engine against the shipped rules (content/rules/*.yaml), without a database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from content import calendardata, engine, rulesdata
from content.engine import Facts
from tests.content import factories

DATA = rulesdata.read_dir()
RULESET = rulesdata.to_ruleset(DATA, decrees=factories.decrees_from_files(calendardata.read_dir()))
ON = date(2026, 3, 1)


def plan(citizenship, problem_type="registration", arrival=None, on=ON, **extra):
    facts = Facts(
        problem_type=problem_type, citizenship=citizenship, arrival_date=arrival, extra=extra
    )
    return engine.plan(facts, RULESET, on=on)


def deadline(p, key):
    matches = [d for d in p.deadlines if d.key == key or d.key.startswith(f"{key}@")]
    assert matches, f"no {key} in {[d.key for d in p.deadlines]}"
    return matches[0]


def item_codes(p):
    return [i.document_code for i in p.items]


# --- Registration windows by citizenship and date (both seeds and today's law) ----------------
@pytest.mark.parametrize(
    ("citizenship", "arrival", "rule_key", "due"),
    [
        # 2009 paper: 3 days (calendar; the seed leaves the unit open), until 24 Mar 2011.
        ("AZ", date(2011, 3, 24), "registration.general", date(2011, 3, 27)),
        # From 25 Mar 2011: 7 working days (2014 thesis "7 days"; 109-FZ art. 20).
        ("AZ", date(2011, 3, 25), "registration.general", date(2011, 4, 5)),
        ("AZ", date(2026, 3, 16), "registration.general", date(2026, 3, 25)),
        ("MD", date(2026, 6, 10), "registration.general", date(2026, 6, 22)),
        # Tajikistan: 15 days from entry (treaty).
        ("TJ", date(2026, 3, 3), "registration.treaty_15_days", date(2026, 3, 18)),
        # Uzbekistan: 7 working days the day before 4 Jun 2022, 15 days from that day.
        ("UZ", date(2022, 6, 3), "registration.general", date(2022, 6, 15)),
        ("UZ", date(2022, 6, 4), "registration.treaty_15_days", date(2022, 6, 19)),
        ("UZ", date(2022, 6, 5), "registration.treaty_15_days", date(2022, 6, 20)),
        # Kyrgyzstan: visa-free CIS in 2014, EAEU (30 days) from 12 Aug 2015.
        ("KG", date(2014, 5, 5), "registration.general", date(2014, 5, 15)),
        ("KG", date(2015, 8, 11), "registration.general", date(2015, 8, 20)),
        ("KG", date(2015, 8, 12), "registration.eaeu", date(2015, 9, 11)),
        ("KG", date(2016, 5, 5), "registration.eaeu", date(2016, 6, 4)),
        ("KZ", date(2026, 1, 20), "registration.eaeu", date(2026, 2, 19)),
        ("AM", date(2015, 1, 1), "registration.general", date(2015, 1, 20)),  # 1–9 Jan off
        ("AM", date(2015, 1, 2), "registration.eaeu", date(2015, 2, 1)),
        ("BY", date(2026, 1, 20), "registration.belarus", date(2026, 4, 20)),
    ],
)
def test_registration_deadline(citizenship, arrival, rule_key, due):
    d = deadline(plan(citizenship, arrival=arrival, on=arrival), "registration")
    assert (d.rule_key, d.due) == (rule_key, due)
    assert d.unverified and d.source


def test_registration_explanation_names_the_holiday():
    d = deadline(plan("AZ", arrival=date(2026, 6, 10)), "registration")
    assert d.explanation == (
        "7 working days after arrival on 10 June 2026; 12 June is a public holiday (Russia Day)"
        " → 22 June 2026"
    )
    assert d.reminder_offsets == (3, 1, 0)
    assert dict(d.explanations)["ru"] == (
        "7 рабочих дней после прибытия 10 июня 2026; 12 июня — праздник (День России)"
        " → 22 июня 2026"
    )


def test_the_2009_and_the_2011_windows_cite_109_fz_art_20():
    old = deadline(plan("TJ", arrival=date(2009, 5, 1)), "registration")
    new = deadline(plan("AZ", arrival=date(2012, 5, 2)), "registration")
    assert old.source == "Federal Law No. 109-FZ, art. 20, part 3 (of 18.07.2006)"
    assert old.explanation.startswith("3 calendar days")
    assert new.source == old.source and new.explanation.startswith("7 working days")


def test_no_arrival_date_means_no_arrival_deadlines_but_a_checklist():
    p = plan("TJ", arrival=None)
    assert not [d for d in p.deadlines if d.basis_fact == "arrival_date"]
    assert "migration_card" in item_codes(p)


# --- Checklists by problem type, citizenship and date -------------------------------------------
def test_tajik_passport_changes_on_1_january_2015():
    assert "passport_internal" in item_codes(plan("TJ", arrival=date(2014, 12, 31)))
    assert "passport_foreign" not in item_codes(plan("TJ", arrival=date(2014, 12, 31)))
    assert "passport_foreign" in item_codes(plan("TJ", arrival=date(2015, 1, 1)))
    assert "passport_foreign" in item_codes(plan("UZ", arrival=date(2014, 12, 31)))


def test_patent_checklist_for_tajik_worker_today():
    codes = item_codes(plan("TJ", "patent", arrival=date(2026, 2, 1)))
    for code in (
        "passport_foreign",
        "migration_card",
        "registration_tearoff",
        "patent",
        "patent_payment_receipts",
        "medical_certificates",
        "fingerprinting_document",
        "language_certificate",
        "health_insurance",
        "labour_contract",
        "rkl_check",
    ):
        assert code in codes


def test_eaeu_worker_needs_no_patent_but_a_medical_exam():
    codes = item_codes(plan("KG", "patent", arrival=date(2026, 2, 1)))
    assert "patent" not in codes and "language_certificate" not in codes
    assert "medical_certificates" in codes and "labour_contract" in codes


def test_belarusians_have_no_migration_card_and_no_medical_item():
    codes = item_codes(plan("BY", "patent", arrival=date(2026, 2, 1)))
    assert "migration_card" not in codes and "medical_certificates" not in codes


def test_kyrgyz_worker_in_2014_needed_a_work_permit_or_patent():
    codes = item_codes(plan("KG", "patent", arrival=date(2014, 3, 1)))
    assert "work_permit" in codes and "patent" in codes
    assert "language_certificate" not in codes  # from 2015


def test_language_certificate_from_2015():
    assert "language_certificate" not in item_codes(
        plan("TJ", "patent", arrival=date(2014, 12, 31))
    )
    assert "language_certificate" in item_codes(plan("TJ", "patent", arrival=date(2015, 1, 1)))


@pytest.mark.parametrize(
    "problem_type",
    [
        "unpaid_wages",
        "documents_confiscated",
        "reentry_ban",
        "registration",
        "patent",
        "trafficking",
        "detention",
        "other",
    ],
)
def test_every_problem_type_gets_a_cited_checklist(problem_type):
    for citizenship in ("TJ", "UZ", "KG"):
        p = plan(citizenship, problem_type, arrival=date(2026, 2, 1))
        assert p.items, (problem_type, citizenship)
        assert all(i.source and i.rule_key for i in p.items)


def test_trafficking_puts_safety_first():
    assert (
        plan("UZ", "trafficking", arrival=date(2026, 2, 1)).items[0].document_code == "safety_plan"
    )


# --- Work deadlines -----------------------------------------------------------------------------
def test_patent_application_and_medical_within_30_days():
    p = plan("TJ", "patent", arrival=date(2026, 2, 1))
    assert deadline(p, "patent.application").due == date(2026, 3, 3)
    assert deadline(p, "medical.work").due == date(2026, 3, 3)
    p = plan("TJ", "patent", arrival=date(2026, 2, 1), patent_issue_date=date(2026, 2, 20))
    assert not [d for d in p.deadlines if d.key == "patent.application"]


def test_patent_payment_is_due_the_day_before_the_monthly_date():
    # Issued 10 January: the first paid month ends on 9 February (the MVD's, earlier reading).
    p = plan("TJ", "patent", patent_issue_date=date(2026, 1, 10), on=date(2026, 1, 12))
    d = deadline(p, "patent.payment")
    assert (d.key, d.due) == ("patent.payment@2026-02-09", date(2026, 2, 9))
    assert "1 calendar day before" in d.explanation and d.unverified
    assert "за 1 календарный день до этого → 9 февраля 2026" in dict(d.explanations)["ru"]


def test_monthly_patent_payment_is_the_next_occurrence_with_clamping():
    p = plan(
        "TJ",
        "patent",
        arrival=date(2026, 1, 10),
        patent_issue_date=date(2026, 1, 31),
        on=date(2026, 2, 15),
    )
    d = deadline(p, "patent.payment")
    # 31 Jan + 1 month is 28 Feb (a shorter month); the paid month ends the day before.
    assert (d.key, d.due) == ("patent.payment@2026-02-27", date(2026, 2, 27))
    assert "occurrence 1 of 12" in d.explanation and "last day of the month" in d.explanation
    p = plan(
        "TJ",
        "patent",
        arrival=date(2026, 1, 10),
        patent_issue_date=date(2026, 1, 31),
        on=date(2026, 3, 1),
    )
    assert deadline(p, "patent.payment").due == date(2026, 3, 30)


def test_patent_payment_stops_after_twelve_months():
    p = plan("TJ", "patent", patent_issue_date=date(2024, 1, 15), on=date(2026, 3, 1))
    assert not [d for d in p.deadlines if d.key.startswith("patent.payment")]


def test_paid_through_date_beats_the_monthly_estimate():
    p = plan(
        "TJ", "patent", patent_issue_date=date(2026, 1, 15), patent_paid_through=date(2026, 4, 14)
    )
    d = deadline(p, "patent.payment")
    assert (d.key, d.rule_key, d.due) == (
        "patent.payment",
        "patent.paid_through",
        date(2026, 4, 14),
    )


def test_seed_era_patent_payment_cites_the_tax_code():
    p = plan("TJ", "patent", patent_issue_date=date(2011, 3, 1), on=date(2011, 4, 15))
    d = deadline(p, "patent.payment")
    assert d.due == date(2011, 5, 1) and "Tax Code" in d.source and "art. 227.1" in d.source


def test_patent_reissue_is_10_working_days_before_12_months():
    d = deadline(plan("UZ", "patent", patent_issue_date=date(2026, 1, 15)), "patent.reissue")
    # 15 Jan 2027 minus 10 working days: 1–8 Jan 2027 and 31 Dec 2026 (Decree 1466) are off.
    assert d.due == date(2026, 12, 23)
    assert "12 months after patent issue" in d.explanation


def test_contract_copy_two_months_after_patent():
    d = deadline(plan("TJ", "patent", patent_issue_date=date(2025, 12, 31)), "patent.contract_copy")
    assert d.due == date(2026, 2, 28)


def test_eaeu_worker_has_15_days_for_a_new_contract_tajik_in_2013_one_month():
    kg = plan("KG", "patent", employment_end_date=date(2026, 2, 10))
    assert deadline(kg, "job.eaeu_new_contract").due == date(2026, 2, 25)
    tj = plan("TJ", "patent", employment_end_date=date(2013, 2, 10))
    assert deadline(tj, "job.find_new_2013").due == date(2013, 3, 10)


# --- Bans, stay, wages --------------------------------------------------------------------------
def test_ban_end_uses_the_recorded_duration():
    p = plan("TJ", "reentry_ban", ban_start_date=date(2024, 2, 29), ban_duration_years=5)
    d = deadline(p, "ban.end")
    assert d.due == date(2029, 2, 28)
    assert d.explanation.startswith("5 years after ban start on 29 February 2024")


def test_ban_end_needs_a_duration():
    p = plan("TJ", "reentry_ban", ban_start_date=date(2024, 2, 1))
    assert not [d for d in p.deadlines if d.key == "ban.end"]


def test_stay_limit_only_without_a_patent():
    p = plan("TJ", "registration", arrival=date(2026, 1, 1))
    # 90 days in a row with the entry day as the first: 1 January + 89 days.
    assert deadline(p, "stay.visa_free_limit").due == date(2026, 3, 31)
    assert "No. 260-FZ" in deadline(p, "stay.visa_free_limit").source
    p = plan("TJ", "registration", arrival=date(2026, 1, 1), patent_issue_date=date(2026, 1, 20))
    assert not [d for d in p.deadlines if d.key == "stay.visa_free_limit"]


def test_wage_claim_limit_prefers_the_due_date_over_the_period_end():
    p = plan("UZ", "unpaid_wages", wage_period_end=date(2025, 12, 31))
    d = deadline(p, "wages.court_limit")
    assert (d.due, d.rule_key) == (date(2026, 12, 31), "wages.court_limit_from_period")
    p = plan(
        "UZ", "unpaid_wages", wage_period_end=date(2025, 12, 31), wage_due_date=date(2026, 1, 15)
    )
    d = deadline(p, "wages.court_limit")
    assert (d.due, d.rule_key) == (date(2027, 1, 15), "wages.court_limit")
    assert deadline(p, "wages.suspend_work").due == date(2026, 1, 31)


def test_ruid_is_counted_backwards_from_the_planned_entry():
    d = deadline(plan("UZ", "other", planned_entry_date=date(2026, 7, 1)), "entry.ruid")
    assert d.due == date(2026, 6, 28) and "before the planned entry" in d.explanation


# --- Every shipped rule fires for facts that satisfy it --------------------------------------
def _country_in(group: str, day: date) -> str:
    for m in RULESET.memberships:
        if m.group == group and m.active_on(day):
            return m.country
    raise AssertionError(f"nobody in {group} on {day}")


def _facts_for(rule) -> tuple[Facts, date]:
    day = rule.effective_from + timedelta(days=1)
    if rule.effective_to and day > rule.effective_to:
        day = rule.effective_from
    citizenship = _country_in(rule.group, day) if rule.group else "TJ"
    extra: dict = {}
    for c in rule.conditions:
        kind = engine.FACT_VOCABULARY[c.fact][0]
        if c.op == "equals":
            value = c.value
        elif c.op == "in":
            value = c.value[0]
        elif c.op == "present":
            value = day if kind == engine.DATE else 1
        elif c.op in ("not_equals", "not_in"):
            value = "TJ" if c.fact == "citizenship" else "__other__"
        else:
            continue  # absent: leave the fact out
        if c.fact == "citizenship":
            citizenship = value
        else:
            extra[c.fact] = value
    problem_type = rule.problem_types[0] if rule.problem_types else "other"
    arrival = day
    if isinstance(rule, engine.DeadlineSpec):
        extra[rule.basis_fact] = day
        if rule.amount_fact:
            extra[rule.amount_fact] = 3
        if rule.basis_fact == "arrival_date":
            arrival = day
    stays: tuple = ()
    addresses: tuple = ()
    if isinstance(rule, engine.DeadlineSpec) and rule.basis_fact in engine.RECORD_FACTS:
        # Counted from the records: an entry on `day`, or a move on `day` after an earlier entry.
        del extra[rule.basis_fact]
        first = extra.pop("first_address_of_stay", True)
        entry = day if first else day - timedelta(days=5)
        stays = ((entry, None),)
        addresses = ((day, None),) if first else ((entry, day), (day, None))
    facts = Facts(
        problem_type=problem_type,
        citizenship=citizenship,
        arrival_date=arrival,
        extra=extra,
        stays=stays,
        addresses=addresses,
    )
    return facts, day


@pytest.mark.parametrize("rule", RULESET.items, ids=lambda r: f"{r.key}@{r.effective_from}")
def test_every_checklist_rule(rule):
    facts, day = _facts_for(rule)
    p = engine.plan(facts, RULESET, on=day)
    planned = {i.key: i for i in p.items}
    assert rule.slot in planned
    winner = planned[rule.slot]
    if winner.rule_key != rule.key:  # beaten only by a more specific rule of the same slot
        assert any(r.key == winner.rule_key and r.priority > rule.priority for r in RULESET.items)
    else:
        assert (winner.document_code, winner.source) == (rule.document_code, rule.source)


@pytest.mark.parametrize("rule", RULESET.deadlines, ids=lambda r: f"{r.key}@{r.effective_from}")
def test_every_deadline_rule(rule):
    facts, day = _facts_for(rule)
    p = engine.plan(facts, RULESET, on=day)
    planned = [d for d in p.deadlines if d.key == rule.slot or d.key.startswith(f"{rule.slot}@")]
    if rule.basis_fact in engine.PER_ADDRESS_FACTS:  # the address arrived at on `day`
        planned = [d for d in planned if d.key == f"{rule.slot}@{day.isoformat()}"]
    assert planned, [d.key for d in p.deadlines]
    winner = planned[0]
    if winner.rule_key != rule.key:
        assert any(
            r.key == winner.rule_key and r.priority > rule.priority for r in RULESET.deadlines
        )
        return
    assert winner.basis_date == day and winner.source == rule.source
    assert winner.reminder_offsets == rule.reminder_offsets
    assert winner.explanation.endswith(f"→ {winner.due.day} ") or "→" in winner.explanation
    if rule.amount >= 0 and not rule.then_unit:
        assert winner.due >= day


def test_everything_from_the_research_is_flagged_until_verified():
    assert all(r.unverified for r in (*RULESET.items, *RULESET.deadlines))


def test_plan_reads_only_its_arguments():
    facts = Facts(
        problem_type="patent",
        citizenship="TJ",
        arrival_date=date(2026, 2, 1),
        extra={"patent_issue_date": date(2026, 2, 10)},
    )
    assert engine.plan(facts, RULESET, on=ON) == engine.plan(facts, RULESET, on=ON)
    assert engine.plan(facts, engine.Ruleset(), on=ON) == engine.Plan()
