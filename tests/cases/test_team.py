"""The supervisor's team view: per-worker load, and reassigning several cases in one action."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services, team
from cases.models import Case, Deadline, Membership, TimelineEvent
from tests import factories


@pytest.fixture
def busy(org, caseworker, supervisor):
    """Aziz has 6 open cases (2 overdue deadlines, 1 due this week), Dilnoza 1, and 2 wait."""
    today = timezone.localdate()
    aziz = factories.member(org, Membership.Role.CASEWORKER)
    aziz.first_name, aziz.last_name = "Aziz", "Karimov"
    aziz.save()
    dilnoza = factories.member(org, Membership.Role.CASEWORKER)
    dilnoza.first_name = "Dilnoza"
    dilnoza.save()
    cases = [factories.case(org, caseworker, assignee=aziz) for _ in range(6)]
    Deadline.objects.create(case=cases[0], key="a", title="A", due_date=today - timedelta(3))
    Deadline.objects.create(case=cases[1], key="b", title="B", due_date=today - timedelta(1))
    Deadline.objects.create(case=cases[2], key="c", title="C", due_date=today + timedelta(2))
    Deadline.objects.create(case=cases[3], key="d", title="D", due_date=today + timedelta(40))
    closed = factories.case(org, caseworker, assignee=aziz)
    services.close_case(case=closed, outcome=Case.Outcome.RESOLVED, by=supervisor)
    factories.case(org, caseworker, assignee=dilnoza)
    unassigned = [factories.case(org, caseworker) for _ in range(2)]
    return {"aziz": aziz, "dilnoza": dilnoza, "cases": cases, "unassigned": unassigned}


def test_the_load_of_each_worker(org, busy):
    today = timezone.localdate()
    loads = {load.user_id: load for load in team.workload(org, today=today)}
    aziz = loads[busy["aziz"].pk]
    assert (aziz.name, aziz.open_cases, aziz.overdue, aziz.due_soon) == ("Aziz Karimov", 6, 2, 1)
    assert aziz.next_due == today + timedelta(2)
    assert [case.pk for case in aziz.cases][:3] == [c.pk for c in busy["cases"][:3]]
    assert loads[busy["dilnoza"].pk].open_cases == 1
    assert loads[None].open_cases == 2  # the unassigned row comes last
    assert list(loads)[-1] is None


def test_the_page_in_a_fixed_number_of_queries(
    client, org, busy, supervisor, django_assert_max_num_queries
):
    client.force_login(supervisor)
    with django_assert_max_num_queries(14):
        page = client.get("/team/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Aziz Karimov" in text and "Dilnoza" in text and "Unassigned" in text
    for case in busy["cases"]:
        assert f'value="{case.pk}"' in text


def test_a_supervisor_reassigns_five_cases_in_one_action(client, org, busy, supervisor):
    client.force_login(supervisor)
    five = [case.pk for case in busy["cases"][:5]]
    response = client.post(
        "/team/assign/", {"cases": five, "assignee": busy["dilnoza"].pk}, follow=True
    )
    assert response.status_code == 200
    assert "5 cases assigned to Dilnoza." in response.content.decode()
    assert set(Case.objects.filter(pk__in=five).values_list("assignee", flat=True)) == {
        busy["dilnoza"].pk
    }
    # One timeline entry per case, by the supervisor, as when assigned one by one.
    events = TimelineEvent.objects.filter(case_id__in=five, kind="assignment", actor=supervisor)
    assert events.count() == 5


def test_a_case_of_another_organisation_refuses_the_whole_request(
    client, org, other_org, busy, supervisor
):
    stranger = factories.case(other_org, factories.member(other_org))
    client.force_login(supervisor)
    mine = busy["cases"][0].pk
    response = client.post(
        "/team/assign/", {"cases": [mine, stranger.pk], "assignee": busy["dilnoza"].pk}
    )
    assert response.status_code == 400
    assert "cannot be found" in response.content.decode()
    assert Case.objects.get(pk=mine).assignee == busy["aziz"]
    assert Case.objects.get(pk=stranger.pk).assignee is None


@pytest.mark.parametrize(
    "data",
    [{}, {"cases": ["x"]}, {"cases": ["1"], "assignee": "999999"}],
    ids=["nothing ticked", "not a number", "not a member"],
)
def test_bad_input_is_a_form_error(client, org, busy, supervisor, data):
    client.force_login(supervisor)
    response = client.post("/team/assign/", data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_caseworkers_have_no_team_view(cw_client):
    assert cw_client.get("/team/").status_code == 403
    assert cw_client.post("/team/assign/", {"cases": ["1"]}).status_code == 403


def test_the_service_is_all_or_nothing(org, busy, supervisor):
    with pytest.raises(ValidationError):
        services.assign_cases(
            organisation=org, case_ids=[busy["cases"][0].pk, 10**9], assignee=None, by=supervisor
        )
    assert Case.objects.get(pk=busy["cases"][0].pk).assignee == busy["aziz"]
    changed = services.assign_cases(
        organisation=org, case_ids=[c.pk for c in busy["unassigned"]], assignee=busy["aziz"],
        by=supervisor,
    )  # fmt: skip
    assert changed == 2


def test_supervisors_reach_statistics_from_the_navigation(client, supervisor):
    client.force_login(supervisor)
    page = client.get("/").content.decode()
    assert 'href="/team/"' in page and 'href="/stats/"' in page
    assert client.get("/stats/").status_code == 200
