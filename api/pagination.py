from __future__ import annotations

from rest_framework.pagination import CursorPagination


class CursorPage(CursorPagination):
    """Opaque next/previous cursors: stable under inserts, no COUNT, fast at any depth."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
