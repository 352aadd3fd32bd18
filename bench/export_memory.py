"""How the case-level research export scales: rows per second and resident memory growth of the
Django CSV export (stats.exports) beside PostgreSQL's own `COPY ... TO STDOUT` of the same rows.

    from bench.export_memory import measure
    print(measure())            # every case in the database; or organisation_id=...

For `make bench` (docs/benchmarks.md). Load data first with bench.generate. RSS is read from
/proc (Linux); "growth" is the highest RSS seen while exporting minus the RSS just before.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes() -> int:
    """Resident set size of this process now."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * _PAGE


class PeakRss:
    """Samples RSS when asked; remembers the start and the highest value seen."""

    def __init__(self) -> None:
        self.start = rss_bytes()
        self.peak = self.start

    def sample(self, *_args: Any) -> None:
        self.peak = max(self.peak, rss_bytes())

    @property
    def growth_mb(self) -> float:
        return round((self.peak - self.start) / 2**20, 1)


def measure_csv_export(
    *, organisation_id: int | None = None, directory: Path | None = None, every: int = 1000
) -> dict[str, Any]:
    """Stream the research export of the selected cases into a CSV file; time and RSS."""
    from stats import exports, queries

    filters = queries.Filters(
        organisation_ids=(organisation_id,) if organisation_id is not None else None
    )
    queryset = queries.cases(filters)
    directory = directory or Path(tempfile.mkdtemp(prefix="hamroh-bench-"))
    path = directory / "research.csv"
    rows = exports.case_rows(queryset, with_identifiers=False, pseudonym=exports.pseudonymiser())
    meter = PeakRss()
    started = time.perf_counter()
    written = exports.write_case_file(
        path,
        fmt="csv",
        notes=exports.case_notes(with_identifiers=False, context=[]),
        columns=exports.columns_for(with_identifiers=False),
        rows=rows,
        progress=meter.sample,
        every=every,
    )
    seconds = time.perf_counter() - started
    meter.sample()
    size = path.stat().st_size
    path.unlink()
    return {
        "method": "django csv (stats.exports)",
        "rows": written,
        "seconds": round(seconds, 2),
        "rows_per_s": round(written / seconds) if seconds else None,
        "rss_start_mb": round(meter.start / 2**20, 1),
        "rss_growth_mb": meter.growth_mb,
        "file_mb": round(size / 2**20, 1),
    }


def measure_copy(*, organisation_id: int | None = None, directory: Path | None = None) -> dict:
    """PostgreSQL COPY of the same rows (the research export's columns, raw codes) to a file."""
    from django.db import connection

    from stats import exports, queries

    if connection.vendor != "postgresql":
        return {"method": "postgres COPY", "skipped": "needs PostgreSQL"}
    filters = queries.Filters(
        organisation_ids=(organisation_id,) if organisation_id is not None else None
    )
    queryset = (
        queries.cases(filters)
        .annotate(**exports.coded_facts())
        .order_by("pk")
        .values_list(*exports._RESEARCH_FIELDS)
    )
    sql, params = queryset.query.sql_with_params()
    directory = directory or Path(tempfile.mkdtemp(prefix="hamroh-bench-"))
    path = directory / "copy.csv"
    meter = PeakRss()
    started = time.perf_counter()
    blocks = 0
    with connection.cursor() as cursor, path.open("wb") as handle:
        raw = cursor.cursor  # psycopg 3 cursor: COPY binds parameters client-side
        with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)", params) as copy:
            for block in copy:
                handle.write(block)
                blocks += 1
                if blocks % 64 == 0:
                    meter.sample()
    seconds = time.perf_counter() - started
    meter.sample()
    with path.open("rb") as handle:
        rows = sum(1 for _ in handle) - 1
    size = path.stat().st_size
    path.unlink()
    return {
        "method": "postgres COPY",
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds) if seconds else None,
        "rss_start_mb": round(meter.start / 2**20, 1),
        "rss_growth_mb": meter.growth_mb,
        "file_mb": round(size / 2**20, 1),
    }


def measure(*, organisation_id: int | None = None) -> list[dict[str, Any]]:
    """Both measurements, CSV export first."""
    return [
        measure_csv_export(organisation_id=organisation_id),
        measure_copy(organisation_id=organisation_id),
    ]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    import django

    django.setup()
    for result in measure():
        print(result)


if __name__ == "__main__":
    main()
