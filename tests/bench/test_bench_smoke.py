"""The benchmark harness on a few hundred cases, so it cannot rot between benchmark runs.

No timed assertions (the machine is shared): the checks are that every measurement runs on
real data and reports figures that agree with the database.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from bench import export_memory, measures, report
from bench.__main__ import machine
from bench.generate import generate
from cases.models import Case, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(settings):
    settings.MFA_ENFORCED = False  # the statistics page is measured as the organisation's admin
    call_command("load_rules", verbosity=0, stdout=io.StringIO())
    summary = generate(cases=300, organisations=2, seed=7)
    organisation = Organisation.objects.get(pk=summary.organisation_ids[0])
    return measures.make_context(organisation, repeats=2)


def test_case_list_reports_a_deep_page_and_constant_queries(ctx):
    result = measures.case_list(ctx)

    assert result["org_cases"] == Case.objects.filter(organisation=ctx.organisation).count()
    assert result["deep_offset"] > 0
    queries = result["queries_by_page_size"]
    assert set(queries) == {25, 100}
    assert len(set(queries.values())) == 1, queries  # keyset paging: no query per row
    assert result["first"]["p95_ms"] > 0 and result["deep"]["p95_ms"] > 0
    # The signed-in floor went through the sign-in (a user and memberships read), no more.
    signed_in = result["signed_in"]
    assert signed_in["p95_ms"] > 0 and 0 < signed_in["queries"] < result["first"]["queries"]
    assert result["first_over_signed_in"] == round(result["first"]["per_s"] / signed_in["per_s"], 2)
    assert "cases_case" in result["deep_plan"]


def test_search_finds_the_same_people_in_every_spelling(ctx):
    result = measures.search(ctx)

    assert set(result) == set(measures.SEARCH_TERMS)
    # Cyrillic, Latin and the doubled-letter misspelling fold to the same skeleton.
    assert result["cyrillic"]["matches"] == result["latin"]["matches"]
    assert result["misspelt"]["matches"] == result["latin"]["matches"]
    assert all(r["plan"] and r["queries"] > 0 for r in result.values())


def test_every_measurement_runs_and_the_report_renders(ctx):
    results = {
        "cases": 300,
        "organisations": 2,
        "seed": 7,
        "repeats": 2,
        "command": "pytest",
        "finished": "now",
        "wall_seconds": 0,
        "load": {
            "seconds": 1.0,
            "cases_per_s": 300,
            "rows": 300,
            "rows_per_s": 300,
            "projected_1m_minutes": 55.6,
            "summary": {},
        },
        "machine": machine(),
        "ping": measures.ping(ctx),
        "case_list": measures.case_list(ctx),
        "search": measures.search(ctx),
        "plan": measures.plan(ctx),
        "stats": measures.stats(ctx),
        "migrant_page": measures.migrant_page(ctx),
        "export": export_memory.measure(),
        "resync": measures.resync(target=20),
    }

    assert results["ping"]["queries"] == 0 and results["ping"]["per_s"] > 0
    assert results["plan"]["items"] > 0 and results["plan"]["plan_read"]["queries"] > 0
    # The search step opens three cases for its selective name, after the list was measured.
    selective = Case.objects.filter(migrant__full_name_latin=measures.SELECTIVE[0]).count()
    assert selective == 3
    assert results["stats"]["org_cases"] == results["case_list"]["org_cases"] + selective
    assert results["search"]["selective"]["matches"] == selective
    page = results["migrant_page"]
    assert 0 < page["html_gzip"] < page["html_bytes"] and page["requests"] >= 1
    ours, copy = results["export"]
    assert ours["rows"] == Case.objects.count()
    if connection.vendor == "postgresql":
        assert copy["rows"] == ours["rows"]
    resync = results["resync"]
    assert resync["cases"] >= 20 and resync["state"] == "done"

    text = report.render(results)
    assert "| Case list page 1" in text and "| Name search, cyrillic" in text
    assert "| Case list page 1 throughput against a signed-in bare view" in text
    assert "## Machine" in text and "python -m bench --full" in text
