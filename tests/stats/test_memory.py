"""Streaming keeps memory flat: exporting tens of thousands of cases must not hold them all.

On PostgreSQL each measurement runs in a fresh Python process against the test database, so
memory freed by the data generator cannot hide growth. Numbers are printed (pytest -s); the
asserts are on memory only, never on time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from bench.export_memory import measure_csv_export
from bench.generate import generate

CASES = 20_000
# On PostgreSQL the streamed figure is mostly fixed overhead (~3 MB) and rows are light, so the
# held list needs enough rows to be clearly larger than that overhead.
CASES_POSTGRES = 50_000
ROOT = Path(settings.BASE_DIR)
STREAM = "from bench.export_memory import measure_csv_export as m; r = m(every=500)"
HOLD = (
    "from bench.export_memory import rss_bytes; from stats import exports, queries; "
    "s = rss_bytes(); rows = list(exports.case_rows(queries.cases(queries.Filters(None)), "
    "with_identifiers=False, pseudonym=exports.pseudonymiser())); "
    "r = {'rows': len(rows), 'rss_growth_mb': round((rss_bytes() - s) / 2**20, 1)}"
)


def _fresh_process(code: str) -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    script = (
        "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        f"'advisor.settings'); django.setup(); {code}; print(json.dumps(r))"
    )
    env = {**os.environ, "DATABASE_URL": url, "ALLOW_DEV_SECRETS": "true", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True, timeout=600,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_research_export_streams_with_flat_memory(tmp_path):
    cases = CASES_POSTGRES if connection.vendor == "postgresql" else CASES
    generate(cases=cases, organisations=1, seed=3, checklist_per_case=0, reminders=False)
    if connection.vendor != "postgresql":
        # SQLite's test database lives in this process's memory: measure here.
        measure_csv_export(directory=tmp_path, every=500)  # warm-up
        streamed = measure_csv_export(directory=tmp_path, every=500)
        print(f"\nstreamed {CASES} rows in-process: {streamed}")
        assert streamed["rows"] == CASES
        assert streamed["rss_growth_mb"] < 40
        return
    streamed = _fresh_process(STREAM)
    held = _fresh_process(HOLD)
    print(f"\nstreamed {cases} rows: {streamed}\nheld in a list instead: {held}")
    assert streamed["rows"] == held["rows"] == cases
    assert streamed["rss_growth_mb"] < 40
    assert streamed["rss_growth_mb"] < held["rss_growth_mb"] / 2
