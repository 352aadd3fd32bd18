"""Small-cell suppression for tables that leave an organisation. Pure functions, no Django.

The rule, printed in every export:

1. **Primary suppression.** Every published count below k (zeros included) is hidden and shown
   as ``<k``.
2. **Complementary suppression.** Further cells (shown as ``x``) are hidden until no hidden
   cell can be worked out from the published cells and the row, column and grand totals.
   The grand total is never hidden this way (it is printed by every table of the same cases);
   a table that cannot be protected otherwise is withheld whole.

"Worked out" is defined precisely. A reader knows every published number, that the cells of a
row (column) add up to its total, that counts are non-negative integers, that a ``<k`` cell
lies in ``[0, k-1]`` and that an ``x`` cell is at least ``k`` (otherwise it would read ``<k``).
A hidden cell is *recoverable* when these facts leave it exactly one possible value.

How it is checked: put the totals into an (n+1) x (m+1) grid and negate the row and column
totals (not the grand total); then every line of the grid sums to zero. The values a reader
cannot see can change only by moves that keep every line sum at zero: the circulations of the
bipartite graph rows -> columns whose edges are the hidden cells. A hidden cell can take a
second value iff some circulation through it respects the bounds that are tight at the true
values, i.e. iff its edge lies on a directed cycle of the "room to move" graph (an arc
row -> column where the grid value may grow, column -> row where it may shrink). Because the
constraint matrix of a two-way table is totally unimodular, a second real value means a
second integer value too.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    PUBLISHED = "published"
    PRIMARY = "primary"  # below k: shown as "<k"
    COMPLEMENTARY = "complementary"  # hidden to protect a primary cell: shown as "x"
    WITHHELD = "withheld"  # the whole table is too small to publish safely: shown blank


COMPLEMENTARY_MARK = "x"


@dataclass(frozen=True)
class Cell:
    value: int
    status: Status = Status.PUBLISHED

    @property
    def hidden(self) -> bool:
        return self.status != Status.PUBLISHED

    def shown(self, k: int) -> int | str:
        """What a table outside the organisation prints for this cell."""
        if self.status == Status.PRIMARY:
            return f"<{k}"
        if self.status == Status.COMPLEMENTARY:
            return COMPLEMENTARY_MARK
        if self.status == Status.WITHHELD:
            return ""
        return self.value


@dataclass(frozen=True)
class SuppressedTable:
    """A two-way table of counts with its totals, each cell marked published or hidden."""

    k: int
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    col_totals: tuple[Cell, ...]
    total: Cell

    @property
    def withheld(self) -> bool:
        return self.total.status == Status.WITHHELD

    @property
    def any_hidden(self) -> bool:
        return any(cell.hidden for cell in self.all_cells())

    def all_cells(self) -> list[Cell]:
        interior = [cell for row in self.cells for cell in row]
        return [*interior, *self.row_totals, *self.col_totals, self.total]

    def grid_statuses(self) -> list[list[Status]]:
        """Statuses in the (n+1) x (m+1) layout: totals in the last row and column."""
        rows = [
            [cell.status for cell in row] + [self.row_totals[i].status]
            for i, row in enumerate(self.cells)
        ]
        rows.append([cell.status for cell in self.col_totals] + [self.total.status])
        return rows


def extended_grid(counts: Sequence[Sequence[int]]) -> list[list[int]]:
    """The counts with row totals appended to each row and a last row of column totals."""
    rows = [list(row) for row in counts]
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("every row needs the same number of cells")
    if any(value < 0 for row in rows for value in row):
        raise ValueError("counts cannot be negative")
    col_totals = [sum(row[j] for row in rows) for j in range(width)]
    grid = [[*row, sum(row)] for row in rows]
    grid.append([*col_totals, sum(col_totals)])
    return grid


def suppress(
    counts: Sequence[Sequence[int]],
    *,
    k: int,
    row_margin: Sequence[Status] | None = None,
    col_margin: Sequence[Status] | None = None,
) -> SuppressedTable:
    """Apply primary and complementary suppression to a table of counts (rows x columns).

    A one-way table is a table with one column; its row totals equal its cells.
    With k <= 1 nothing is hidden.

    Linked tables: when the one-way tables of the row and column categories are published too
    (`row_margin`, `col_margin`: their cells' statuses in this table's order, then their
    total's), the two-way table's totals take exactly their pattern and complements are only
    chosen inside the table. Together the tables then tell a reader nothing the two-way table
    alone does not, and that table is checked as usual.
    """
    grid = extended_grid(counts)
    n1, m1 = len(grid), len(grid[0])
    statuses = [[Status.PUBLISHED] * m1 for _ in range(n1)]
    linked = row_margin is not None or col_margin is not None
    if k > 1 and n1 > 1 and m1 > 1:
        for i in range(n1):
            for j in range(m1):
                if grid[i][j] < k:
                    statuses[i][j] = Status.PRIMARY
        withheld = False
        for margin, is_rows, length in ((row_margin, True, n1), (col_margin, False, m1)):
            if margin is None:
                continue
            if len(margin) != length or Status.WITHHELD in margin:
                withheld = True
                continue
            if margin[-1] != Status.PUBLISHED:
                statuses[n1 - 1][m1 - 1] = margin[-1]
            for index, status in enumerate(margin[:-1]):
                if status == Status.PUBLISHED:
                    continue
                if is_rows:
                    statuses[index][m1 - 1] = status
                else:
                    statuses[n1 - 1][index] = status
        if withheld or not _complete(grid, statuses, k, inner_only=linked):
            # Even with every cell hidden, the bounds alone pin a cell (tiny tables, e.g.
            # [[1, 1]] with k=2: two cells of at most 1 adding up to at least 2). Publish nothing.
            statuses = [[Status.WITHHELD] * m1 for _ in range(n1)]
    cells = tuple(
        tuple(Cell(grid[i][j], statuses[i][j]) for j in range(m1 - 1)) for i in range(n1 - 1)
    )
    return SuppressedTable(
        k=k,
        cells=cells,
        row_totals=tuple(Cell(grid[i][m1 - 1], statuses[i][m1 - 1]) for i in range(n1 - 1)),
        col_totals=tuple(Cell(grid[n1 - 1][j], statuses[n1 - 1][j]) for j in range(m1 - 1)),
        total=Cell(grid[n1 - 1][m1 - 1], statuses[n1 - 1][m1 - 1]),
    )


def recoverable_cells(
    grid: Sequence[Sequence[int]], statuses: Sequence[Sequence[Status]], k: int
) -> Iterator[tuple[int, int]]:
    """Hidden cells of an extended grid whose value a reader can work out (see module doc),
    lazily: `suppress` hides more cells until there is none."""
    arcs = _room_to_move(grid, statuses, k)
    for i, row in enumerate(statuses):
        for j, status in enumerate(row):
            if status != Status.PUBLISHED and not _on_cycle(arcs, (i, j)):
                yield i, j


# --- internals ----------------------------------------------------------------------------

Node = tuple[str, int]
Arcs = dict[Node, list[tuple[Node, tuple[int, int]]]]


def _bounds(value: int, status: Status, k: int) -> tuple[int, int | None]:
    if status == Status.PRIMARY:
        return 0, k - 1
    if status == Status.COMPLEMENTARY:
        return k, None
    return value, value


def _room_to_move(
    grid: Sequence[Sequence[int]], statuses: Sequence[Sequence[Status]], k: int
) -> Arcs:
    n1, m1 = len(grid), len(grid[0])
    arcs: Arcs = {}
    for i in range(n1):
        for j in range(m1):
            status = statuses[i][j]
            if status == Status.PUBLISHED:
                continue
            value = grid[i][j]
            lower, upper = _bounds(value, status, k)
            can_grow = upper is None or value < upper
            can_shrink = value > lower
            # Row and column totals are negated in the zero-sum grid; the grand total is not.
            negated = (i == n1 - 1) != (j == m1 - 1)
            grid_grows, grid_shrinks = (can_shrink, can_grow) if negated else (can_grow, can_shrink)
            row, col = ("r", i), ("c", j)
            if grid_grows:
                arcs.setdefault(row, []).append((col, (i, j)))
            if grid_shrinks:
                arcs.setdefault(col, []).append((row, (i, j)))
    return arcs


def _on_cycle(arcs: Arcs, cell: tuple[int, int]) -> bool:
    """Whether one of the cell's arcs u -> w closes a cycle w ~> u avoiding the cell itself."""
    row, col = ("r", cell[0]), ("c", cell[1])
    for start, goal in ((col, row), (row, col)):
        # Arc goal -> start exists for this cell? Then look for a path start ~> goal.
        if not any(edge == cell for _, edge in arcs.get(goal, [])):
            continue
        if _reaches(arcs, start, goal, avoid=cell):
            return True
    return False


def _reaches(arcs: Arcs, start: Node, goal: Node, *, avoid: tuple[int, int]) -> bool:
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt, edge in arcs.get(node, []):
            if edge == avoid or nxt in seen:
                continue
            if nxt == goal:
                return True
            seen.add(nxt)
            queue.append(nxt)
    return False


def _twins(cell: tuple[int, int], n1: int, m1: int) -> set[tuple[int, int]]:
    """The cell and the totals that repeat it: in a one-column table each row total equals its
    cell (and the column total the grand total); likewise in a one-row table. Twins are hidden
    together, since publishing one publishes the other."""
    i, j = cell
    twins = {cell}
    if m1 == 2:
        twins.add((i, 1 - j))
    if n1 == 2:
        twins.add((1 - i, j))
    if m1 == 2 and n1 == 2:
        twins.add((1 - i, 1 - j))
    return twins


def _complete(
    grid: list[list[int]], statuses: list[list[Status]], k: int, *, inner_only: bool = False
) -> bool:
    """Add complementary suppressions until no hidden cell is recoverable.

    Greedy, one cell at a time: for the first recoverable cell, hide the smallest published cell
    in its row or column (inner cells before totals) that makes it safe; if no single cell does,
    hide the smallest candidate and look again. Every round hides one more cell, so it ends.
    Returns False when a cell stays recoverable with everything hidden.
    """
    n1, m1 = len(grid), len(grid[0])
    # The grand total is never a complement: every table of the same cases prints it, so hiding
    # it in one table would not hide it at all.
    grand = (n1 - 1, m1 - 1)

    def is_total(rc: tuple[int, int]) -> bool:
        return rc[0] == n1 - 1 or rc[1] == m1 - 1

    def hide(rc: tuple[int, int], status: Status) -> None:
        for r, c in _twins(rc, n1, m1):
            statuses[r][c] = status

    while True:
        exposed = next(recoverable_cells(grid, statuses, k), None)
        if exposed is None:
            return True
        i, j = exposed
        line = [(i, c) for c in range(m1) if c != j] + [(r, j) for r in range(n1) if r != i]
        everywhere = [(r, c) for r in range(n1) for c in range(m1)]
        candidates: list[tuple[int, int]] = []
        for pool in (line, everywhere):
            candidates = [
                rc
                for rc in pool
                if statuses[rc[0]][rc[1]] == Status.PUBLISHED
                and not (inner_only and is_total(rc))
                and grand not in _twins(rc, n1, m1)
            ]
            if candidates:
                break
        if not candidates:
            return False
        candidates.sort(key=lambda rc: (is_total(rc), grid[rc[0]][rc[1]]))
        chosen = candidates[0]
        for candidate in candidates:
            hide(candidate, Status.COMPLEMENTARY)
            safe = _on_cycle(_room_to_move(grid, statuses, k), exposed)
            hide(candidate, Status.PUBLISHED)
            if safe:
                chosen = candidate
                break
        hide(chosen, Status.COMPLEMENTARY)
