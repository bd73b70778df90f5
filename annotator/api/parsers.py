"""How the API reads request bodies."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser (bodies over DATA_UPLOAD_MAX_MEMORY_SIZE are refused with 413 before parsing),
    with JSON nested deeper than Python's decoder goes answered 400, not 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply") from None
