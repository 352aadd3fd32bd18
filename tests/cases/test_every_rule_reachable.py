"""Every shipped checklist and deadline rule can be reached from the caseworker forms and from
the API: the facts it reads (content.facts.facts_read_by) are asked by the facts form of a
case with the rule's problem, and a case given them gets the rule's item or deadline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import Case, Membership
from content import engine, facts, rulesets
from content.engine import CASE_FIELD_FACTS
from tests import factories as casework
from tests.content import factories

pytestmark = pytest.mark.django_db

COUNTRIES = ("TJ", "UZ", "KG", "KZ", "AM", "BY", "MD", "UA", "GE", "AZ")


def _rules():
    factories.load_shipped_rules()
    ruleset = rulesets.ruleset_from_db(country="RU")
    rules = [*ruleset.items, *ruleset.deadlines]
    assert len(rules) > 70  # the shipped rules, not an empty table
    return ruleset, [rule for rule in rules if _due_today(rule)]


def _day(rule) -> date:
    """A day the rule is in force, in the past (the forms refuse future dates)."""
    today = timezone.localdate() - timedelta(days=2)
    last = min(rule.effective_to or today, today)
    return max(rule.effective_from, last - timedelta(days=20))


def _records(rule, day: date) -> tuple[tuple, tuple]:
    """The stays and addresses a rule counting from them needs (recorded on the stays panel or
    through the API, not the facts form): an entry on `day`, or a move on `day` after one."""
    if not isinstance(rule, engine.DeadlineSpec) or rule.basis_fact not in engine.RECORD_FACTS:
        return (), ()
    first = all(c.value for c in rule.conditions if c.fact == "first_address_of_stay")
    entry = day if first else day - timedelta(days=5)
    addresses = ((day, None),) if first else ((entry, day), (day, None))
    return ((entry, None),), addresses


def _citizenship(rule, ruleset: engine.Ruleset, problem: str, values: dict[str, Any]) -> str:
    """A citizenship for which the engine gives this rule (not a rival of its slot)."""
    stays, addresses = _records(rule, _day(rule))
    for country in COUNTRIES:
        plan = engine.plan(
            engine.Facts(
                problem_type=problem,
                citizenship=country,
                arrival_date=values.get("arrival_date"),
                extra=values,
                stays=stays,
                addresses=addresses,
            ),
            ruleset,
            on=timezone.localdate(),
        )
        if any(p.rule_key == rule.key for p in (*plan.items, *plan.deadlines)):
            return country
    raise AssertionError(f"no citizenship gets {rule.key} with {values}")


def _due_today(rule) -> bool:
    """False for a recurring deadline whose every occurrence ended before today: it can never
    be planned for a case today (its rule ended long ago), so there is nothing to reach."""
    if not isinstance(rule, engine.DeadlineSpec) or not rule.occurrences or not rule.effective_to:
        return True
    last = rule.effective_to + timedelta(days=31 * rule.amount * rule.occurrences)
    return last >= timezone.localdate()


def _value(fact: str, conditions: list[engine.Condition], day: date) -> Any:
    """A value of `fact` meeting its conditions (the basis day for a date)."""
    kind = engine.FACT_VOCABULARY[fact][0]
    for condition in conditions:
        if condition.op == "equals":
            return condition.value
        if condition.op == "in":
            return condition.value[0]
    if kind == engine.DATE:
        return day
    if kind == engine.FLAG:
        return True
    if kind == engine.NUMBER:
        return 3
    spec = facts.declarations().facts.get(fact)
    return spec.choices[0][0] if spec and spec.choices else "x"


def _needs(rule, ruleset) -> tuple[str, str, dict[str, Any], date]:
    day = _day(rule)
    values: dict[str, Any] = {}
    for fact in sorted(
        facts.facts_read_by(rule) - {"citizenship", "problem_type"} - engine.RECORD_FACTS
    ):
        conditions = [c for c in rule.conditions if c.fact == fact]
        if any(c.op == "absent" for c in conditions):
            continue
        values[fact] = _value(fact, conditions, day)
    if isinstance(rule, engine.ItemRule):
        values.setdefault("arrival_date", day)  # the checklist's reference date
    problem = rule.problem_types[0] if rule.problem_types else "other"
    return problem, _citizenship(rule, ruleset, problem, values), values, day


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value.isoformat() if isinstance(value, date) else str(value)


def _got_it(case: Case, rule) -> bool:
    if isinstance(rule, engine.ItemRule):
        return case.checklist.filter(rule_key=rule.key, retired_at=None).exists()
    return case.deadlines.filter(rule_key=rule.key).exists()


def _caseworker(org):
    """A caseworker allowed to see trafficking cases (some rules are for that problem)."""
    user = factories.member(org)
    Membership.objects.filter(user=user, organisation=org).update(can_view_trafficking=True)
    return user


def test_every_rule_is_reachable_through_the_facts_form(client):
    ruleset, rules = _rules()
    org = factories.organisation()
    user = _caseworker(org)
    client.force_login(user)
    unreachable = []
    for rule in rules:
        problem, citizenship, values, _day = _needs(rule, ruleset)
        person = casework.migrant(org, user, citizenship=citizenship)
        case = casework.case(org, user, person, problem_type=problem)
        url = reverse("cases:facts", args=[case.pk])
        page = client.get(url)
        assert page.status_code == 200, (rule.key, page.status_code)
        asked = set(page.context["form"].fields)
        missing = set(values) - asked
        assert not missing, f"{rule.key}: the facts form does not ask {missing}"
        data = {"country_of_stay": "RU", "currency": "RUB", "submission": f"s{case.pk}"}
        data |= {name: _form_value(value) for name, value in values.items()}
        response = client.post(url, data)
        assert response.status_code == 302, (rule.key, response.content.decode()[-2000:])
        stays, addresses = _records(rule, _day)
        for entry, _exit in stays:
            recorded = client.post(
                reverse("cases:stay_entry", args=[case.pk]), {"entry_date": entry}
            )
            assert recorded.status_code == 302, rule.key
        for n, (arrival, _left) in enumerate(addresses):
            moved = client.post(
                reverse("cases:stay_move", args=[case.pk]),
                {"address": f"Address {n}", "arrival_date": arrival},
            )
            assert moved.status_code == 302, rule.key
        if not _got_it(Case.objects.get(pk=case.pk), rule):
            unreachable.append(rule.key)
    assert not unreachable


def test_every_rule_is_reachable_through_the_api():
    ruleset, rules = _rules()
    org = factories.organisation()
    user = _caseworker(org)
    api = APIClient()
    api.force_authenticate(user)
    unreachable = []
    for rule in rules:
        problem, citizenship, values, _day = _needs(rule, ruleset)
        person = casework.migrant(org, user, citizenship=citizenship)
        body: dict[str, Any] = {"migrant": person.pk, "problem_type": problem, "extra_facts": {}}
        for name, value in values.items():
            shown = value.isoformat() if isinstance(value, date) else value
            if name in CASE_FIELD_FACTS:
                body[name] = shown
            else:
                body["extra_facts"][name] = shown
        response = api.post("/api/v1/cases/", body, format="json")
        assert response.status_code == 201, (rule.key, response.json())
        stays, addresses = _records(rule, _day)
        for entry, _exit in stays:
            recorded = api.post(
                f"/api/v1/migrants/{person.pk}/stays/", {"entry_date": entry}, format="json"
            )
            assert recorded.status_code == 201, (rule.key, recorded.json())
        for n, (arrival, _left) in enumerate(addresses):
            moved = api.post(
                f"/api/v1/migrants/{person.pk}/addresses/",
                {"address": f"Address {n}", "arrival_date": arrival},
                format="json",
            )
            assert moved.status_code == 201, (rule.key, moved.json())
        if not _got_it(Case.objects.get(pk=response.json()["id"]), rule):
            unreachable.append(rule.key)
    assert not unreachable
