"""Exports: no identifier leaves without the permission; CSV and XLSX agree; formulas are inert."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases.models import Case, Migrant
from stats import exports, queries
from stats.models import ExportJob
from tests.stats.conftest import PEOPLE, identifiers
from tests.stats.helpers import body, cells, parse_csv, parse_xlsx

DIMENSIONS = [key for key, dim in queries.DIMENSIONS.items() if not dim.network_only]
CROSS_TABS = [("problem", "citizenship"), ("gender", "region"), ("age_band", "problem")]
PERIOD = {"date_from": "2010-01-01"}


def _leaks(data: bytes, fmt: str) -> list[str]:
    found = []
    for cell in cells(data, fmt):
        for secret in identifiers():
            if secret.lower() in cell.lower():
                found.append(secret)
    return found


def _export_cases(client, user, *, kind="research", fmt="csv", reason="", lang="en"):
    client.force_login(user)
    return client.post(
        reverse("stats:export_cases") + "?date_from=2010-01-01",
        {"kind": kind, "fmt": fmt, "reason": reason},
        HTTP_ACCEPT_LANGUAGE=lang,
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_research_export_contains_no_identifier(client, world, export_dir, fmt):
    response = _export_cases(client, world["admin_a_ids"], fmt=fmt)
    assert response.status_code == 200
    data = body(response)
    assert _leaks(data, fmt) == []
    # ...but it is the real data: four cases of Org A, with age bands and regions.
    if fmt == "csv":
        _notes, table = parse_csv(data)
    else:
        table = parse_xlsx(data)["Cases"]
    assert len(table) == 1 + 4
    header = table[0]
    assert "Age at intake" in header and "Region of stay" in header
    assert {row[header.index("Region of stay")] for row in table[1:]} >= {"Moscow"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("audience", ["internal", "outside"])
def test_every_aggregate_export_contains_no_identifier(client, world, fmt, audience):
    client.force_login(world["admin_a"])
    tables = [(d, "") for d in DIMENSIONS] + CROSS_TABS
    for rows, cols in tables:
        params = {**PERIOD, "rows": rows, "cols": cols, "fmt": fmt, "audience": audience}
        response = client.get(reverse("stats:export_table"), params)
        assert response.status_code == 200, (rows, cols)
        assert _leaks(body(response), fmt) == [], (rows, cols)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_network_exports_contain_no_identifier(client, world, fmt):
    client.force_login(world["platform"])
    for rows in [*DIMENSIONS, "organisation"]:
        params = {**PERIOD, "rows": rows, "fmt": fmt, "scope": "network"}
        response = client.get(reverse("stats:export_table"), params)
        assert response.status_code == 200
        assert _leaks(body(response), fmt) == []


def test_full_export_is_not_offered_without_the_permission(client, world, export_dir):
    response = _export_cases(client, world["admin_a"], kind="full", reason="Court order 12/2026")
    assert response.status_code == 400
    assert not ExportJob.objects.exists()
    page = client.get(reverse("stats:export_cases"))
    assert b'value="full"' not in page.content


def test_full_export_asks_for_a_reason(client, world, export_dir):
    response = _export_cases(client, world["admin_a_ids"], kind="full", reason="")
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert not ExportJob.objects.exists()
    assert not AuditEvent.objects.filter(action="export.full").exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_full_export_with_permission_has_identifiers_and_is_audited(client, world, export_dir, fmt):
    reason = "Legal aid referral to ADC Memorial, case batch 7"
    response = _export_cases(client, world["admin_a_ids"], kind="full", fmt=fmt, reason=reason)
    assert response.status_code == 200
    text = " ".join(cells(body(response), fmt))
    for person in PEOPLE:
        assert person["full_name_latin"] in text
        assert person["passport_number"] in text
        assert person["phone"] in text
    event = AuditEvent.objects.get(action="export.full")
    assert event.actor == world["admin_a_ids"]
    assert event.organisation == world["org_a"]
    assert event.detail["reason"] == reason
    assert AuditEvent.objects.filter(action="export.download").count() == 1


def test_caseworkers_and_other_organisations_cannot_export(client, world, export_dir):
    client.force_login(world["caseworker_a"])
    assert client.get(reverse("stats:export_cases")).status_code == 403
    assert (
        client.get(reverse("stats:export_table"), {"rows": "problem", "fmt": "csv"}).status_code
        == 403
    )
    assert client.get(reverse("stats:dashboard")).status_code == 403


def test_pseudonyms_are_stable_within_an_export_and_differ_between_exports(
    client, world, export_dir
):
    first = parse_csv(body(_export_cases(client, world["admin_a"])))[1]
    second = parse_csv(body(_export_cases(client, world["admin_a"])))[1]
    column = first[0].index("Migrant pseudonym")
    ids_first = [row[column] for row in first[1:]]
    ids_second = [row[column] for row in second[1:]]
    # Zulfiya has two cases: one pseudonym twice; three migrants in all.
    assert len(set(ids_first)) == 3 and len(ids_first) == 4
    assert set(ids_first).isdisjoint(ids_second)


def test_formulas_in_data_are_neutralised(client, world, export_dir):
    _notes, table = parse_csv(body(_export_cases(client, world["admin_a"])))
    region = table[0].index("Region of stay")
    regions = {row[region] for row in table[1:]}
    assert '\'=HYPERLINK("http://x.test")' in regions
    assert not any(value.startswith(("=", "+", "@")) for row in table for value in row)
    client.force_login(world["admin_a"])
    response = client.get(
        reverse("stats:export_table"), {**PERIOD, "rows": "region", "fmt": "xlsx"}
    )
    sheet = parse_xlsx(body(response))["Table"]
    assert ['\'=HYPERLINK("http://x.test")', 1] in sheet
    assert exports.neutralise("-1+2") == "'-1+2"
    assert exports.neutralise(-3) == -3


@pytest.mark.parametrize("audience", ["internal", "outside"])
def test_xlsx_opens_and_matches_the_csv(client, world, audience):
    client.force_login(world["admin_a"])
    params = {**PERIOD, "rows": "problem", "cols": "citizenship", "audience": audience}
    csv_notes, csv_rows = parse_csv(
        body(client.get(reverse("stats:export_table"), {**params, "fmt": "csv"}))
    )
    sheets = parse_xlsx(body(client.get(reverse("stats:export_table"), {**params, "fmt": "xlsx"})))
    xlsx_rows = [["" if v is None else str(v) for v in row] for row in sheets["Table"]]
    assert xlsx_rows == csv_rows
    assert [row[0] for row in sheets["Notes"]] == csv_notes
    rule = next(note for note in csv_notes if "suppress" in note.lower())
    if audience == "outside":
        assert "k = 5" in rule and "<5" in rule
        assert "<5" in [v for row in csv_rows for v in row]
    else:
        assert "Not suppressed" in rule


def test_case_file_xlsx_matches_csv(world, tmp_path):
    pseudonym = exports.pseudonymiser(b"fixed-salt-for-the-comparison")
    columns = exports.columns_for(with_identifiers=False)
    rows = list(
        exports.case_rows(
            queries.cases(queries.Filters(organisation_ids=(world["org_a"].pk,))),
            with_identifiers=False,
            pseudonym=pseudonym,
        )
    )
    for fmt in ("csv", "xlsx"):
        exports.write_case_file(
            tmp_path / f"cases.{fmt}", fmt=fmt, notes=["n"], columns=columns, rows=iter(rows)
        )
    _notes, csv_rows = parse_csv((tmp_path / "cases.csv").read_bytes())
    xlsx = parse_xlsx((tmp_path / "cases.xlsx").read_bytes())["Cases"]
    assert [["" if v is None else str(v) for v in row] for row in xlsx] == csv_rows
    assert len(csv_rows) == 5


def test_bad_export_parameters_are_a_friendly_400(client, world):
    client.force_login(world["admin_a"])
    response = client.get(reverse("stats:export_table"), {"rows": "passport", "fmt": "csv"})
    assert response.status_code == 400
    response = client.get(
        reverse("stats:export_table"),
        {"rows": "problem", "fmt": "csv", "date_from": "2026-13-45"},
    )
    assert response.status_code == 400
    assert b"could not be made" in response.content


# Born / opened / closed (UTC) around local midnight (Europe/Moscow, UTC+3), month ends,
# 29 February and the band limits: the export counts on local calendar dates.
_DATE_EDGES = [
    (date(1996, 2, 29), datetime(2021, 2, 28, 20, 59, tzinfo=UTC), None),  # 24 (18–24)
    (date(1996, 2, 29), datetime(2021, 2, 28, 21, 0, tzinfo=UTC), None),  # 25 (25–29)
    (date(1999, 3, 15), datetime(2024, 3, 14, 20, 59, tzinfo=UTC), None),  # 24
    (date(1999, 3, 15), datetime(2024, 3, 14, 21, 0, tzinfo=UTC), None),  # 25
    (date(2001, 3, 1), datetime(2019, 2, 28, 21, 30, tzinfo=UTC), None),
    (date(2001, 3, 1), datetime(2019, 2, 28, 20, 30, tzinfo=UTC), None),
    (date(1999, 12, 31), datetime(2024, 12, 31, 21, 0, tzinfo=UTC), None),
    (date(1970, 1, 1), datetime(2020, 1, 31, 21, 0, tzinfo=UTC), None),
    (date(2030, 1, 1), datetime(2024, 6, 30, 20, 59, tzinfo=UTC), None),
    (None, datetime(2023, 3, 31, 20, 59, tzinfo=UTC), datetime(2023, 3, 31, 21, 1, tzinfo=UTC)),
    (date(1990, 5, 5), datetime(2023, 1, 1, tzinfo=UTC), datetime(2024, 2, 29, 22, tzinfo=UTC)),
]  # fmt: skip


@pytest.mark.parametrize(("born", "opened", "closed"), _DATE_EDGES)
def test_case_rows_count_dates_and_ages_on_the_local_calendar(world, born, opened, closed):
    """Months, days to resolution and the age band at intake are those of the local dates,
    as timezone.localtime and stats.queries.age_band give them."""
    case = world["cases"][0]
    Case.objects.filter(pk=case.pk).update(opened_at=opened, closed_at=closed)
    Migrant.objects.filter(pk=case.migrant_id).update(
        date_of_birth=born, birth_year=born and born.year
    )
    rows = exports.case_rows(
        queries.cases(queries.Filters(organisation_ids=(world["org_a"].pk,))),
        with_identifiers=False,
        pseudonym=exports.pseudonymiser(),
    )
    keys = [column.key for column in exports.columns_for(with_identifiers=False)]
    row = dict(zip(keys, next(iter(rows)), strict=True))
    local_opened = timezone.localtime(opened)
    local_closed = timezone.localtime(closed) if closed else None
    band = dict(queries.AGE_BANDS).get(
        queries.age_band(born and born.year, local_opened.date()), ""
    )
    assert row["opened_month"] == f"{local_opened:%Y-%m}"
    assert row["closed_month"] == (f"{local_closed:%Y-%m}" if closed else "")
    assert row["days_to_resolution"] == (
        (local_closed.date() - local_opened.date()).days if closed else ""
    )
    assert row["age_band"] == str(band)


def test_pseudonyms_are_keyed_and_stable_for_one_key():
    first, second = exports.pseudonymiser(b"k" * 100), exports.pseudonymiser(b"other key")
    assert first(42) == first(42) != first(43)
    assert first(42) != second(42)
    assert len(first(42)) == 16 and int(first(42), 16) >= 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_multi_response_facts_are_exported_as_json_arrays_of_labels(db, tmp_path, fmt):
    """Table 4.3 and 4.1 are multi-response: the answers go out as one JSON array per cell
    (not Python's repr of a list), in the vocabulary's labels; an unknown code is left out."""
    from tests import factories

    org = factories.organisation()
    worker = factories.member(org)
    facts = {
        "registration_obstacle": ["employer_refused", "no_valid_card"],
        "assistance_given": ["consultation"],
        "sought_help_before": ["diaspora", "police"],
    }
    factories.case(org, worker, problem_type="registration", extra_facts=facts)
    factories.case(org, worker, problem_type="unpaid_wages")
    # Stored before the forms checked the codes: one known, one invented.
    legacy = factories.case(org, worker, problem_type="registration")
    Case.objects.filter(pk=legacy.pk).update(
        extra_facts={"registration_obstacle": ["not_aware", "uncle Farrukh said no"]}
    )
    columns = exports.columns_for(with_identifiers=False)
    rows = exports.case_rows(
        queries.cases(queries.Filters(organisation_ids=(org.pk,))),
        with_identifiers=False,
        pseudonym=exports.pseudonymiser(),
    )
    path = tmp_path / f"cases.{fmt}"
    exports.write_case_file(path, fmt=fmt, notes=["n"], columns=columns, rows=rows)
    if fmt == "csv":
        _notes, table = parse_csv(path.read_bytes())
    else:
        table = [
            ["" if v is None else str(v) for v in row]
            for row in parse_xlsx(path.read_bytes())["Cases"]
        ]
    header, *lines = table
    answers = [
        {
            key: row[header.index(label)]
            for key, label in (
                ("obstacle", "Reason for not registering"),
                ("assistance", "Assistance given"),
                ("sought", "Sought help before from"),
            )
        }
        for row in lines
    ]
    recorded, nothing, old = answers
    assert json.loads(recorded["obstacle"]) == [
        "Employer refused to register",
        "No valid migration card",
    ]
    assert json.loads(recorded["assistance"]) == ["Legal consultation"]
    assert json.loads(recorded["sought"]) == ["Diaspora organisation", "Police"]
    assert nothing == {"obstacle": "", "assistance": "", "sought": ""}
    assert json.loads(old["obstacle"]) == ["Not aware of registration"]
    assert not [cell for cell in cells(path.read_bytes(), fmt) if "Farrukh" in cell]
