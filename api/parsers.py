"""The API's JSON parser, with a nesting limit: a body nested 100,000 levels deep is a 400,
not a RecursionError (500) in the decoder."""

from __future__ import annotations

import re
from io import BytesIO
from itertools import accumulate

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32  # our deepest body is 3 levels; room for clients that nest a little more
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"')
_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def nesting_depth(body: bytes) -> int:
    """The deepest bracket nesting outside string literals (strings may hold any brackets)."""
    structure = _STRINGS.sub(b"", body)
    steps = (_DEPTH_STEP[byte] for byte in structure if byte in _DEPTH_STEP)
    return max(accumulate(steps, initial=0))


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) if stream else b""
        if nesting_depth(body) > MAX_DEPTH:
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.")
        return super().parse(BytesIO(body), media_type, parser_context)
