"""Multi-response facts (table 4.3's reasons for not registering, table 4.1's assistance and
earlier help): a case counts under each of its answers, recorded through the real service."""

from __future__ import annotations

import pytest

from stats import queries, tables
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_case_with_two_obstacles_counts_under_both():
    org = factories.organisation()
    worker = factories.member(org)
    factories.case(
        org,
        worker,
        problem_type="registration",
        extra_facts={
            "registration_obstacle": ["employer_refused", "no_valid_card"],
            "sought_help_before": ["diaspora"],
        },
    )
    factories.case(
        org,
        worker,
        problem_type="registration",
        extra_facts={"registration_obstacle": ["no_valid_card"]},
    )
    factories.case(org, worker, problem_type="unpaid_wages")
    filters = queries.Filters((org.pk,))
    table = tables.breakdown(filters, "registration_obstacle")
    counts = dict(zip(table.row_keys, (row[0] for row in table.counts), strict=True))
    assert counts["employer_refused"] == 1 and counts["no_valid_card"] == 2
    assert counts[queries.UNKNOWN] == 1 and table.total == 4 and table.counts_problems
    crossed = tables.breakdown(filters, "sought_help_before", "registration_obstacle")
    cells = {
        (r, c): crossed.counts[i][j]
        for i, r in enumerate(crossed.row_keys)
        for j, c in enumerate(crossed.col_keys)
    }
    assert cells[("diaspora", "employer_refused")] == 1 == cells[("diaspora", "no_valid_card")]
