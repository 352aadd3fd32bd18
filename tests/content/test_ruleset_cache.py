"""The Ruleset is built once per rules version: planning reads one row while rules don't change,
and any way an administrator changes them is seen at the next read."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from content import queries, rulesets
from content.engine import Facts
from content.models import CalendarOverride, DeadlineRule, GroupMembership, Rule, RulesVersion
from tests.content import factories

pytestmark = pytest.mark.django_db
FACTS = Facts(problem_type="registration", citizenship="TJ", arrival_date=date(2026, 3, 2))


@pytest.fixture
def rules():
    factories.load_shipped_rules()
    rulesets.ruleset_from_db()  # warm this process's cache


def _deadline_days(rule_key: str) -> int:
    plan = queries.plan_for(FACTS, on=date(2026, 3, 3))
    (due,) = [d.due for d in plan.deadlines if d.rule_key == rule_key]
    return (due - FACTS.arrival_date).days


def test_a_plan_read_costs_one_query_while_the_rules_stay_the_same(
    rules, django_assert_num_queries
):
    with django_assert_num_queries(1):
        plan = queries.plan_for(FACTS, on=date(2026, 3, 3))
    assert plan.items and plan.deadlines


def test_an_edit_saved_through_the_model_is_seen_at_the_next_read(rules):
    rule = DeadlineRule.objects.get(key="registration.treaty_15_days")
    before = _deadline_days(rule.key)
    rule.amount += 5
    rule.save()
    assert _deadline_days(rule.key) > before


def test_deleting_a_rule_and_a_bulk_import_change_the_version(rules):
    token = RulesVersion.objects.get().token
    Rule.objects.filter(key="registration.tearoff").delete()
    assert RulesVersion.objects.get().token != token
    token = RulesVersion.objects.get().token
    factories.load_shipped_rules()
    assert RulesVersion.objects.get().token != token


@pytest.mark.parametrize("model", [CalendarOverride, GroupMembership])
def test_calendar_and_group_changes_change_the_version(rules, model):
    token = RulesVersion.objects.get().token
    if model is CalendarOverride:
        CalendarOverride.objects.create(day=date(2026, 3, 9), is_working_day=True)
    else:
        GroupMembership.objects.first().delete()
    assert RulesVersion.objects.get().token != token


def test_a_rolled_back_edit_leaves_no_stale_ruleset(rules):
    rule = DeadlineRule.objects.get(key="registration.treaty_15_days")
    before = _deadline_days(rule.key)
    with pytest.raises(RuntimeError), transaction.atomic():
        rule.amount += 5
        rule.save()
        assert _deadline_days(rule.key) > before  # cached under the edit's version
        raise RuntimeError("the edit fails")
    assert _deadline_days(rule.key) == before
