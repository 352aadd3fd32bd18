"""The dashboard's figures come from a few grouped queries: the same numbers as the per-table
queries (which the aggregate exports still use), and a query count that does not grow."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseProblem, Membership
from stats import calls as stats_calls
from stats import dashboard, figures, queries, tables
from tests import factories

PROBLEMS = ["unpaid_wages", "unpaid_wages", "registration", "patent", "detention", "other"]
OUTCOMES = ["resolved", "partly_resolved", "not_resolved", "referred", "lost_contact"]


@pytest.fixture
def casework(db):
    """Two organisations; cases over a year with every status, outcomes, odd and even counts
    of closed cases per problem (both ways of taking a median) and people with gaps."""
    org, other = factories.organisation(), factories.organisation()
    admin = factories.member(org, Membership.Role.ADMIN)
    worker, other_worker = factories.member(org), factories.member(other)
    people = [
        factories.migrant(
            org,
            worker,
            citizenship=("TJ", "UZ", "KG")[i % 3],
            gender=("male", "female", "other")[i % 3],
            date_of_birth=None if i % 4 == 0 else date(1960 + 5 * i, 1 + i % 12, 1 + i),
            region=("Moscow", "", "Sverdlovsk Oblast")[i % 3],
            sector=("construction", "", "agriculture")[i % 3],
        )
        for i in range(9)
    ]
    statuses = [s for s, _label in Case.Status.choices]
    now = timezone.now()
    for i in range(41):
        case = factories.case(
            org,
            worker,
            people[i % len(people)],
            problem_type=PROBLEMS[i % len(PROBLEMS)],
            # Every fourth case has a second problem: it counts under both.
            other_problem_types=("documents_confiscated",) if i % 4 == 0 else (),
        )
        status = statuses[i % len(statuses)]
        opened = now - timedelta(days=9 * i, hours=i)
        fields = {"status": status, "opened_at": opened}
        if status in Case.CLOSED_STATUSES:
            fields["outcome"] = OUTCOMES[i % len(OUTCOMES)]
            fields["closed_at"] = opened + timedelta(days=i % 13, hours=3 * i, minutes=i)
        Case.objects.filter(pk=case.pk).update(**fields)
    for _ in range(3):
        factories.case(other, other_worker, problem_type="trafficking")
    return {"org": org, "other": other, "admin": admin}


def _per_table(filters: queries.Filters, network: bool) -> dashboard.Dashboard:
    """What the dashboard showed before it was computed in one pass: one query per table."""
    keys = ["problem", *dashboard._DASHBOARD_BREAKDOWNS, *(["organisation"] if network else [])]
    return dashboard.Dashboard(
        opened=figures.opened_per_month(filters),
        closed=figures.closed_per_month(filters),
        medians=figures.median_days_to_resolution(filters),
        tables=[
            figures.open_by_status(filters),
            *(tables.breakdown(filters, key) for key in keys),
            figures.outcomes_by_problem(filters),
            figures.overdue_deadlines(filters),
            figures.reminders_by_channel(filters),
            stats_calls.calls_by_topic(filters),
            stats_calls.calls_by_language(filters),
        ],
    )


def _filter_sets(casework) -> list[tuple[queries.Filters, bool]]:
    today = timezone.localdate()
    org = (casework["org"].pk,)
    return [
        (queries.Filters(org), False),
        (queries.Filters(org, date_from=today - timedelta(days=200), date_to=today), False),
        (queries.Filters(org, problem="unpaid_wages"), False),
        (queries.Filters(org, citizenship="UZ", region="Moscow"), False),
        (queries.Filters(None), True),
        (queries.Filters(None, date_from=today - timedelta(days=90)), True),
    ]


def test_the_one_pass_dashboard_equals_the_per_table_queries(casework):
    for filters, network in _filter_sets(casework):
        combined = dashboard.dashboard(filters, network=network)
        expected = _per_table(filters, network)
        assert combined.opened == expected.opened, filters
        assert combined.closed == expected.closed, filters
        assert combined.medians == expected.medians, filters
        assert [t.key for t in combined.tables] == [t.key for t in expected.tables]
        for got, want in zip(combined.tables, expected.tables, strict=True):
            assert got == want, (filters, got.key)
    medians = dashboard.dashboard(_filter_sets(casework)[0][0]).medians
    assert medians[0].cases > 0 and medians[0].days is not None


def test_a_case_counts_in_the_median_of_each_of_its_problems(db):
    """Two closed cases: wages alone (10 days), wages with a held passport (20 days). The
    passport's median is 20 days (1 case), the wages' 15 (2 cases), all problems 15 (2)."""
    org = factories.organisation()
    worker = factories.member(org)
    now = timezone.now()
    for days, others in ((10, ()), (20, ("documents_confiscated",))):
        case = factories.case(org, worker, problem_type="unpaid_wages", other_problem_types=others)
        Case.objects.filter(pk=case.pk).update(
            status=Case.Status.CLOSED,
            outcome="resolved",
            opened_at=now - timedelta(days=days),
            closed_at=now,
        )
    filters = queries.Filters((org.pk,))
    for medians in (
        dashboard.dashboard(filters).medians,
        figures.median_days_to_resolution(filters),
    ):
        by_label = {m.label: (m.days, m.cases) for m in medians}
        assert by_label["All problems"] == (15.0, 2)
        assert by_label["Unpaid wages"] == (15.0, 2)
        assert by_label["Passport or documents confiscated"] == (20.0, 1)
        assert by_label["Registration problem"] == (None, 0)


def test_grouping_sets_and_the_portable_union_count_alike(casework):
    filters = queries.Filters((casework["org"].pk,))
    columns = {key: queries.DIMENSIONS[key].annotate for key in ("problem", "age_band")}
    columns["month"] = dashboard._opened_month
    sets = [("problem", "age_band"), ("month",), ("age_band",)]
    portable = dashboard.grouped_counts(queries.cases(filters), columns, sets, grouping_sets=False)
    # A case counts once per problem.
    problem_rows = CaseProblem.objects.filter(case__in=queries.cases(filters)).count()
    assert sum(portable[0].values()) == problem_rows > queries.cases(filters).count()
    if connection.vendor == "postgresql":
        native = dashboard.grouped_counts(queries.cases(filters), columns, sets, grouping_sets=True)
        assert native == portable


def test_the_dashboard_makes_a_fixed_number_of_queries(client, casework):
    """Eight queries for the figures, whatever the number of cases or categories (the problems
    have their own: joining them counts a case under each of its problems; the calls two)."""
    client.force_login(casework["admin"])
    url = reverse("stats:dashboard")
    client.get(url)  # warm caches (content types, translations)
    with CaptureQueriesContext(connection) as page:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as figures:
        dashboard.dashboard(queries.Filters((casework["org"].pk,)))
    # PostgreSQL: the grouped query and the medians each run in their own transaction
    # (SAVEPOINT in a test) with more work_mem (SET LOCAL): six statements that are not a scan.
    extra = 6 if connection.vendor == "postgresql" else 0
    assert len(figures) == 8 + extra, [q["sql"] for q in figures]
    # The page: the figures, the user, the memberships and the page's own (the session is
    # read from the cache: cached_db sessions).
    assert len(page) == 12 + extra, [q["sql"] for q in page]


def test_age_bands_in_the_database_match_the_python_rule(db):
    """Ages by year of birth (the date itself is encrypted): the local year of opening counts."""
    org = factories.organisation()
    worker = factories.member(org)
    # Half past midnight on New Year's Day in Moscow is still 2024 in UTC: 2025 counts.
    opened = timezone.make_aware(timezone.datetime(2025, 1, 1, 0, 30))
    births = [
        None,
        date(2007, 12, 31),  # 18 in 2025
        date(2008, 1, 1),  # 17
        date(2000, 6, 1),  # 25
        date(2001, 2, 28),  # 24
        date(1975, 3, 1),  # 50
        date(1976, 3, 2),  # 49
        date(2025, 1, 2),  # after the opening (a typo), but it must land somewhere
    ]
    expected: dict[str, int] = {}
    for born in births:
        person = factories.migrant(org, worker, date_of_birth=born)
        case = factories.case(org, worker, person)
        Case.objects.filter(pk=case.pk).update(opened_at=opened)
        band = queries.age_band(born and born.year, timezone.localtime(opened).date())
        expected[band] = expected.get(band, 0) + 1
    assert expected[queries.UNKNOWN] == 1 and expected["18_24"] == 2 and expected["50_plus"] == 1
    table = tables.breakdown(queries.Filters((org.pk,)), "age_band")
    got = {key: row[0] for key, row in zip(table.row_keys, table.counts, strict=True) if row[0]}
    assert got == expected


def test_a_cross_tab_and_its_margins_come_from_one_query(casework):
    for filters, _network in _filter_sets(casework):
        for rows, cols in [("problem", "gender"), ("age_band", "outcome"), ("region", "month")]:
            with CaptureQueriesContext(connection) as captured:
                table, by_row, by_col = tables.breakdown_with_margins(filters, rows, cols)
            # Summed over the problems, the gender margin would count a case with two
            # problems twice: it has a query of its own.
            assert len(captured) == (2 if rows == "problem" else 1)
            assert table == tables.breakdown(filters, rows, cols)
            assert by_row == tables.breakdown(filters, rows)
            assert by_col == tables.breakdown(filters, cols)
