"""Small-cell suppression: property tests over random tables, checked by linear programming.

"Recoverable" is decided independently of stats.suppression: for every hidden cell we ask an LP
solver (scipy/HiGHS) for the least and greatest value it can take given everything a reader knows
(published cells, row/column/grand totals, non-negativity, `<k` cells in [0, k-1], `x` cells >= k).
The table's constraint matrix is totally unimodular, so the LP bounds are integers reached by
integer tables: min < max means the reader cannot tell the cell's value.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from stats.suppression import Status, extended_grid, recoverable_cells, suppress


def _value_range(grid, statuses, k, target):
    """(min, max) of one hidden cell given what a reader of the published table knows."""
    n1, m1 = len(grid), len(grid[0])
    hidden = [(i, j) for i in range(n1) for j in range(m1) if statuses[i][j] != Status.PUBLISHED]
    index = {cell: v for v, cell in enumerate(hidden)}
    lines = [[(i, j) for j in range(m1)] for i in range(n1)]
    lines += [[(i, j) for i in range(n1)] for j in range(m1)]
    a_eq, b_eq = [], []
    for line in lines:
        # The last cell of every line is its total: inner cells minus the total equals zero.
        row, rhs = np.zeros(len(hidden)), 0.0
        for position, cell in enumerate(line):
            sign = -1.0 if position == len(line) - 1 else 1.0
            if cell in index:
                row[index[cell]] += sign
            else:
                rhs -= sign * grid[cell[0]][cell[1]]
        a_eq.append(row)
        b_eq.append(rhs)
    bounds = [(0, k - 1) if statuses[i][j] == Status.PRIMARY else (k, None) for i, j in hidden]
    objective = np.zeros(len(hidden))
    objective[index[target]] = 1.0
    low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    assert low.status == 0, "the true table must be feasible"
    if high.status == 3:  # unbounded above: the cell can be as large as you like
        return round(low.fun), float("inf")
    assert high.status == 0
    return round(low.fun), round(-high.fun)


def _statuses(table):
    return table.grid_statuses()


tables = st.integers(1, 5).flatmap(
    lambda n: st.integers(1, 5).flatmap(
        lambda m: st.lists(
            st.lists(st.one_of(st.integers(0, 6), st.integers(0, 40)), min_size=m, max_size=m),
            min_size=n,
            max_size=n,
        )
    )
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(counts=tables, k=st.integers(2, 10))
def test_no_published_cell_is_below_k(counts, k):
    table = suppress(counts, k=k)
    for cell in table.all_cells():
        if not cell.hidden:
            assert cell.value >= k
        if cell.status == Status.PRIMARY:
            assert cell.value < k
        if cell.status == Status.COMPLEMENTARY:
            assert cell.value >= k
        if table.withheld:
            assert cell.status == Status.WITHHELD
    # The grand total is the same in every table of the same cases: never a complement.
    assert table.total.status != Status.COMPLEMENTARY


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(counts=tables, k=st.integers(2, 10))
def test_no_hidden_cell_can_be_recovered_from_the_totals(counts, k):
    table = suppress(counts, k=k)
    if table.withheld:
        assert all(cell.shown(k) == "" for cell in table.all_cells())
        return
    grid = extended_grid(counts)
    statuses = _statuses(table)
    for i, row in enumerate(statuses):
        for j, status in enumerate(row):
            if status == Status.PUBLISHED:
                continue
            low, high = _value_range(grid, statuses, k, (i, j))
            assert low <= grid[i][j] <= high
            assert low < high, f"cell {(i, j)} is pinned to {low} in {grid} / {statuses}"


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(counts=tables, k=st.integers(2, 10))
def test_the_graph_check_agrees_with_linear_programming(counts, k):
    """recoverable_cells() is what suppress() relies on; it must match the LP on any pattern."""
    grid = extended_grid(counts)
    # Only primary suppression: often leaves recoverable cells, which both checks must find.
    statuses = [[Status.PRIMARY if v < k else Status.PUBLISHED for v in row] for row in grid]
    found = set(recoverable_cells(grid, statuses, k))
    for i, row in enumerate(statuses):
        for j, status in enumerate(row):
            if status == Status.PUBLISHED:
                continue
            low, high = _value_range(grid, statuses, k, (i, j))
            assert ((i, j) in found) == (low == high)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(counts=tables, k=st.integers(2, 10))
def test_linked_one_way_tables_add_nothing_to_the_two_way_table(counts, k):
    """Published beside its one-way tables, a cross-tab keeps their pattern on its totals.

    The one-way tables then repeat published totals (or hide the same ones), so a reader of
    all three knows what a reader of the cross-tab knows, and the cross-tab is checked by LP.
    """
    rows = suppress([[sum(row)] for row in counts], k=k)
    cols = suppress([[sum(col)] for col in zip(*counts, strict=True)], k=k)
    row_pattern = [cell.status for (cell,) in rows.cells] + [rows.total.status]
    col_pattern = [cell.status for (cell,) in cols.cells] + [cols.total.status]
    table = suppress(counts, k=k, row_margin=row_pattern, col_margin=col_pattern)
    if table.withheld:
        return
    assert [c.status for c in table.row_totals] == row_pattern[:-1]
    assert [c.status for c in table.col_totals] == col_pattern[:-1]
    assert table.total.hidden == (rows.total.hidden or cols.total.hidden)
    grid = extended_grid(counts)
    statuses = table.grid_statuses()
    for i, line in enumerate(statuses):
        for j, status in enumerate(line):
            if status != Status.PUBLISHED:
                low, high = _value_range(grid, statuses, k, (i, j))
                assert low < high


def test_a_lone_small_cell_in_a_row_gets_a_complement():
    # 3 Kyrgyz women with one problem: hiding only the 3 would leave it as total minus the rest.
    table = suppress([[3, 20, 30], [12, 15, 40]], k=5)
    assert table.cells[0][0].shown(5) == "<5"
    row_hidden = [cell for cell in table.cells[0] if cell.hidden] + [table.row_totals[0]] * (
        table.row_totals[0].hidden
    )
    col_hidden = [table.cells[1][0], table.col_totals[0]]
    assert len(row_hidden) >= 2
    assert any(cell.hidden for cell in col_hidden)
    assert {c.shown(5) for c in table.all_cells() if c.status == Status.COMPLEMENTARY} == {"x"}


def test_a_table_without_small_cells_is_published_whole():
    table = suppress([[10, 20], [30, 40]], k=5)
    assert not table.any_hidden
    assert table.total.value == 100


def test_one_way_table_hides_a_second_category_and_never_the_total_alone():
    table = suppress([[2], [50], [60], [70]], k=5)
    hidden = [row[0] for row in table.cells if row[0].hidden]
    assert len(hidden) == 2
    assert hidden[1].value == 50  # the smallest other category is the complement


def test_a_table_too_small_to_protect_is_withheld_whole():
    # Two cells of at most 1 adding up to a hidden total of at least 2: both must be 1.
    table = suppress([[1, 1]], k=2)
    assert table.withheld
    assert {cell.shown(2) for cell in table.all_cells()} == {""}


def test_k_of_one_disables_suppression():
    assert not suppress([[0, 1], [2, 3]], k=1).any_hidden


def test_negative_or_ragged_counts_are_refused():
    with pytest.raises(ValueError):
        suppress([[1, -1]], k=5)
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]], k=5)
