"""Small measuring tools shared by the benchmarks: percentiles, query counts, plans, RSS."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Timing:
    samples_ms: list[float] = field(default_factory=list)
    queries: int = 0

    @property
    def p50(self) -> float:
        return round(statistics.median(self.samples_ms), 2)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ms)
        return round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2)

    def as_dict(self) -> dict:
        return {"p50_ms": self.p50, "p95_ms": self.p95, "queries": self.queries}


def measure(call: Callable[[], object], *, repeats: int = 20, warmup: int = 2) -> Timing:
    """Time `call` `repeats` times after a warm-up; count the queries of one call."""
    for _ in range(warmup):
        call()
    timing = Timing()
    with CaptureQueriesContext(connection) as captured:
        call()
    timing.queries = len(captured.captured_queries)
    for _ in range(repeats):
        began = time.perf_counter()
        call()
        timing.samples_ms.append((time.perf_counter() - began) * 1000)
    return timing


def measure_alternating(
    calls: dict[str, Callable[[], object]], *, repeats: int = 20, warmup: int = 2
) -> dict[str, Timing]:
    """`measure` for several calls whose figures are compared, taking turns sample by sample
    so a change in the shared machine's load falls on all of them alike."""
    timings = {}
    for name, call in calls.items():
        for _ in range(warmup):
            call()
        timings[name] = Timing()
        with CaptureQueriesContext(connection) as captured:
            call()
        timings[name].queries = len(captured.captured_queries)
    for _ in range(repeats):
        for name, call in calls.items():
            began = time.perf_counter()
            call()
            timings[name].samples_ms.append((time.perf_counter() - began) * 1000)
    return timings


def explain(sql: str, params: tuple = ()) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 2) if denominator else float("inf")
