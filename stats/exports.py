"""Export files: aggregate tables (suppressed when they leave the organisation) and case-level
research and full exports, as CSV or XLSX. Rows stream from the database (`iterator()`) into the
file, so memory stays flat however many cases there are.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from cases.models import Case, Migrant
from stats import vocab
from stats.queries import AGE_BANDS, band_of_age
from stats.suppression import Status, suppress
from stats.tables import CountTable

# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: Any) -> Any:
    """A value that a spreadsheet shows as text, never runs: risky strings get a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# --- aggregate tables ---------------------------------------------------------------------


@dataclass(frozen=True)
class ShownTable:
    """A count table as printed: suppressed cells replaced by `<k` / `x` when k is set."""

    key: str
    title: str
    row_label: str
    row_labels: list[str]
    col_labels: list[str]
    rows: list[list[int | str]]
    row_totals: list[int | str]
    col_totals: list[int | str]
    total: int | str
    k: int | None
    has_primary: bool
    has_complementary: bool
    withheld: bool

    @property
    def one_way(self) -> bool:
        return len(self.col_labels) == 1

    def header(self) -> list[str]:
        extra = [] if self.one_way else [_("Total")]
        return [self.row_label, *self.col_labels, *extra]

    def body(self) -> list[list[int | str]]:
        """Data rows then the total row, as exported (row totals only for two-way tables)."""
        lines: list[list[int | str]] = []
        for label, row, total in zip(self.row_labels, self.rows, self.row_totals, strict=True):
            lines.append([label, *row] if self.one_way else [label, *row, total])
        last = [_("Total"), *self.col_totals]
        lines.append(last if self.one_way else [*last, self.total])
        return lines

    def numeric(self, column: int = 0) -> list[int | None]:
        """One column's published numbers for a chart: None where hidden."""
        return [v if isinstance(v, int) else None for v in (row[column] for row in self.rows)]


def _margin_pattern(margin: CountTable | None, keys: Sequence[Any], k: int) -> list[Status] | None:
    """The suppression pattern of a published one-way table, in `keys` order, then its total."""
    if margin is None:
        return None
    result = suppress(margin.counts, k=k) if margin.counts else None
    if result is None:
        return [Status.WITHHELD]
    by_key = {key: row[0].status for key, row in zip(margin.row_keys, result.cells, strict=True)}
    if set(by_key) != set(keys):
        return [Status.WITHHELD]
    return [by_key[key] for key in keys] + [result.total.status]


def present(
    table: CountTable,
    *,
    k: int | None,
    row_margin: CountTable | None = None,
    col_margin: CountTable | None = None,
) -> ShownTable:
    """Apply suppression (when k is given) and return what may be printed.

    `row_margin` / `col_margin`: the one-way tables of the same cases by the row (column)
    dimension, when those are published too (the dashboard's breakdowns); the cross-tab then
    hides its totals exactly as they do (see suppression.suppress).
    """
    effective_k = k if k is not None else 0
    if not table.counts:
        # No rows at all (e.g. no reminders yet): the only number is a total of 0, below k.
        empty: int | str = f"<{k}" if k and k > 1 else 0
        return ShownTable(
            table.key, table.title, table.row_label, [], table.col_labels, [], [],
            [empty] * len(table.col_labels), empty, k, empty != 0, False, False,
        )  # fmt: skip
    linked = {}
    if k and k > 1:
        linked = {
            "row_margin": _margin_pattern(row_margin, table.row_keys, k),
            "col_margin": _margin_pattern(col_margin, table.col_keys, k),
        }
    result = suppress(table.counts, k=effective_k, **linked)
    statuses = {cell.status for cell in result.all_cells()}
    return ShownTable(
        key=table.key,
        title=table.title,
        row_label=table.row_label,
        row_labels=table.row_labels,
        col_labels=table.col_labels,
        rows=[[cell.shown(effective_k) for cell in row] for row in result.cells],
        row_totals=[cell.shown(effective_k) for cell in result.row_totals],
        col_totals=[cell.shown(effective_k) for cell in result.col_totals],
        total=result.total.shown(effective_k),
        k=k,
        has_primary=Status.PRIMARY in statuses,
        has_complementary=Status.COMPLEMENTARY in statuses,
        withheld=result.withheld,
    )


def suppression_note(k: int | None) -> str:
    if k is None:
        return _(
            "Not suppressed: exact counts for internal use in the organisation. "
            "Do not share outside the organisation."
        )
    return _(
        "Small-cell suppression, k = %(k)s: every count below %(k)s (including 0) is shown as "
        "<%(k)s. Cells marked x are hidden as well (complementary suppression), so that no <%(k)s "
        "cell can be worked out from the row, column and grand totals. A table too small to "
        "protect is left blank."
    ) % {"k": k}


def aggregate_notes(table: ShownTable, context: Sequence[str]) -> list[str]:
    return [
        f"Hamroh — {table.title}",
        *context,
        _("Counting unit: cases (one migrant may have several cases)."),
        suppression_note(table.k),
        _("Generated: %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")},
    ]


def comment_lines(notes: Sequence[str]) -> str:
    """The notes as a block of lines each starting with `#`, never quoted, so that readers told
    to skip comments (pandas `comment="#"`, R `comment.char="#"`, csvkit) skip exactly them."""
    return "".join(f"# {' '.join(str(note).split())}\r\n" for note in notes)


def aggregate_csv(table: ShownTable, notes: Sequence[str]) -> bytes:
    """The table as CSV: `#` note lines first, then the header, the rows and the total row."""
    buffer = io.StringIO()
    buffer.write(comment_lines(notes))
    writer = csv.writer(buffer)
    writer.writerow([neutralise(v) for v in table.header()])
    for line in table.body():
        writer.writerow([neutralise(v) for v in line])
    return buffer.getvalue().encode("utf-8-sig")  # BOM: spreadsheets then read Cyrillic right


def aggregate_xlsx(table: ShownTable, notes: Sequence[str]) -> bytes:
    """The table as XLSX: a data sheet and a Notes sheet carrying the rule and k."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Table")[:31])
    sheet.append([neutralise(v) for v in table.header()])
    for line in table.body():
        sheet.append([neutralise(v) for v in line])
    notes_sheet = workbook.create_sheet(_("Notes")[:31])
    for note in notes:
        notes_sheet.append([neutralise(note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- case-level exports -------------------------------------------------------------------


def pseudonymiser(salt: bytes | None = None) -> Callable[[int], str]:
    """Migrant id -> pseudonym, stable within one export, unlinkable across exports.

    The key is random per export and never stored, so nobody (us included) can map a pseudonym
    back to a migrant or match two exports. The pseudonym is keyed BLAKE2b (a keyed MAC, like
    HMAC but one hash pass) of the id, 64 bits as 16 hex digits; the keyed state is set up
    once and copied per id.
    """
    key = salt or secrets.token_bytes(32)
    if len(key) > hashlib.blake2b.MAX_KEY_SIZE:
        key = hashlib.blake2b(key).digest()
    keyed = hashlib.blake2b(key=key, digest_size=8)

    def pseudonym(migrant_id: int) -> str:
        state = keyed.copy()
        state.update(b"%d" % migrant_id)
        return state.hexdigest()

    return pseudonym


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation: the header follows the export's language


def _c(key: str, label: Any) -> Column:
    return Column(key, label)


RESEARCH_COLUMNS = [
    _c("migrant_pseudonym", gettext_lazy("Migrant pseudonym")),
    _c("problem", gettext_lazy("Problem")),
    _c("status", gettext_lazy("Status")),
    _c("outcome", gettext_lazy("Outcome")),
    _c("priority", gettext_lazy("Priority")),
    _c("opened_month", gettext_lazy("Month opened")),
    _c("closed_month", gettext_lazy("Month closed")),
    _c("days_to_resolution", gettext_lazy("Days to resolution")),
    _c("citizenship", gettext_lazy("Citizenship")),
    _c("gender", gettext_lazy("Gender")),
    _c("age_band", gettext_lazy("Age at intake")),
    _c("region", gettext_lazy("Region of stay")),
    _c("sector", gettext_lazy("Sector")),
    _c("language", gettext_lazy("Preferred language")),
    _c("passport_holder", gettext_lazy("Who holds the passport")),
    _c("migration_card", gettext_lazy("Migration card")),
    # Multi-response facts: a JSON array of the answers' labels (["…", "…"]), empty if none.
    _c("registration_obstacle", gettext_lazy("Reason for not registering")),
    _c("assistance_given", gettext_lazy("Assistance given")),
    _c("sought_help_before", gettext_lazy("Sought help before from")),
]
IDENTIFIER_COLUMNS = [
    _c("case_number", gettext_lazy("Case number")),
    _c("full_name_latin", gettext_lazy("Full name (Latin)")),
    _c("full_name_cyrillic", gettext_lazy("Full name (Cyrillic)")),
    _c("date_of_birth", gettext_lazy("Date of birth")),
    _c("phone", gettext_lazy("Phone")),
    _c("phone_secondary", gettext_lazy("Second phone")),
    _c("email", gettext_lazy("Email")),
    _c("telegram", gettext_lazy("Telegram")),
    _c("passport_number", gettext_lazy("Passport number")),
    _c("city", gettext_lazy("City")),
    _c("host_address", gettext_lazy("Address of stay")),
    _c("employer_name", gettext_lazy("Employer")),
    _c("summary", gettext_lazy("Summary")),
]
_RESEARCH_FIELDS = [
    "migrant_id",
    "problem_type",
    "status",
    "outcome",
    "priority",
    "opened_at",
    "closed_at",
    "migrant__citizenship",
    "migrant__gender",
    "migrant__birth_year",
    "migrant__region",
    "migrant__sector",
    "migrant__preferred_language",
    "passport_holder",
    "fact_migration_card",
    "fact_registration_obstacle",
    "fact_assistance_given",
    "fact_sought_help_before",
]
_IDENTIFIER_FIELDS = [
    "number",
    "migrant__full_name_latin",
    "migrant__full_name_cyrillic",
    "migrant__date_of_birth",
    "migrant__phone",
    "migrant__phone_secondary",
    "migrant__email",
    "migrant__telegram",
    "migrant__passport_number",
    "migrant__city",
    "host_address",
    "employer_name",
    "summary",
]


def columns_for(*, with_identifiers: bool) -> list[Column]:
    return RESEARCH_COLUMNS + (IDENTIFIER_COLUMNS if with_identifiers else [])


class _Labels(dict):
    """Code -> label as exported (neutralised). An unknown code is exported as `fallback`, or
    as the code itself (neutralised) when `fallback` is None."""

    def __init__(self, choices: Iterable[tuple[Any, Any]], fallback: str | None = None) -> None:
        super().__init__((code, neutralise(str(label))) for code, label in choices)
        self.fallback = fallback
        for blank in ("", None):  # the usual unknowns: answered without a Python call
            self.setdefault(blank, self.__missing__(blank))

    def __missing__(self, code: Any) -> Any:
        return neutralise(code) if self.fallback is None else self.fallback


class _Memo(dict):
    """key -> function(key), computed once per distinct key. For keys with few distinct values
    (dates, regions); it starts afresh past `limit` keys, so memory stays bounded."""

    def __init__(self, function: Callable[[Any], Any], limit: int = 50_000) -> None:
        super().__init__()
        self.function = function
        self.limit = limit

    def __missing__(self, key: Any) -> Any:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.function(key)
        return value


class _AgeLabels(dict):
    """Age in full years -> the label of its band (ages below 0 and above 129 too)."""

    def __init__(self, labels: dict[str, str]) -> None:
        super().__init__((age, labels[band_of_age(age)]) for age in range(130))
        self.labels = labels

    def __missing__(self, age: int) -> str:
        return self.labels[band_of_age(age)]


def _opened(day: date) -> tuple[int, str]:
    return day.year, f"{day:%Y-%m}"


def _month(day: date) -> str:
    return f"{day:%Y-%m}"


class _LocalDate(TruncDate):
    """TruncDate without its per-row Python converter on PostgreSQL, whose `::date` already
    arrives as a datetime.date (the converter only turns datetimes into dates). A query with no
    converters at all skips Django's per-row converter loop."""

    def get_db_converters(self, connection):
        converters = super().get_db_converters(connection)
        if connection.vendor == "postgresql":
            converters = [c for c in converters if c != self.convert_value]
        return converters


CODED_FACTS = ("migration_card", "registration_obstacle", "assistance_given", "sought_help_before")


def coded_facts() -> dict[str, KT]:
    """The coded facts an export reads out of `extra_facts`, as `fact_<name>` columns."""
    return {f"fact_{name}": KT(f"extra_facts__{name}") for name in CODED_FACTS}


def _row_query(queryset: QuerySet[Case], fields: Sequence[str], chunk_size: int) -> Iterator:
    """The export's columns as tuples, straight from the database (no model instances).

    The open and close dates are turned into local calendar dates inside the database (the
    current time zone, as timezone.localtime would), so no aware datetime is built per row.
    Only the coded facts are read out of `extra_facts`, so free text that a caseworker put
    there never reaches an export.
    """
    zone = timezone.get_current_timezone()
    fields = [
        {"opened_at": "export_opened_on", "closed_at": "export_closed_on"}.get(f, f) for f in fields
    ]
    return (
        queryset.annotate(
            **coded_facts(),
            export_opened_on=_LocalDate("opened_at", tzinfo=zone),
            export_closed_on=_LocalDate("closed_at", tzinfo=zone),
        )
        .order_by("pk")
        .values_list(*fields)
        .iterator(chunk_size=chunk_size)
    )


def case_rows(
    queryset: QuerySet[Case],
    *,
    with_identifiers: bool,
    pseudonym: Callable[[int], str],
    chunk_size: int = 1000,
) -> Iterator[list[Any]]:
    """One list per case, in the order of `columns_for`. Streams with a server-side cursor.

    Every value is final (labelled, neutralised) when yielded. The per-row work is kept to
    dict look-ups: labels are looked up in prepared dicts, months and day numbers are computed
    once per distinct date, the age band comes from integer arithmetic.
    """
    fields = _RESEARCH_FIELDS + (_IDENTIFIER_FIELDS if with_identifiers else [])
    rows = _row_query(queryset, fields, chunk_size)
    problems = _Labels(Case.ProblemType.choices)
    statuses = _Labels(Case.Status.choices)
    outcomes = _Labels((c for c in Case.Outcome.choices if c[0]), fallback="")
    priorities = _Labels(Case.Priority.choices)
    genders = _Labels(Migrant.Gender.choices)
    sectors = _Labels((c for c in Migrant.Sector.choices if c[0]), fallback="")
    languages = _Labels(Migrant.Language.choices)
    holders = _Labels((c for c in Case.PassportHolder.choices if c[0]), fallback="")
    cards = _Labels(vocab.MIGRATION_CARD, fallback="")
    obstacles = _Memo(_answers_labeller(vocab.REGISTRATION_OBSTACLES))
    assistance = _Memo(_answers_labeller(vocab.ASSISTANCE_GIVEN))
    sought = _Memo(_answers_labeller(vocab.SOUGHT_HELP_BEFORE))
    countries = _Labels(vocab.CITIZENSHIPS.items())
    ages = _AgeLabels(_Labels(AGE_BANDS, fallback=""))
    opened_days = _Memo(_opened)
    closed_months = _Memo(_month)
    regions = _Memo(neutralise)
    research = len(_RESEARCH_FIELDS)
    for row in rows:
        (
            migrant_id, problem, status, outcome, priority, opened, closed, citizenship,
            gender, born, region, sector, language, holder, card, obstacle, assisted,
            sought_before,
        ) = row[:research] if with_identifiers else row  # fmt: skip
        opened_year, opened_month = opened_days[opened]
        out: list[Any] = [
            pseudonym(migrant_id),
            problems[problem],
            statuses[status],
            outcomes[outcome],
            priorities[priority],
            opened_month,
            closed_months[closed] if closed else "",
            (closed - opened).days if closed else "",
            countries[citizenship],
            genders[gender],
            "" if born is None else ages[opened_year - born],
            regions[region],
            sectors[sector],
            languages[language],
            holders[holder],
            cards[card],
            obstacles[obstacle],
            assistance[assisted],
            sought[sought_before],
        ]
        if with_identifiers:
            out += [neutralise(_text(value)) for value in row[research:]]
        yield out


def _answers_labeller(choices: Iterable[tuple[Any, Any]]) -> Callable[[str | None], str]:
    """The stored answers of a multi-response fact (the JSON text of a list of codes, or one
    code alone) -> a JSON array of their labels, "" when there are none. Codes outside the
    vocabulary are left out, as free text is."""
    labels = {code: str(label) for code, label in choices}

    def label(stored: str | None) -> str:
        if not stored:
            return ""
        codes: Any = stored
        if stored.startswith("["):
            try:
                codes = json.loads(stored)
            except ValueError:
                return ""
        if not isinstance(codes, list):
            codes = [codes]
        known = [labels[code] for code in codes if isinstance(code, str) and code in labels]
        return json.dumps(known, ensure_ascii=False) if known else ""

    return label


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return value


def case_notes(*, with_identifiers: bool, context: Sequence[str]) -> list[str]:
    if with_identifiers:
        kind = _(
            "Full case export WITH IDENTIFIERS. Its creation was recorded in the audit log. "
            "Keep it encrypted; delete it when the purpose is met."
        )
    else:
        kind = _(
            "Case-level research export without direct identifiers: no names, phones, passport "
            "numbers, exact dates of birth (age band at intake instead), addresses (region only) "
            "or free text."
        )
    return [
        f"Hamroh — {kind}",
        *context,
        _(
            "Migrant pseudonym: the same migrant has the same pseudonym within this file only; "
            "it differs in every export (keyed hash with a random key that was discarded)."
        ),
        _(
            "Rows are single cases and are not suppressed. Before publishing any count made from "
            "them, hide counts below %(k)s as the aggregate exports do."
        )
        % {"k": _min_cell()},
        _("Generated: %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")},
    ]


def _min_cell() -> int:
    from django.conf import settings

    return settings.STATS_MIN_CELL


_BATCH = 1000  # rows handed to the writer at a time


def _batches(
    rows: Iterable[list[Any]], progress: Callable[[int], None] | None, every: int
) -> Iterator[list[list[Any]]]:
    """The rows in lists of at most _BATCH; `progress(n)` once n (a multiple of `every`) rows
    have been handed out and written."""
    rows = iter(rows)
    size = max(1, min(every, _BATCH))
    count = reported = 0
    while batch := list(islice(rows, size)):
        yield batch
        count += len(batch)
        if progress and count // every > reported:
            reported = count // every
            progress(reported * every)


def write_case_file(
    path: Path,
    *,
    fmt: str,
    notes: Sequence[str],
    columns: Sequence[Column],
    rows: Iterable[list[Any]],
    progress: Callable[[int], None] | None = None,
    every: int = 5000,
) -> int:
    """Stream rows into a CSV or XLSX file; returns the number of rows written."""
    header = [str(column.label) for column in columns]
    count = 0
    if fmt == "csv":
        # UTF-8 with a BOM (spreadsheets then read Cyrillic right), the BOM written by hand:
        # the "utf-8-sig" codec would encode every row in Python.
        with path.open("w", newline="", encoding="utf-8", buffering=1 << 16) as handle:
            handle.write("\ufeff")
            handle.write(comment_lines(notes))
            writer = csv.writer(handle)
            writer.writerow(header)
            for batch in _batches(rows, progress, every):
                writer.writerows(batch)
                count += len(batch)
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Cases")[:31])
        notes_sheet = workbook.create_sheet(_("Notes")[:31])
        for note in notes:
            notes_sheet.append([neutralise(note)])
        sheet.append(header)
        for batch in _batches(rows, progress, every):
            for row in batch:
                sheet.append(row)
            count += len(batch)
        workbook.save(path)
    return count
