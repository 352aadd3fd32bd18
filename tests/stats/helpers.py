from __future__ import annotations

import csv
import io

from openpyxl import load_workbook


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def parse_csv(data: bytes) -> tuple[list[str], list[list[str]]]:
    """(note lines, data rows) of an export CSV, read as a comment-skipping reader does
    (pandas `comment="#"`): a line starting with `#` is a note, the rest is CSV."""
    lines = data.decode("utf-8-sig").splitlines(keepends=True)
    notes = [line[2:].rstrip("\r\n") for line in lines if line.startswith("# ")]
    rest = "".join(line for line in lines if not line.startswith("#"))
    table = [row for row in csv.reader(io.StringIO(rest)) if row]
    assert all(not line.startswith('"#') for line in lines), "a quoted note line"
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
