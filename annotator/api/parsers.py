"""How the API reads request bodies."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from annotator.annotations.services import ItemErrors
from annotator.values import check_json, surrogate_refusal


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser (bodies over DATA_UPLOAD_MAX_MEMORY_SIZE are refused with 413 before parsing),
    with JSON nested deeper than Python's decoder goes answered 400, not 500, and a string that holds a lone
    surrogate (not Unicode text: RFC 8259 section 8.2, RFC 7493) refused as a malformed body, naming where."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply") from None
        refuse_lone_surrogates(data)
        return data


def _surrogates(value: Any) -> str | None:
    return surrogate_refusal(value) if isinstance(value, str) else None


def refuse_lone_surrogates(data: Any) -> None:
    """A body whose every key and string is Unicode text; else 400 naming the field (by index in a list)."""
    items = data if isinstance(data, list) else [data]
    errors = {}
    for index, item in enumerate(items):
        try:
            check_json(item, "", max_depth=None, refusal=_surrogates, key_refusal=surrogate_refusal)
        except DjangoValidationError as exc:
            errors[index] = exc.message_dict
    if errors and isinstance(data, list):
        raise ItemErrors(errors)
    if errors:
        raise DjangoValidationError(errors[0])
