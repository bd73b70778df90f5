"""The values PostgreSQL refuses, refused first with a message naming the field: every text, JSON value, timestamp
and row id that a service, an import, a filter or a cursor binds for the database passes one of these."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any, NoReturn

from django.core.exceptions import ValidationError

# PostgreSQL refuses a time-zone displacement of 16 hours or more (Python reads up to 23:59).
MAX_OFFSET = dt.timedelta(hours=16)
# Deeper than this, Python's JSON encoder may run out of stack before PostgreSQL is asked.
MAX_JSON_DEPTH = 100
# Python writes no whole number of over 4300 digits (sys.get_int_max_str_digits); jsonb would hold them.
MAX_JSON_DIGITS = 4000
_MAX_JSON_INTEGER = 10**MAX_JSON_DIGITS
BIGINT = 2**63


def _refuse(field: str, message: str) -> NoReturn:
    raise ValidationError({field or "non_field_errors": message})


def surrogate_refusal(value: str) -> str | None:
    """Why this is not Unicode text (a lone surrogate, which no UTF-8 encodes), or None."""
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            return f"is not valid UTF-8 (a lone surrogate, {value[exc.start]!r}, at position {exc.start})"
    return None


def text_refusal(value: str) -> str | None:
    """Why PostgreSQL cannot store this text (a NUL character, a lone surrogate), or None."""
    if "\x00" in value:
        return f"contains a NUL character at position {value.index(chr(0))}"
    return surrogate_refusal(value)


def clean_text(value: Any, field: str) -> str:
    """Text that PostgreSQL stores: a string without NUL characters or lone surrogates."""
    if not isinstance(value, str):
        _refuse(field, f"must be text, not {type(value).__name__}")
    refusal = text_refusal(value)
    if refusal:
        _refuse(field, refusal)
    return value


def _json_refusal(value: Any) -> str | None:
    if isinstance(value, str):
        return text_refusal(value)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if -_MAX_JSON_INTEGER < value < _MAX_JSON_INTEGER else f"has more than {MAX_JSON_DIGITS} digits"
    if isinstance(value, float):
        return None if math.isfinite(value) else f"holds {value}, which JSON does not allow"
    return f"holds a {type(value).__name__}, which is not a JSON value"


def _key_refusal(key: Any) -> str | None:
    return text_refusal(key) if isinstance(key, str) else "must be text"


def check_json(
    value: Any,
    field: str,
    *,
    max_depth: int | None = MAX_JSON_DEPTH,
    refusal: Callable[[Any], str | None] = _json_refusal,
    key_refusal: Callable[[Any], str | None] = _key_refusal,
) -> None:
    """Every key and scalar of a JSON value through `key_refusal` and `refusal`; the first refused raises a
    ValidationError naming the object path (`attributes.speaker`), and inside a list, in the message, where
    (`[2].name contains …`)."""
    pending: list[tuple[Any, str, str, int]] = [(value, field, "", 0)]
    while pending:
        item, path, within, depth = pending.pop()
        if isinstance(item, dict | list | tuple):
            if max_depth is not None and depth >= max_depth:
                _refuse(path, f"{within} is nested deeper than {max_depth} levels".lstrip())
            if isinstance(item, dict):
                for key, child in item.items():
                    refused = key_refusal(key)
                    if refused:
                        _refuse(path, f"{within} has a key, {key!r}, that {refused}".lstrip())
                    if within:
                        pending.append((child, path, f"{within}.{key}", depth + 1))
                    else:
                        pending.append((child, f"{path}.{key}" if path else key, "", depth + 1))
            else:
                pending.extend((child, path, f"{within}[{i}]", depth + 1) for i, child in enumerate(item))
            continue
        refused = refusal(item)
        if refused:
            _refuse(path, f"{within} {refused}".lstrip())


def clean_json(value: Any, field: str, *, max_depth: int | None = MAX_JSON_DEPTH) -> Any:
    """A JSON value that PostgreSQL's jsonb stores: every key and string clean text, every number finite and
    writable, nested at most `max_depth` levels."""
    check_json(value, field, max_depth=max_depth)
    return value


def clean_datetime(value: Any, field: str) -> dt.datetime:
    """A moment PostgreSQL stores and Python reads back, in UTC: aware, its offset within ±15:59, in the years
    1 to 9999 in UTC."""
    if not isinstance(value, dt.datetime):
        _refuse(field, f"must be a date-time, not {type(value).__name__}")
    offset = value.utcoffset()
    if offset is None:
        _refuse(field, "has no time zone: give an offset such as +02:00 or Z")
    if abs(offset) >= MAX_OFFSET:
        sign, hours, minutes = "-" if offset < dt.timedelta(0) else "+", *divmod(abs(offset).seconds // 60, 60)
        _refuse(field, f"has the offset {sign}{hours:02}:{minutes:02}, past the ±15:59 of any time zone")
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        _refuse(field, f"{value.isoformat()!r} is outside the years 1 to 9999 in UTC")


def clean_id(value: Any, field: str) -> int:
    """A row id as a client names it: a whole number (digits, or an int) that PostgreSQL's bigint holds."""
    if isinstance(value, str) and value.isascii() and value.lstrip("-").isdigit() and len(value) < 21:
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not -BIGINT <= value < BIGINT:
        _refuse(field, f"{str(value)[:40]!r} is not a row id (a whole number)")
    return value
