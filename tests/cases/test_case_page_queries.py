"""The case page reads a fixed number of queries whatever the case's history, and still shows
the same feed, history diffs, checklist, deadlines and reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import consent, services
from cases.models import Case, Membership, Reminder
from cases.timeline import HISTORY_PER_RECORD, HISTORY_ROWS, case_history, field_label
from tests import factories
from tests.content import factories as content_factories

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


@pytest.fixture
def page(client):
    """A supervisor's registration case with a checklist, deadlines and reminders to the
    migrant (consent given, a phone on file)."""
    content_factories.load_shipped_rules()
    org = factories.organisation("MSK")
    supervisor = factories.member(org, Membership.Role.SUPERVISOR)
    colleague = factories.member(org, Membership.Role.CASEWORKER)
    person = factories.migrant(org, supervisor, phone="+79161234567")
    consent.give_consent(migrant=person, channel="sms", by=supervisor)
    case = factories.case(
        org,
        supervisor,
        person,
        assignee=supervisor,
        problem_type=Case.ProblemType.REGISTRATION,
        arrival_date=timezone.localdate() - timedelta(days=3),
    )
    client.force_login(supervisor)
    return case, supervisor, colleague, client


def _busy(case: Case, by, colleague, rounds: int) -> None:
    """Re-assignments, notes, facts and migrant edits: history rows and feed events."""
    for n in range(rounds):
        services.assign_case(case=case, assignee=colleague if n % 2 == 0 else by, by=by)
        services.add_note(case=case, text=f"Called the employer, round {n}", by=by)
        services.update_case_facts(case=case, by=by, employer_name=f"OOO Stroy {n}")
        services.update_migrant(migrant=case.migrant, by=by, city=f"Town {n}")


@pytest.mark.parametrize("rounds", [0, 30])
def test_case_page_reads_a_fixed_number_of_queries(page, django_assert_max_num_queries, rounds):
    case, supervisor, colleague, client = page
    _busy(case, supervisor, colleague, rounds)
    assert case.checklist.count() > 1 and case.deadlines.count() > 1
    assert Reminder.objects.filter(deadline__case=case).exists()
    if rounds:
        assert case.history.count() > HISTORY_PER_RECORD and case.timeline.count() > 3 * rounds
    client.get(f"/cases/{case.pk}/")  # the members cache and the session cache warm up
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    # The panels built from the shared reads show what they showed before.
    item = case.checklist.filter(retired_at__isnull=True).first()
    assert f'id="checklist-item-{item.pk}"' in body
    for deadline in case.deadlines.exclude(state="retired"):
        assert f'id="deadline-{deadline.pk}"' in body
    assert response.context["reminder_blocker"] is None  # consent and a phone: it can go out
    assert f'<option value="{colleague.pk}">{colleague.username}</option>' in body
    if rounds:
        assert f"Assigned to {colleague.username}" in body
        assert "Called the employer, round 29" in body


def _history_with_prev_record(case: Case) -> list[tuple]:
    """What the page showed before: simple_history's prev_record per row."""
    records = list(case.history.all()[:HISTORY_PER_RECORD])
    records += list(case.migrant.history.all()[:HISTORY_PER_RECORD])
    records.sort(key=lambda record: record.history_date, reverse=True)
    rows = []
    for record in records[:HISTORY_ROWS]:
        previous = record.prev_record
        fields = (
            [change.field for change in record.diff_against(previous).changes] if previous else []
        )
        rows.append(
            (
                record.history_date,
                record.history_user_id,
                record.history_type,
                [field_label(record.instance_type, name) for name in fields],
            )
        )
    return rows


@pytest.mark.parametrize("rounds", [0, 3, 30])
def test_history_shows_the_same_diffs_as_prev_record(page, rounds):
    case, supervisor, colleague, _client = page
    _busy(case, supervisor, colleague, rounds)
    shown = [
        (row["when"], row["who"].pk if row["who"] else None, row["kind"], row["fields"])
        for row in case_history(case)
    ]
    expected = _history_with_prev_record(case)
    kinds = {"+": "Created", "~": "Changed", "-": "Deleted"}
    assert [(w, who, str(kind), f) for w, who, kind, f in shown] == [
        (w, who, kinds[t], f) for w, who, t, f in expected
    ]
    if rounds:
        assert any("employer" in " ".join(fields) for *_rest, fields in expected)
