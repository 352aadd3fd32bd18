"""`{% case_rows cases empty_text %}`: the rows of a case table (cases.case_table)."""

from __future__ import annotations

from django import template

from cases import case_table

register = template.Library()


@register.simple_tag
def case_rows(cases, empty_text=""):
    return case_table.rows_html(cases, empty_text)
