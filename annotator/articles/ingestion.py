"""Reading articles from files: formats, normalisation of the body, and per-record errors.

Every reader yields, in input order, either an `ArticleRecord` (fields ready to store) or a
`Rejection` (where it was and why). Nothing here writes to the database: `services.import_articles`
does, for `load_articles`, the upload page and the API alike.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import stat
import struct
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

FORMATS = (".txt", ".jsonl", ".json", ".csv", ".html", ".htm", ".zip")
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


@dataclass
class ReadLimits:
    max_body_bytes: int = field(default_factory=lambda: settings.ARTICLE_MAX_BODY_BYTES)
    max_unzipped_bytes: int = field(default_factory=lambda: settings.UPLOAD_MAX_UNZIPPED_BYTES)
    # zipfile builds an object per member before anything is unpacked (about 550 bytes each): a 200 MB
    # archive of empty members would take over a gigabyte. So the member list is measured first.
    max_zip_members: int = 100_000


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
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise RecordError("body is not valid UTF-8", "body") from None
    text = text.removeprefix(UTF8_BOM)
    if "\x00" in text:
        raise RecordError(f"body contains a NUL character at position {text.index(chr(0))}", "body")
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
    if "\x00" in value:
        raise RecordError(f"{name} contains a NUL character", name)
    if _has_surrogates(value):
        raise RecordError(f"{name} is not valid UTF-8", name)
    value = unicodedata.normalize("NFC", " ".join(value.split()))
    if max_length is not None and len(value) > max_length:
        raise RecordError(f"{name} is {len(value)} characters, over the limit of {max_length}", name)
    return value


def _clean_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """Metadata that PostgreSQL's jsonb stores: no NUL, no lone surrogates, no NaN or infinities."""
    for key, value in metadata.items():
        pending = [key, value]
        while pending:
            item = pending.pop()
            if isinstance(item, dict):
                pending.extend(item.keys())
                pending.extend(item.values())
            elif isinstance(item, list):
                pending.extend(item)
            elif isinstance(item, str):
                if "\x00" in item:
                    raise RecordError(f"metadata field {key!r} contains a NUL character", "metadata")
                if _has_surrogates(item):
                    raise RecordError(f"metadata field {key!r} is not valid UTF-8", "metadata")
            elif isinstance(item, float) and not math.isfinite(item):
                raise RecordError(f"metadata field {key!r} holds {item}, which JSON does not allow", "metadata")
    return metadata


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
    try:
        moment.astimezone(dt.UTC)  # stored in UTC: it must be a date Python can read back
    except OverflowError:
        raise RecordError(f"published_at {text[:40]!r} is outside the years 1 to 9999 in UTC", "published_at") from None
    return moment


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
        "metadata": _clean_metadata({**extra, **metadata}),
    }


def _record(where: str, build: Callable[[], dict[str, Any]]) -> ArticleRecord | Rejection:
    try:
        return ArticleRecord(where, build())
    except RecordError as exc:
        return Rejection(where, str(exc))


def _object_record(where: str, load: Callable[[], Any], limits: ReadLimits) -> ArticleRecord | Rejection:
    """A JSON object as a record; its `annotations` (a list, as our JSON Lines export writes) come along."""
    try:
        obj = load()
        annotations = None
        if isinstance(obj, dict) and "annotations" in obj:
            obj = dict(obj)
            annotations = obj.pop("annotations")
            if not isinstance(annotations, list):
                raise RecordError("annotations must be a list of annotation objects")
        return ArticleRecord(where, clean_fields(obj, max_body_bytes=limits.max_body_bytes), annotations)
    except RecordError as exc:
        return Rejection(where, str(exc))


# --- formats --------------------------------------------------------------------------------------


def read_txt(name: str, data: bytes, limits: ReadLimits) -> Iterator[Item]:
    def build() -> dict[str, Any]:
        fields = {"body": decode_utf8(data), "metadata": {"file": PurePosixPath(name).name}}
        return clean_fields(fields, max_body_bytes=limits.max_body_bytes)

    yield _record(name, build)


def read_jsonl(name: str, data: bytes, limits: ReadLimits) -> Iterator[Item]:
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue

        def load(line: bytes = line) -> Any:
            text = decode_utf8(line)
            try:
                return json.loads(text)
            except json.JSONDecodeError as exc:
                raise RecordError(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
            except RecursionError:
                raise RecordError("invalid JSON: nested too deeply") from None

        yield _object_record(f"{name} line {number}", load, limits)


def read_json(name: str, data: bytes, limits: ReadLimits) -> Iterator[Item]:
    try:
        obj = json.loads(decode_utf8(data))
    except RecordError as exc:
        yield Rejection(name, str(exc))
        return
    except json.JSONDecodeError as exc:
        yield Rejection(name, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    except RecursionError:
        yield Rejection(name, "invalid JSON: nested too deeply")
        return
    if isinstance(obj, dict) and isinstance(obj.get("articles"), list):
        obj = obj["articles"]
    if isinstance(obj, dict):
        yield _object_record(name, lambda: obj, limits)
        return
    if not isinstance(obj, list):
        yield Rejection(name, f"expected a JSON object or a list of objects, got {type(obj).__name__}")
        return
    for number, item in enumerate(obj, start=1):
        yield _object_record(f"{name} record {number}", lambda item=item: item, limits)


def read_csv(name: str, data: bytes, limits: ReadLimits) -> Iterator[Item]:
    # Undecodable bytes become lone surrogates, so one bad row is refused and the others load.
    text = data.decode("utf-8", errors="surrogateescape").removeprefix(UTF8_BOM)
    csv.field_size_limit(max(limits.max_body_bytes * 2, 1 << 20))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        yield Rejection(name, "the CSV file is empty: expected a header row with a body column")
        return
    except csv.Error as exc:
        yield Rejection(name, f"the CSV header cannot be read: {exc}")
        return
    header = [column.strip() for column in header]
    if any(_has_surrogates(column) for column in header):  # a binary file: say where, never echo its bytes
        try:
            decode_utf8(data)
        except RecordError as exc:
            yield Rejection(name, str(exc))
            return
    if not any(column in BODY_FIELDS for column in header):
        yield Rejection(
            name,
            f"no body column: expected one of {', '.join(BODY_FIELDS)} (columns found: {', '.join(header) or 'none'})",
        )
        return
    line = reader.line_num + 1
    while True:
        where = f"{name} line {line}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Rejection(where, f"malformed CSV: {exc}")
            return
        line = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Rejection(where, f"has {len(row)} fields, the header has {len(header)}")
            continue

        def build(row: list[str] = row) -> dict[str, Any]:
            if any(_has_surrogates(cell) for cell in row):
                raise RecordError("is not valid UTF-8")
            return clean_fields(
                {k: v for k, v in zip(header, row, strict=True) if v != "" or k in BODY_FIELDS},
                max_body_bytes=limits.max_body_bytes,
            )

        yield _record(where, build)


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def read_html(name: str, data: bytes, limits: ReadLimits) -> Iterator[Item]:
    def build() -> dict[str, Any]:
        import trafilatura

        html = decode_utf8(data)
        document = trafilatura.bare_extraction(html, with_metadata=True, output_format="python")
        text = (document.text if document is not None else "") or ""
        if not text.strip():
            raise RecordError("no article text could be extracted from the HTML")
        fields = {
            "body": text,
            "title": document.title,
            "source": document.sitename or document.hostname,
            "url": document.url if document.url and document.url.startswith(("http://", "https://")) else None,
            "byline": document.author,
            "published_at": document.date,
            "language": document.language,
            "metadata": {"file": PurePosixPath(name).name, "extracted_by": "trafilatura"},
        }
        return clean_fields(fields, max_body_bytes=limits.max_body_bytes)

    yield _record(name, build)


READERS: dict[str, Callable[[str, bytes, ReadLimits], Iterator[Item]]] = {
    ".txt": read_txt,
    ".jsonl": read_jsonl,
    ".json": read_json,
    ".csv": read_csv,
    ".html": read_html,
    ".htm": read_html,
}


def unsafe_member_reason(info: zipfile.ZipInfo) -> str | None:
    """Why an archive member must not be read: a path that climbs out, an absolute path, a link."""
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return f"unsafe member name {info.filename!r}: absolute path"
    if ".." in parts:
        return f"unsafe member name {info.filename!r}: path traversal"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"unsafe member {info.filename!r}: symbolic link"
    return None


ZIP_END = b"PK\x05\x06"
ZIP64_END_LOCATOR = b"PK\x06\x07"
ZIP64_END = b"PK\x06\x06"
ZIP_MEMBER_LIST_BYTES = 200  # a member's entry in the central directory, generously: 46 bytes, its name and extras


def zip_directory_size(stream: IO[bytes]) -> tuple[int, int] | None:
    """(members, bytes of the central directory) as the archive's end record declares them, or None."""
    stream.seek(0, io.SEEK_END)
    stream.seek(max(0, stream.tell() - 22 - 0xFFFF))  # the end record, then a comment of at most 64 KiB
    tail = stream.read()
    at = tail.rfind(ZIP_END)
    if at < 0 or len(tail) - at < 22:
        return None
    members, directory = struct.unpack_from("<HL", tail, at + 10)
    locator = at - 20
    if (
        (members == 0xFFFF or directory == 0xFFFFFFFF)
        and locator >= 0
        and tail[locator : locator + 4] == ZIP64_END_LOCATOR
    ):
        (offset,) = struct.unpack_from("<Q", tail, locator + 8)
        stream.seek(offset)
        record = stream.read(56)
        if len(record) == 56 and record[:4] == ZIP64_END:
            members, directory = struct.unpack_from("<QQ", record, 32)
    return members, directory


def read_zip(name: str, stream: IO[bytes], limits: ReadLimits) -> Iterator[Item]:
    declared = zip_directory_size(stream)
    stream.seek(0)
    if declared is not None:
        members, directory = declared
        if members > limits.max_zip_members:
            yield Rejection(name, f"holds {members:,} members, over the limit of {limits.max_zip_members:,}; not read")
            return
        # zipfile reads every entry of the directory, whatever the end record says: its size bounds them.
        if directory > limits.max_zip_members * ZIP_MEMBER_LIST_BYTES:
            yield Rejection(
                name,
                f"its list of members is {directory:,} bytes, more than {limits.max_zip_members:,} members take; "
                "not read",
            )
            return
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as exc:
        yield Rejection(name, f"not a readable zip archive ({exc})")
        return
    budget = limits.max_unzipped_bytes
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            where = f"{name}!{info.filename}"
            if info.is_dir():
                continue
            reason = unsafe_member_reason(info)
            if reason:
                yield Rejection(where, reason)
                continue
            member = PurePosixPath(info.filename)
            if any(part.startswith(".") or part == "__MACOSX" for part in member.parts):
                continue
            suffix = member.suffix.lower()
            if suffix == ".zip":
                yield Rejection(where, "archives inside archives are not read")
                continue
            if suffix not in READERS:
                yield Skipped(where, f"not a supported format ({', '.join(FORMATS)})")
                continue
            if info.file_size > budget:
                yield Rejection(where, f"unpacks past the limit of {limits.max_unzipped_bytes:,} bytes; stopped")
                return
            try:
                with archive.open(info) as member_file:
                    data = member_file.read(budget + 1)
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as exc:
                yield Rejection(where, f"cannot be read from the archive ({exc})")
                continue
            if len(data) > budget:
                yield Rejection(where, f"unpacks past the limit of {limits.max_unzipped_bytes:,} bytes; stopped")
                return
            budget -= len(data)
            yield from READERS[suffix](where, data, limits)


def upload_refusal(name: str, size: int) -> str | None:
    """Why an uploaded file is not read at all, naming it (over UPLOAD_MAX_BYTES, a type no reader takes), or None."""
    if size > settings.UPLOAD_MAX_BYTES:
        return f"{name} is {size:,} bytes, over the upload limit of {settings.UPLOAD_MAX_BYTES:,}."
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in FORMATS:
        return f"{name}: unsupported file type {suffix or '(none)'}: use one of {', '.join(FORMATS)}."
    return None


def read_named_file(name: str, opener: Callable[[], IO[bytes]], limits: ReadLimits | None = None) -> Iterator[Item]:
    """The records of one file, by its extension."""
    limits = limits or ReadLimits()
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".zip":
        with opener() as stream:
            yield from read_zip(name, stream, limits)
        return
    reader = READERS.get(suffix)
    if reader is None:
        yield Rejection(name, f"unsupported file type {suffix or '(none)'!r}: expected one of {', '.join(FORMATS)}")
        return
    with opener() as stream:
        data = stream.read()
    yield from reader(name, data, limits)


def read_paths(paths: Iterable[Path], limits: ReadLimits | None = None) -> Iterator[Item]:
    """The records of files and folders (recursively, in name order; hidden files are passed over)."""
    limits = limits or ReadLimits()
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                relative = child.relative_to(path)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                if child.suffix.lower() not in FORMATS:
                    yield Skipped(str(child), "not a supported format")
                    continue
                yield from read_named_file(str(child), _opener(child), limits)
        elif path.is_file():
            yield from read_named_file(str(path), _opener(path), limits)
        else:
            yield Rejection(str(path), "no such file or folder")


def _opener(path: Path) -> Callable[[], IO[bytes]]:
    return lambda: path.open("rb")
