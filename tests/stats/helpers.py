from __future__ import annotations

import csv
import io

from openpyxl import load_workbook


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def parse_csv(data: bytes) -> tuple[list[str], list[list[str]]]:
    """(note lines, data rows) of an export CSV."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    notes = [row[0][2:] for row in rows if row and row[0].startswith("# ")]
    table = [row for row in rows if row and not row[0].startswith("# ")]
    return notes, table


def parse_xlsx(data: bytes) -> dict[str, list[list]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


def cells(data: bytes, fmt: str) -> list[str]:
    """Every cell of every sheet of an export, as text."""
    if fmt == "csv":
        notes, table = parse_csv(data)
        return notes + [value for row in table for value in row]
    return [
        "" if value is None else str(value)
        for rows in parse_xlsx(data).values()
        for row in rows
        for value in row
    ]
