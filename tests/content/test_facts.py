"""The fact declarations (content/rules/facts.yaml) and their validation."""

from __future__ import annotations

from datetime import date

from content import engine, facts, queries
from content.rulesdata import LANGUAGES
from tests.content import factories


def test_the_shipped_declarations_are_complete():
    assert facts.declaration_errors(facts.read()) == []
    for spec in facts.declarations().facts.values():
        assert all(spec.labels[language] for language in LANGUAGES)


def test_a_declaration_the_rules_read_differently_is_refused():
    data = facts.read()
    data["facts"] = [
        dict(e, type="int") if e["key"] == "wage_due_date" else e for e in data["facts"]
    ]
    data["facts"] = [e for e in data["facts"] if e["key"] != "dismissal_date"]
    errors = facts.declaration_errors(data)
    assert "fact 'wage_due_date': the rules read it as date" in errors
    assert "fact 'dismissal_date': read by the rules but not declared" in errors


def test_fact_errors_name_every_bad_field_at_once():
    assert facts.fact_errors({"entry_purpose": "work", "wage_due_date": "2026-01-15"}) == {}
    errors = facts.fact_errors(
        {
            "shoe_size": 42,
            "arrival_date": "2026-01-01",  # a Case field, not an extra fact
            "wage_due_date": "15.01.2026",
            "stay_over_90_days": "yes",
            "migration_card": "stolen",
            "registration_obstacle": ["employer_refused", "bribe"],
        }
    )
    assert set(errors) == {
        "shoe_size",
        "arrival_date",
        "wage_due_date",
        "stay_over_90_days",
        "migration_card",
        "registration_obstacle",
    }


def test_the_facts_a_case_needs_come_from_its_problems_rules(db):
    factories.load_shipped_rules()
    wages = {s.key for s in queries.needed_facts(["unpaid_wages"])}
    ban = {s.key for s in queries.needed_facts(["reentry_ban"])}
    assert {"wage_due_date", "dismissal_date", "kts_decision_date"} <= wages
    assert "expulsion_order_date" not in wages
    assert "ban_decision_learned_date" in ban and "wage_due_date" not in ban
    both = {s.key for s in queries.needed_facts(["unpaid_wages", "reentry_ban"])}
    assert wages | ban <= both


def test_a_rule_reads_its_basis_amount_and_conditions():
    spec = engine.DeadlineSpec(
        key="k",
        effective_from=date(2020, 1, 1),
        effective_to=None,
        problem_types=(),
        group="",
        conditions=(engine.Condition("stay_over_90_days", "equals", True),),
        source="",
        unverified=True,
        slot="k",
        priority=0,
        basis_fact="ban_start_date",
        amount_fact="ban_duration_years",
    )
    assert facts.facts_read_by(spec) == {
        "stay_over_90_days",
        "ban_start_date",
        "ban_duration_years",
    }
