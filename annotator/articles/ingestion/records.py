"""An article's fields as they are stored: the body normalised, the other fields checked, and what a
reader yields for each record (an `ArticleRecord`, a `Rejection` saying why not, or a `Skipped` file)."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from annotator.values import clean_datetime, clean_json, clean_text, surrogate_refusal

__all__ = [
    "ArticleRecord",
    "Item",
    "RecordError",
    "Rejection",
    "Skipped",
    "body_offsets",
    "clean_fields",
    "content_hash",
    "is_http_url",
    "normalize_body",
]

BODY_FIELDS = ("body", "text", "articleBody", "article_body", "content")
ARTICLE_FIELDS = ("title", "source", "url", "byline", "published_at", "language", "metadata")
TITLE_MAX_CHARS = 120
CLOSING_QUOTES = "\"'”’»」)"
UTF8_BOM = "\ufeff"


class RecordError(ValueError):
    """A record that cannot become an article; the message says why, and `field` which field is at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ArticleRecord:
    where: str
    fields: dict[str, Any]
    # The annotations that came with it (our own JSON Lines export), as read: `import_articles` checks them.
    annotations: list[Any] | None = None


@dataclass(frozen=True)
class Rejection:
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True)
class Skipped:
    """A file in a folder or archive that is not in a format we read (not an error)."""

    where: str
    reason: str


Item = ArticleRecord | Rejection | Skipped

# --- the body -------------------------------------------------------------------------------------


def decode_utf8(data: bytes) -> str:
    """Bytes as UTF-8 text without a BOM; invalid UTF-8 is refused with the byte position."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at position {exc.start})") from None
    return text.removeprefix(UTF8_BOM)


def normalize_body(text: str, *, max_bytes: int | None = None) -> str:
    """The stored body: no BOM, `\\n` line ends, NFC. Empty, NUL-bearing or oversize bodies are refused."""
    if max_bytes is None:
        max_bytes = settings.ARTICLE_MAX_BODY_BYTES
    if not isinstance(text, str):
        raise RecordError("body must be a string", "body")
    text = _checked(clean_text, text.removeprefix(UTF8_BOM), "body")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise RecordError("body is empty or only whitespace", "body")
    if len(text) > max_bytes // 4:
        size = len(text.encode("utf-8"))
        if size > max_bytes:
            raise RecordError(f"body is {size:,} bytes, over the limit of {max_bytes:,}", "body")
    return text


def body_offsets(raw: str) -> Callable[[int], int]:
    """Where an offset into `raw` (decoded text, a BOM still in it) falls in the body `normalize_body` makes of it:
    the BOM and the `\r` of each `\r\n` are gone, and NFC may have composed characters. Another tool's offsets
    (brat's) count the raw text; ours count the body."""
    gone = [0] if raw.startswith(UTF8_BOM) else []
    gone += [m.start() for m in re.finditer("\r\n", raw)]
    joined = re.sub("\r\n", "\n", raw.removeprefix(UTF8_BOM)).replace("\r", "\n")

    def after_removals(offset: int) -> int:
        return offset - bisect.bisect_left(gone, offset)

    if unicodedata.is_normalized("NFC", joined):
        return after_removals

    @functools.cache
    def composed(offset: int) -> int:
        return len(unicodedata.normalize("NFC", joined[:offset]))

    return lambda offset: composed(after_removals(offset))


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def title_from_text(text: str) -> str:
    """The first line when a blank line follows it, else the first sentence cut at 120 characters."""
    stripped = text.lstrip()
    # Three parts: the second line ends with a newline too, so it is a blank line, not the file's end.
    lines = stripped.split("\n", 2)
    if len(lines) == 3 and lines[0].strip() and not lines[1].strip():
        return lines[0].strip()
    first = " ".join(stripped.split())
    for i, char in enumerate(first):
        if char not in ".!?":
            continue
        end = i + 1
        while end < len(first) and first[end] in CLOSING_QUOTES:  # “… rose.” Then → keep the quote
            end += 1
        if end == len(first) or first[end] == " ":
            first = first[:end]
            break
    return first[:TITLE_MAX_CHARS].rstrip()


# --- the other fields -----------------------------------------------------------------------------


def _clean_text_field(value: Any, name: str, max_length: int | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, list) and name == "byline" and all(isinstance(v, str) for v in value):
        value = ", ".join(v.strip() for v in value if v.strip())
    if not isinstance(value, str):
        raise RecordError(f"{name} must be a string, not {type(value).__name__}", name)
    value = unicodedata.normalize("NFC", " ".join(_checked(clean_text, value, name).split()))
    if max_length is not None and len(value) > max_length:
        raise RecordError(f"{name} is {len(value)} characters, over the limit of {max_length}", name)
    return value


def _checked(clean, value: Any, name: str):
    """A value through one of `annotator.values`' checks; refused, a RecordError naming the field."""
    try:
        return clean(value, name)
    except ValidationError as exc:
        (path, messages), *_ = exc.message_dict.items()
        where = "" if messages[0].startswith("[") else " "  # metadata.tags[0] is …
        raise RecordError(f"{path}{where}{messages[0]}", name) from None


# One validator for every value: building it compiles its patterns anew each time.
_URL_VALIDATOR = URLValidator(schemes=["http", "https"])


def is_http_url(value: str) -> bool:
    """Links are absolute http or https URLs (article `url`, claim `evidence_url`): no javascript:, data:, …"""
    try:
        _URL_VALIDATOR(value)
    except ValidationError:
        return False
    return True


def _clean_url(value: Any) -> str:
    url = _clean_text_field(value, "url", 2000)
    if url and not is_http_url(url):
        raise RecordError(f"url {url[:80]!r} is not an http or https URL", "url")
    return url


def _clean_published_at(value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RecordError(
            f"published_at must be an ISO 8601 date or date-time string, not {type(value).__name__}", "published_at"
        )
    text = value.strip()
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            if day is not None:
                moment = dt.datetime.combine(day, dt.time())
    except ValueError:
        moment = None
    if moment is None:
        raise RecordError(f"published_at {text[:40]!r} is not an ISO 8601 date or date-time", "published_at")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return _checked(clean_datetime, moment, "published_at")


def clean_fields(raw: dict[str, Any], *, max_body_bytes: int | None = None) -> dict[str, Any]:
    """An input object (JSON, CSV row, extracted HTML) as the fields of an article.

    The body comes from `body` or `text` (or `articleBody`, `article_body`, `content`); fields that
    are not article fields are kept in `metadata`.
    """
    if not isinstance(raw, dict):
        raise RecordError(f"expected a JSON object, got {type(raw).__name__}")
    body_keys = [key for key in BODY_FIELDS if raw.get(key) not in (None, "")]
    if not body_keys:
        if any(raw.get(key) == "" for key in BODY_FIELDS):
            raise RecordError("body is empty or only whitespace", "body")
        raise RecordError(f"no body: expected a non-empty field {' or '.join(BODY_FIELDS[:2])}", "body")
    if len(body_keys) > 1 and len({raw[k] for k in body_keys if isinstance(raw[k], str)}) > 1:
        raise RecordError(f"two different bodies given ({' and '.join(body_keys)})", "body")
    body = normalize_body(raw[body_keys[0]], max_bytes=max_body_bytes)
    metadata = raw.get("metadata")
    if isinstance(metadata, str) and metadata.strip().startswith("{"):  # a CSV column holding JSON
        try:
            metadata = json.loads(metadata)
        except (json.JSONDecodeError, RecursionError):
            raise RecordError("metadata is not a valid JSON object", "metadata") from None
    if metadata is None or metadata == "":
        metadata = {}
    if not isinstance(metadata, dict):
        raise RecordError("metadata must be a JSON object", "metadata")
    extra = {k: v for k, v in raw.items() if k not in BODY_FIELDS and k not in ARTICLE_FIELDS}
    title = _clean_text_field(raw.get("title"), "title", 1000) or title_from_text(body)
    return {
        "title": title,
        "body": body,
        "source": _clean_text_field(raw.get("source"), "source", 300),
        "url": _clean_url(raw.get("url")),
        "byline": _clean_text_field(raw.get("byline"), "byline", 500),
        "published_at": _clean_published_at(raw.get("published_at")),
        "language": _clean_text_field(raw.get("language"), "language", 35),
        "metadata": _checked(clean_json, {**extra, **metadata}, "metadata"),
    }


def has_surrogates(text: str) -> bool:
    """Text that holds lone surrogates (undecodable bytes read with surrogateescape) is not UTF-8."""
    return surrogate_refusal(text) is not None
