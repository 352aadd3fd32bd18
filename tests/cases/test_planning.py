"""sync_plan and checklist states against a real database with the shipped rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import planning, services
from cases.models import Case, ChecklistItem, Deadline, Membership, TimelineEvent
from content import services as content_services
from content.models import DeadlineRule, ResyncJob, Rule
from tests.content import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules():
    return factories.load_shipped_rules()


@pytest.fixture
def eager():
    """Run Celery tasks in-process. tests/conftest.py sets `task_always_eager`, but with the
    CELERY settings namespace only the prefixed key takes effect (reported to the lead)."""
    from advisor.celery import app

    old = app.conf.task_always_eager
    app.conf.update(CELERY_TASK_ALWAYS_EAGER=True, CELERY_TASK_EAGER_PROPAGATES=True)
    yield
    app.conf.update(CELERY_TASK_ALWAYS_EAGER=old)


@pytest.fixture
def org():
    return factories.organisation()


@pytest.fixture
def user(org):
    return factories.member(org)


def _snapshot(case: Case):
    items = list(case.checklist.order_by("key").values())
    deadlines = list(case.deadlines.order_by("key").values())
    return items, deadlines, case.timeline.count()


def test_without_rules_sync_does_nothing(org, user):
    case = factories.open_case(org, user, arrival_date=timezone.localdate())
    assert not case.checklist.exists() and not case.deadlines.exists()


@pytest.mark.parametrize("problem_type", Case.ProblemType.values)
def test_opening_a_case_of_every_problem_type_gives_a_cited_checklist(
    rules, org, user, problem_type
):
    case = factories.open_case(
        org, user, problem_type=problem_type, arrival_date=timezone.localdate() - timedelta(days=2)
    )
    items = list(case.checklist.all())
    assert items and all(i.source and i.rule_key and i.unverified for i in items)
    assert all(i.state == ChecklistItem.State.MISSING for i in items)
    event = case.timeline.get(kind=TimelineEvent.Kind.CHECKLIST)
    assert sorted(event.data["plan"]["items_added"]) == sorted(i.key for i in items)


def test_registration_case_gets_its_deadline_and_explanation(rules, org, user):
    arrival = timezone.localdate() - timedelta(days=1)
    case = factories.open_case(org, user, citizenship="TJ", arrival_date=arrival)
    deadline = case.deadlines.get(key="registration")
    assert deadline.due_date == arrival + timedelta(days=15)
    assert deadline.rule_key == "registration.treaty_15_days" and deadline.unverified
    assert deadline.explanation.startswith("15 calendar days after arrival on")
    assert deadline.reminder_offsets == [5, 2, 0]


def test_sync_twice_changes_nothing(rules, org, user):
    case = factories.open_case(
        org,
        user,
        problem_type="patent",
        arrival_date=date(2026, 1, 5),
        patent_issue_date=date(2026, 1, 20),
    )
    before = _snapshot(case)
    assert planning.sync_plan(case=case) == {}
    assert planning.sync_plan(case=case) == {}
    assert _snapshot(case) == before


def test_fact_change_adds_and_retires_keeping_history(rules, org, user):
    case = factories.open_case(org, user, problem_type="patent", arrival_date=date(2026, 1, 5))
    assert case.deadlines.get(key="patent.application").state == Deadline.State.OPEN
    services.update_case_facts(case=case, by=user, patent_issue_date=date(2026, 1, 20))
    application = case.deadlines.get(key="patent.application")
    assert application.state == Deadline.State.RETIRED  # kept, not deleted
    assert case.deadlines.filter(key__startswith="patent.payment@", state="open").exists()
    services.update_case_facts(case=case, by=user, patent_issue_date=None)
    assert case.deadlines.get(key="patent.application").state == Deadline.State.OPEN


def test_ticks_survive_rule_changes_and_retirement(rules, org, user):
    case = factories.open_case(org, user, problem_type="patent", arrival_date=date(2026, 1, 5))
    item = case.checklist.get(key="patent.medical")
    planning.set_item_state(item=item, state="have", note="clinic 12", by=user)
    # The rule is edited (new source): the item follows, the tick stays.
    factories.edit_rules(Rule.objects.filter(key="patent.medical"), source="edited source")
    assert "items_updated" in planning.sync_plan(case=case)
    item.refresh_from_db()
    assert (item.state, item.note, item.source) == ("have", "clinic 12", "edited source")
    # The rule stops applying: the item is retired, not deleted, and keeps its state.
    factories.edit_rules(Rule.objects.filter(key="patent.medical"), problem_types=["detention"])
    assert planning.sync_plan(case=case)["items_retired"] == ["patent.medical"]
    item.refresh_from_db()
    assert item.retired_at and item.state == "have"
    # It applies again: restored with the tick.
    factories.edit_rules(Rule.objects.filter(key="patent.medical"), problem_types=["patent"])
    assert planning.sync_plan(case=case)["items_restored"] == ["patent.medical"]
    item.refresh_from_db()
    assert item.retired_at is None and item.state == "have"


def test_closed_cases_are_never_altered(rules, org, user):
    case = factories.open_case(org, user, arrival_date=timezone.localdate())
    services.close_case(case=case, outcome="resolved", by=user)
    before = _snapshot(case)
    factories.edit_rules(Rule.objects.all(), problem_types=["other"])
    DeadlineRule.objects.all().delete()
    assert planning.sync_plan(case=case) == {}
    assert _snapshot(case) == before


def test_a_met_deadline_keeps_its_due_date_and_explanation(rules, org, user):
    case = factories.open_case(org, user, arrival_date=timezone.localdate())
    Deadline.objects.filter(case=case, key="registration").update(state=Deadline.State.MET)
    before = case.deadlines.get(key="registration")
    factories.edit_rules(DeadlineRule.objects.filter(key="registration.treaty_15_days"), amount=20)
    planning.sync_plan(case=case)
    deadline = case.deadlines.get(key="registration")
    assert deadline.state == Deadline.State.MET
    assert (deadline.due_date, deadline.explanation) == (before.due_date, before.explanation)
    assert "15 calendar days" in deadline.explanation


def test_a_missed_deadline_keeps_its_date_an_open_one_moves_and_the_timeline_says_why(
    rules, org, user
):
    arrival = timezone.localdate() - timedelta(days=20)  # the 15-day window closed 5 days ago
    missed_case = factories.open_case(org, user, arrival_date=arrival)
    open_case = factories.open_case(org, user, arrival_date=timezone.localdate())
    missed_before = missed_case.deadlines.get(key="registration")
    open_before = open_case.deadlines.get(key="registration")
    factories.edit_rules(DeadlineRule.objects.filter(key="registration.treaty_15_days"), amount=20)
    planning.sync_plan(case=missed_case, reason="Rules changed: registration edited")
    planning.sync_plan(case=open_case, reason="Rules changed: registration edited")
    missed = missed_case.deadlines.get(key="registration")
    assert (missed.due_date, missed.explanation) == (
        missed_before.due_date,
        missed_before.explanation,
    )
    moved = open_case.deadlines.get(key="registration")
    assert moved.due_date == open_before.due_date + timedelta(days=5)
    event = open_case.timeline.filter(kind=TimelineEvent.Kind.CHECKLIST).first()
    assert event.text == (
        "Rules changed: registration edited\n"
        f"Register your stay: due date moved from {open_before.due_date.isoformat()} to "
        f"{moved.due_date.isoformat()} (its rule changed)."
    )


def test_correcting_the_arrival_date_moves_a_missed_deadline(rules, org, user):
    case = factories.open_case(org, user, arrival_date=timezone.localdate() - timedelta(days=20))
    Case.objects.filter(pk=case.pk).update(arrival_date=timezone.localdate())
    planning.sync_plan(case=case)
    deadline = case.deadlines.get(key="registration")
    assert deadline.due_date == timezone.localdate() + timedelta(days=15)
    assert "the date it is counted from changed" in case.timeline.first().text


def test_manual_deadlines_are_left_alone(rules, org, user):
    case = factories.open_case(org, user, arrival_date=timezone.localdate())
    manual = Deadline.objects.create(
        case=case,
        key="manual-1",
        kind=Deadline.Kind.MANUAL,
        title="Court",
        due_date=date(2026, 12, 1),
    )
    planning.sync_plan(case=case)
    manual.refresh_from_db()
    assert manual.state == Deadline.State.OPEN


def test_past_patent_payments_stay_as_history(rules, org, user):
    issue = timezone.localdate() - timedelta(days=70)
    case = factories.open_case(org, user, problem_type="patent", patent_issue_date=issue)
    current = case.deadlines.get(key__startswith="patent.payment@", state="open")
    planning.sync_plan(case=case, on=current.due_date + timedelta(days=1))
    current.refresh_from_db()
    assert current.state == Deadline.State.OPEN  # not retired: it happened
    assert case.deadlines.filter(key__startswith="patent.payment@").count() == 2


# --- set_item_state ---------------------------------------------------------------------------
def test_set_item_state_records_a_timeline_entry(rules, org, user):
    case = factories.open_case(org, user, arrival_date=timezone.localdate())
    item = case.checklist.first()
    planning.set_item_state(item=item, state="held_by_employer", by=user)
    event = case.timeline.filter(kind=TimelineEvent.Kind.CHECKLIST).first()
    assert event.data == {
        "item": item.key,
        "document": item.document_code,
        "from": "missing",
        "to": "held_by_employer",
    }
    count = case.timeline.count()
    planning.set_item_state(item=item, state="held_by_employer", by=user)  # double click
    assert case.timeline.count() == count


def test_migrant_tick_is_marked(rules, org, user):
    case = factories.open_case(org, user, arrival_date=timezone.localdate())
    item = planning.set_item_state(item=case.checklist.first(), state="have", via_migrant=True)
    assert item.ticked_by_migrant_at and case.timeline.filter(kind="migrant").exists()


def test_set_item_state_refuses_bad_input(rules, org, user):
    case = factories.open_case(org, user, arrival_date=timezone.localdate())
    item = case.checklist.first()
    with pytest.raises(ValidationError):
        planning.set_item_state(item=item, state="lost_in_space", by=user)
    outsider = factories.member(factories.organisation())
    with pytest.raises(PermissionDenied):
        planning.set_item_state(item=item, state="have", by=outsider)
    services.close_case(case=case, outcome="resolved", by=user)
    with pytest.raises(ValidationError):
        planning.set_item_state(item=item, state="have", by=user)
    item.refresh_from_db()
    assert item.state == "missing"


# --- The checklist view --------------------------------------------------------------------------
def test_checklist_post_with_htmx_returns_the_panel(rules, org, user, client):
    case = factories.open_case(org, user, arrival_date=timezone.localdate())
    item = case.checklist.first()
    client.force_login(user)
    url = reverse("cases:checklist_item", args=[case.pk, item.pk])
    response = client.post(url, {"state": "submitted", "note": "at MFC"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'id="checklist"' in response.content and b"unverified rule" in response.content
    item.refresh_from_db()
    assert (item.state, item.note) == ("submitted", "at MFC")


def test_checklist_post_without_js_redirects(rules, org, user, client):
    case = factories.open_case(org, user, arrival_date=timezone.localdate())
    item = case.checklist.first()
    client.force_login(user)
    response = client.post(
        reverse("cases:checklist_item", args=[case.pk, item.pk]), {"state": "have"}
    )
    assert response.status_code == 302 and response["Location"].endswith(
        f"/cases/{case.pk}/#checklist"
    )


def test_checklist_post_bad_state_is_a_400_not_a_500(rules, org, user, client):
    case = factories.open_case(org, user, arrival_date=timezone.localdate())
    item = case.checklist.first()
    client.force_login(user)
    url = reverse("cases:checklist_item", args=[case.pk, item.pk])
    response = client.post(url, {"state": "bogus"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and b"Choose one of the listed states" in response.content
    item.refresh_from_db()
    assert item.state == "missing"


def test_another_organisations_case_is_a_404(rules, org, user, client):
    case = factories.open_case(org, user, arrival_date=timezone.localdate())
    item = case.checklist.first()
    outsider = factories.member(factories.organisation())
    client.force_login(outsider)
    response = client.post(
        reverse("cases:checklist_item", args=[case.pk, item.pk]), {"state": "have"}
    )
    assert response.status_code == 404
    assert client.get(reverse("cases:checklist_item", args=[case.pk, item.pk])).status_code in (
        404,
        405,
    )


def test_panels_render_in_russian(rules, org, user):
    from django.template.loader import render_to_string
    from django.utils import translation

    from cases import panels

    case = factories.open_case(org, user, arrival_date=timezone.localdate() - timedelta(days=20))
    with translation.override("ru"):
        html = render_to_string("cases/_checklist.html", panels.checklist_panel_context(case=case))
        html += render_to_string(
            "cases/_deadline_reminders.html", panels.deadline_panel_context(case=case)
        )
    assert "Заграничный паспорт" in html and "Встаньте на миграционный учёт" in html
    assert "15 календарных дней после прибытия" in html  # the Russian explanation
    assert "registration.treaty_15_days" in html  # the rule key is shown …
    deadline = case.deadlines.get(key="registration")
    # … with its source, in Russian (issue 17: it was the English line stored with the deadline)
    assert deadline.source.startswith("Federal Law No. 109-FZ") and deadline.source not in html
    assert "Федеральный закон № 109-ФЗ" in html
    assert "непроверенное правило" in html or not deadline.unverified
    assert "просрочено на 5 дней" in html  # arrival 20 days ago, 15 days allowed
    assert "Сроки и напоминания" in html and "Запланированное время отправки" in html


def test_dashboard_lists_rule_deadlines_in_the_users_language(rules, org, user, client):
    case = factories.open_case(org, user, arrival_date=timezone.localdate() - timedelta(days=20))
    services.assign_case(case=case, assignee=user, by=user)
    deadline = case.deadlines.get(key="registration")
    assert deadline.title == "Register your stay"  # stored in English
    user.language = "ru"
    user.save()
    client.force_login(user)
    # The request activates the user's language in this thread: keep it out of later tests.
    with translation.override(translation.get_language()):
        page = client.get(reverse("cases:dashboard")).content.decode()
    assert 'lang="ru"' in page
    assert "Встаньте на миграционный учёт" in page and "Register your stay" not in page
    assert case.number in page


# --- Background re-sync after a rule change ---------------------------------------------------
def test_rule_change_resyncs_open_cases_with_progress_and_timeline(
    rules, org, user, eager, django_capture_on_commit_callbacks
):
    open_case = factories.open_case(org, user, arrival_date=timezone.localdate())
    closed = factories.open_case(org, user, arrival_date=timezone.localdate())
    services.close_case(case=closed, outcome="resolved", by=user)
    closed_before = _snapshot(closed)
    factories.edit_rules(DeadlineRule.objects.filter(key="registration.treaty_15_days"), amount=20)
    with django_capture_on_commit_callbacks(execute=True):
        job = content_services.announce_rules_change(
            reason="registration edited", problem_types=["registration"]
        )
    job.refresh_from_db()
    assert (job.state, job.total, job.done, job.changed) == (ResyncJob.State.DONE, 1, 1, 1)
    assert job.percent == 100
    event = open_case.timeline.filter(kind=TimelineEvent.Kind.CHECKLIST).first()
    assert event.text.startswith("Rules changed: registration edited\nRegister your stay: due")
    assert open_case.deadlines.get(key="registration").due_date == timezone.localdate() + timedelta(
        days=20
    )
    assert _snapshot(closed) == closed_before


# --- Properties over the database ----------------------------------------------------------------
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    problem_type=st.sampled_from(Case.ProblemType.values),
    citizenship=st.sampled_from(["TJ", "UZ", "KG", "AZ", "BY"]),
    days_ago=st.integers(min_value=0, max_value=4000),
    new_amount=st.integers(min_value=1, max_value=40),
    state=st.sampled_from(ChecklistItem.State.values),
)
def test_sync_properties(rules, org, user, problem_type, citizenship, days_ago, new_amount, state):
    arrival = timezone.localdate() - timedelta(days=days_ago)
    case = factories.open_case(
        org, user, problem_type=problem_type, citizenship=citizenship, arrival_date=arrival
    )
    # sync twice changes nothing
    before = _snapshot(case)
    assert planning.sync_plan(case=case) == {}
    assert _snapshot(case) == before
    # ticks survive any rule change
    ticked = {}
    for item in case.checklist.all()[:2]:
        planning.set_item_state(item=item, state=state, note="kept", by=user)
        ticked[item.pk] = state
    factories.edit_rules(DeadlineRule.objects.filter(unit="calendar_days"), amount=new_amount)
    factories.edit_rules(Rule.objects.filter(position__gte=100), problem_types=["other"])
    planning.sync_plan(case=case)
    for pk, expected in ticked.items():
        item = ChecklistItem.objects.get(pk=pk)
        assert (item.state, item.note) == (expected, "kept")
    # closed cases are never altered
    services.close_case(case=case, outcome="resolved", by=user)
    closed = _snapshot(case)
    factories.edit_rules(DeadlineRule.objects.all(), amount=new_amount + 1)
    factories.edit_rules(Rule.objects.all(), problem_types=[])
    planning.sync_plan(case=case)
    assert _snapshot(case) == closed
    factories.load_shipped_rules()  # put the rules back for the next example


def test_membership_roles_may_tick(rules, org):
    supervisor = factories.member(org, Membership.Role.SUPERVISOR)
    case = factories.open_case(org, supervisor, arrival_date=timezone.localdate())
    assert (
        planning.set_item_state(item=case.checklist.first(), state="have", by=supervisor).state
        == "have"
    )


def test_load_rules_after_cases_were_opened_plans_only_open_cases(org, user):
    from io import StringIO

    from django.core.management import call_command

    open_case = factories.open_case(org, user, arrival_date=timezone.localdate())
    closed = factories.open_case(org, user, arrival_date=timezone.localdate())
    services.close_case(case=closed, outcome="resolved", by=user)
    assert not open_case.checklist.exists()
    out = StringIO()
    call_command("load_rules", stdout=out)
    assert "Re-synced 1 open cases (1 changed)." in out.getvalue()
    assert open_case.checklist.exists() and open_case.deadlines.exists()
    assert not closed.checklist.exists() and not closed.deadlines.exists()
