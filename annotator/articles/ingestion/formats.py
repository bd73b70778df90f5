"""Reading articles from files, one reader per format (and zip archives of them).

Every reader yields, in input order, either an `ArticleRecord` (fields ready to store) or a
`Rejection` (where it was and why). Nothing here writes to the database: `services.import_articles`
does, for `load_articles`, the upload page and the API alike.
"""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings

from annotator.articles.ingestion.records import (
    BODY_FIELDS,
    UTF8_BOM,
    ArticleRecord,
    Item,
    RecordError,
    Rejection,
    Skipped,
    clean_fields,
    decode_utf8,
    has_surrogates,
)

__all__ = ["FORMATS", "ReadLimits", "read_named_file", "read_paths", "upload_refusal"]

FORMATS = (".txt", ".jsonl", ".json", ".csv", ".html", ".htm", ".zip")


@dataclass
class ReadLimits:
    max_body_bytes: int = field(default_factory=lambda: settings.ARTICLE_MAX_BODY_BYTES)
    max_unzipped_bytes: int = field(default_factory=lambda: settings.UPLOAD_MAX_UNZIPPED_BYTES)
    # zipfile builds an object per member before anything is unpacked (about 550 bytes each): a 200 MB
    # archive of empty members would take over a gigabyte. So the member list is measured first.
    max_zip_members: int = 100_000
    # What is held in memory at once is bounded by these, whatever the file: one article's file (.txt, .html), line
    # (.jsonl) or row (.csv) is its body with markup, escapes (up to 6 bytes a character in JSON) and other fields;
    # a .json document is parsed whole, so JSON Lines is the format for larger collections.
    max_record_bytes: int | None = None
    max_document_bytes: int | None = None

    def __post_init__(self) -> None:
        if self.max_record_bytes is None:
            self.max_record_bytes = 4 * self.max_body_bytes
        if self.max_document_bytes is None:
            self.max_document_bytes = 10 * self.max_body_bytes


READ_CHUNK = 1 << 20


class Oversized(Exception):
    """A read passed its limit; what it read is dropped."""


def read_at_most(stream: IO[bytes], limit: int) -> bytes:
    """The rest of the stream, read in chunks and never more than limit + 1 bytes: past the limit, `Oversized`."""
    chunks, size = [], 0
    while size <= limit and (chunk := stream.read(min(READ_CHUNK, limit + 1 - size))):
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise Oversized
    return b"".join(chunks)


def _whole(name: str, stream: IO[bytes], limit: int, what: str) -> bytes | Rejection:
    try:
        return read_at_most(stream, limit)
    except Oversized:
        return Rejection(name, f"is over the limit of {limit:,} bytes for {what}; not read further")


def _lines(stream: IO[bytes], limit: int) -> Iterator[bytes | None]:
    """The stream's lines, each with its end; a line over `limit` bytes is the last, as None, and not kept."""
    while line := stream.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            yield None
            return
        yield line


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


def _article_file(
    name: str, stream: IO[bytes], limits: ReadLimits, fields_of: Callable[[bytes], dict[str, Any]]
) -> Iterator[Item]:
    """A file of one article, read up to the limit of a record; `fields_of` turns its bytes into its fields."""
    data = _whole(name, stream, limits.max_record_bytes, "one article")
    if isinstance(data, Rejection):
        yield data
        return
    yield _record(name, lambda: clean_fields(fields_of(data), max_body_bytes=limits.max_body_bytes))


def read_txt(name: str, stream: IO[bytes], limits: ReadLimits) -> Iterator[Item]:
    def fields_of(data: bytes) -> dict[str, Any]:
        return {"body": decode_utf8(data), "metadata": {"file": PurePosixPath(name).name}}

    return _article_file(name, stream, limits, fields_of)


def read_jsonl(name: str, stream: IO[bytes], limits: ReadLimits) -> Iterator[Item]:
    for number, line in enumerate(_lines(stream, limits.max_record_bytes), start=1):
        if line is None:
            limit = limits.max_record_bytes
            yield Rejection(f"{name} line {number}", f"is over the limit of {limit:,} bytes a line; not read further")
            return
        if not line.strip():
            continue

        def load(line: bytes = line.removesuffix(b"\n")) -> Any:
            text = decode_utf8(line)
            try:
                return json.loads(text)
            except json.JSONDecodeError as exc:
                raise RecordError(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
            except RecursionError:
                raise RecordError("invalid JSON: nested too deeply") from None

        yield _object_record(f"{name} line {number}", load, limits)


def read_json(name: str, stream: IO[bytes], limits: ReadLimits) -> Iterator[Item]:
    data = _whole(name, stream, limits.max_document_bytes, "a .json file (JSON Lines has no such limit)")
    if isinstance(data, Rejection):
        yield data
        return
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


LONE_CR = re.compile(r"(?<=\r)(?!\n)")


class CsvLines:
    """A CSV file's lines as text, read as the reader asks for them, a row no longer than `limit` bytes
    (`Oversized` past it; `row_begins()` starts the count). Undecodable bytes become lone surrogates, so one
    bad row is refused and the others load."""

    def __init__(self, stream: IO[bytes], limit: int):
        self.stream, self.limit, self.row_bytes = stream, limit, 0
        self.first_line = b""

    def row_begins(self) -> None:
        self.row_bytes = 0

    def __iter__(self) -> Iterator[str]:
        for line in _lines(self.stream, self.limit):
            self.row_bytes += len(line) if line is not None else self.limit + 1
            if self.row_bytes > self.limit:
                raise Oversized
            if not self.first_line:
                self.first_line = line
                line = line.removeprefix(UTF8_BOM.encode())
            # Lines end at \r\n, \n or a lone \r, as in a file opened with newline="".
            yield from filter(None, LONE_CR.split(line.decode("utf-8", errors="surrogateescape")))


def read_csv(name: str, stream: IO[bytes], limits: ReadLimits) -> Iterator[Item]:
    csv.field_size_limit(max(limits.max_body_bytes * 2, 1 << 20))
    lines = CsvLines(stream, limits.max_record_bytes)
    reader = csv.reader(iter(lines), strict=True)
    too_long = f"is over the limit of {limits.max_record_bytes:,} bytes a row; not read further"
    try:
        header = next(reader)
    except StopIteration:
        yield Rejection(name, "the CSV file is empty: expected a header row with a body column")
        return
    except csv.Error as exc:
        yield Rejection(name, f"the CSV header cannot be read: {exc}")
        return
    except Oversized:
        yield Rejection(name, f"its header {too_long}")
        return
    header = [column.strip() for column in header]
    if any(has_surrogates(column) for column in header):  # a binary file: say where, never echo its bytes
        try:
            decode_utf8(lines.first_line)
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
        lines.row_begins()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Rejection(where, f"malformed CSV: {exc}")
            return
        except Oversized:
            yield Rejection(where, too_long)
            return
        line = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Rejection(where, f"has {len(row)} fields, the header has {len(header)}")
            continue

        def build(row: list[str] = row) -> dict[str, Any]:
            if any(has_surrogates(cell) for cell in row):
                raise RecordError("is not valid UTF-8")
            return clean_fields(
                {k: v for k, v in zip(header, row, strict=True) if v != "" or k in BODY_FIELDS},
                max_body_bytes=limits.max_body_bytes,
            )

        yield _record(where, build)


def read_html(name: str, stream: IO[bytes], limits: ReadLimits) -> Iterator[Item]:
    def fields_of(data: bytes) -> dict[str, Any]:
        import trafilatura

        html = decode_utf8(data)
        document = trafilatura.bare_extraction(html, with_metadata=True, output_format="python")
        text = (document.text if document is not None else "") or ""
        if not text.strip():
            raise RecordError("no article text could be extracted from the HTML")
        return {
            "body": text,
            "title": document.title,
            "source": document.sitename or document.hostname,
            "url": document.url if document.url and document.url.startswith(("http://", "https://")) else None,
            "byline": document.author,
            "published_at": document.date,
            "language": document.language,
            "metadata": {"file": PurePosixPath(name).name, "extracted_by": "trafilatura"},
        }

    return _article_file(name, stream, limits, fields_of)


READERS: dict[str, Callable[[str, IO[bytes], ReadLimits], Iterator[Item]]] = {
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


Member = tuple[str, PurePosixPath, Callable[[], IO[bytes]]]  # where, its path in the archive, how to open it


def open_zip(name: str, stream: IO[bytes], limits: ReadLimits) -> zipfile.ZipFile | Rejection:
    """The archive, or why it is not read: too many members to list, or not a zip."""
    declared = zip_directory_size(stream)
    stream.seek(0)
    if declared is not None:
        members, directory = declared
        if members > limits.max_zip_members:
            return Rejection(name, f"holds {members:,} members, over the limit of {limits.max_zip_members:,}; not read")
        # zipfile reads every entry of the directory, whatever the end record says: its size bounds them.
        if directory > limits.max_zip_members * ZIP_MEMBER_LIST_BYTES:
            return Rejection(
                name,
                f"its list of members is {directory:,} bytes, more than {limits.max_zip_members:,} members take; "
                "not read",
            )
    try:
        return zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as exc:
        return Rejection(name, f"not a readable zip archive ({exc})")


def zip_members(
    name: str, archive: zipfile.ZipFile, limits: ReadLimits, suffixes: Iterable[str]
) -> Iterator[Item | Member]:
    """The members of an open archive that may be read (files with one of `suffixes`, in name order), or why not:
    a member that is unsafe, nested or past the budget of unzipped bytes. Hidden members are passed over."""
    budget = limits.max_unzipped_bytes
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
        if suffix not in suffixes:
            yield Skipped(where, f"not a supported format ({', '.join(FORMATS)})")
            continue
        if info.file_size > budget:
            yield Rejection(where, f"unpacks past the limit of {limits.max_unzipped_bytes:,} bytes; stopped")
            return
        # zipfile unpacks no more than the size a member declares (a member holding more fails its check), and
        # the reader reads no more than its own limit: the member is never whole in memory.
        budget -= info.file_size
        yield where, member, lambda info=info: archive.open(info)


def read_zip(name: str, stream: IO[bytes], limits: ReadLimits) -> Iterator[Item]:
    archive = open_zip(name, stream, limits)
    if isinstance(archive, Rejection):
        yield archive
        return
    with archive:
        for entry in zip_members(name, archive, limits, READERS):
            if not isinstance(entry, tuple):
                yield entry
                continue
            where, member, opener = entry
            try:
                with opener() as member_file:
                    yield from READERS[member.suffix.lower()](where, member_file, limits)
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as exc:
                yield Rejection(where, f"cannot be read from the archive ({exc})")


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
        yield from reader(name, stream, limits)


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
