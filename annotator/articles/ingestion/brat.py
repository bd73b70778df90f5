"""brat standoff in PolNeAR's attribution scheme: `.txt` + `.ann` pairs read as articles with their quotes.

A pair is a `.txt` and an `.ann` of the same name in the same folder (or archive folder). In the `.ann`, the
text-bound `Source`, `Cue` and `Content` spans and the `Attribution` (or `Attribution-no-source`) trigger are
read, and each event `E<n>  Attribution:T Content:T Cue:T Source:T` becomes one quote: its span the Content (a
discontinuous one, `s e;s e`, its parts; several Content roles, `Content2`, join its parts), its `speaker_span`
the Source, its `cue_span` the Cue. brat's offsets count the code points of the `.txt` as it is, so they are moved
onto the stored body (`body_offsets`: a BOM, `\\r\\n`, NFC). A line that cannot be read, or whose span does not
hold its text, is rejected with file, line and reason, and the file's other lines are kept; other text-bound types
(PolNeAR's `Discuss`, `Discard`) and other kinds of line are passed over and counted. docs/brat.md.
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.core.exceptions import ValidationError

from annotator.annotations.kinds import QUOTE
from annotator.articles.ingestion.formats import Oversized, ReadLimits, open_zip, read_at_most, zip_members
from annotator.articles.ingestion.records import (
    UTF8_BOM,
    ArticleRecord,
    Item,
    RecordError,
    Rejection,
    Skipped,
    body_offsets,
    clean_fields,
    decode_utf8,
)

__all__ = [
    "ATTRIBUTION",
    "CONTENT",
    "CUE",
    "NO_SOURCE",
    "ROLE_SPANS",
    "SOURCE",
    "BratImport",
    "ann_text",
    "holds_brat",
    "read_brat_paths",
    "read_brat_zip",
]

SOURCE, CUE, CONTENT = "Source", "Cue", "Content"
ATTRIBUTION, NO_SOURCE = "Attribution", "Attribution-no-source"
TRIGGERS = (ATTRIBUTION, NO_SOURCE)
SCHEME = (SOURCE, CUE, CONTENT, *TRIGGERS)
# The quote's span attributes (annotations/kinds.py) that the event's roles fill.
ROLE_SPANS = {SOURCE: QUOTE.attribute["speaker_span"].name, CUE: QUOTE.attribute["cue_span"].name}
# The attribute the Source's text fills in (the speaker's name), as picking the mention does in the workspace.
SPEAKER = QUOTE.attribute[ROLE_SPANS[SOURCE]].fills
# brat has no review status: the quotes are the annotator's submitted work, for the project's reviewers.
IMPORTED_STATUS = "submitted"
BRAT_SUFFIXES = (".txt", ".ann")
CONFIG_FILES = {"annotation.conf", "visual.conf", "tools.conf", "kb_shortcuts.conf"}
TEXT_BOUND = re.compile(r"(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)")
EVENT = re.compile(r"(E\d+)\t(\S+):(T\d+)((?: +\S+:[TE]\d+)*) *")
ROLE = re.compile(r"([A-Za-z-]+?)(\d*)")
LINE_BREAKS = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
OTHER_LINES = {"R": "relations", "A": "attributes", "M": "attributes", "N": "normalizations", "#": "notes"}
OTHER_LINES["*"] = "equivalences"


def ann_text(text: str, fragments: Iterable[tuple[int, int]]) -> str:
    """The text column of a text-bound line: the fragments' texts joined by a space (as brat writes them), no line
    break left in it."""
    return LINE_BREAKS.sub(" ", " ".join(text[s:e] for s, e in fragments))


@dataclass
class BratImport:
    """Who the quotes of a brat import are by, and what it passed over (by type, over every file)."""

    annotator: str
    quotes: int = 0
    passed_over: Counter = field(default_factory=Counter)

    def line(self) -> str:
        over = ", ".join(f"{n} {what}" for what, n in sorted(self.passed_over.items()))
        return f"brat: {self.quotes} quotes" + (f"; passed over {over}" if over else "")


class LineError(ValueError):
    """A line of an .ann file that is rejected; the message says why."""


@dataclass
class Bound:
    """A text-bound line, its offsets moved onto the body."""

    type: str
    fragments: list[tuple[int, int]]
    used: bool = False


class AnnReader:
    """One .ann file against its article: the quotes, the rejected lines, what was passed over."""

    def __init__(self, where: str, raw: str, body: str, tally: BratImport):
        self.where, self.raw, self.body, self.tally = where, raw, body, tally
        self.moved = body_offsets(raw)
        self.bounds: dict[str, Bound] = {}
        self.outside: dict[str, tuple[str, int]] = {}  # id: (type, line) of text-bound lines passed over
        self.rejected: dict[str, int] = {}  # id: line
        self.passed_over: Counter = Counter()
        self.rejections: list[tuple[int, Rejection]] = []  # by line number

    def read(self, text: str) -> list[dict[str, Any]]:
        lines = [(number, line.rstrip("\r")) for number, line in enumerate(text.split("\n"), start=1)]
        events = []
        for number, line in lines:
            if not line.strip():
                continue
            if line.startswith("E"):
                events.append((number, line))
            else:
                self._attempt(number, line, self._text_bound)
        quotes: list[dict[str, Any]] = []
        for number, line in events:
            self._attempt(number, line, lambda n, ln: quotes.extend(self._event(ln)))
        for bound in self.bounds.values():
            if not bound.used:
                self.passed_over[f"{bound.type} in no attribution"] += 1
        self.tally.quotes += len(quotes)
        self.tally.passed_over.update(self.passed_over)
        return quotes

    def _attempt(self, number: int, line: str, read: Callable[[int, str], None]) -> None:
        try:
            read(number, line)
        except LineError as exc:
            self.rejections.append((number, Rejection(f"{self.where} line {number}", str(exc))))
            identifier = line.split("\t", 1)[0]
            self.rejected.setdefault(identifier, number)

    def _text_bound(self, number: int, line: str) -> None:
        if not line.startswith("T"):
            kind = OTHER_LINES.get(line[0])
            if kind is None:
                raise LineError(f"not a brat line: {line[:40]!r} starts with neither T, E, R, A, M, N, # nor *")
            self.passed_over[kind] += 1
            return
        match = TEXT_BOUND.fullmatch(line)
        if match is None:
            raise LineError("not a text-bound line: expected T<n>, a tab, TYPE START END[;START END], a tab, the text")
        identifier, kind, offsets, text = match.groups()
        if identifier in self.bounds or identifier in self.outside:
            raise LineError(f"{identifier} is defined twice")
        if kind not in SCHEME:
            self.outside[identifier] = (kind, number)
            self.passed_over[kind] += 1
            return
        fragments = [tuple(map(int, pair.split(" "))) for pair in offsets.split(";")]
        if kind in (SOURCE, CUE) and len(fragments) > 1:
            raise LineError(f"a {kind} is one continuous span here, not {len(fragments)} fragments")
        self.bounds[identifier] = Bound(kind, self._moved(fragments, text))

    def _moved(self, fragments: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
        """The fragments on the body, in text order, checked as any annotation's span is, and against the line's text
        (which follows the order they are written in: brat keeps the order the annotator selected them)."""
        for start, end in fragments:
            if end <= start:
                raise LineError(f"the fragment {start} {end} is empty or reversed")
            if end > len(self.raw):
                raise LineError(f"the fragment {start} {end} ends past the text's end ({len(self.raw)} characters)")
        if (found := ann_text(self.raw, fragments)) != text:
            raise LineError(f"the text column reads {text[:60]!r}, the .txt at these offsets {found[:60]!r}")
        fragments = sorted(fragments)
        for first, second in itertools.pairwise(fragments):
            if second[0] < first[1]:
                raise LineError(f"the fragments {first[0]} {first[1]} and {second[0]} {second[1]} overlap")
        from annotator.annotations.labels import clean_span  # labels reads this package: imported when used

        moved = []
        for start, end in fragments:
            span = self.moved(start), self.moved(end)
            try:
                clean_span(self.body, QUOTE.name, *span, _stored(self.raw[start:end]))
            except ValidationError as exc:
                detail = "; ".join(" ".join(m) for m in exc.message_dict.values())
                raise LineError(f"the fragment {start} {end} does not fall on the stored text: {detail}") from None
            moved.append(span)
        return moved

    def _event(self, line: str) -> list[dict[str, Any]]:
        match = EVENT.fullmatch(line)
        if match is None:
            raise LineError("not an event line: expected E<n>, a tab, then TYPE:T<n> and ROLE:T<n> separated by spaces")
        identifier, kind, trigger, roles = match.groups()
        if kind not in TRIGGERS:
            self.passed_over[f"{kind} events"] += 1
            return []
        self._entity(trigger, kind).used = True
        found: dict[str, list[Bound]] = {}
        for role in roles.split():
            name, reference = role.split(":")
            base = ROLE.fullmatch(name)[1]
            if base not in (SOURCE, CUE, CONTENT) or (base != CONTENT and base != name):
                raise LineError(f"{name} is not a role of an attribution (Source, Cue, Content, Content2, …)")
            found.setdefault(base, []).append(self._entity(reference, base))
        for name in (SOURCE, CUE):
            if len(found.get(name, [])) > 1:
                raise LineError(f"{identifier} has {len(found[name])} {name} roles; an attribution has at most one")
        if CONTENT not in found:
            raise LineError(f"{identifier} has no Content: an attribution's quote is its content")
        parts = sorted(fragment for bound in found[CONTENT] for fragment in bound.fragments)
        if any(start < end for (_, end), (start, _) in itertools.pairwise(parts)):
            raise LineError(f"the contents of {identifier} overlap")
        quote = {"kind": QUOTE.name, "start": parts[0][0], "end": parts[-1][1], "parts": [list(p) for p in parts]}
        if len(parts) == 1:
            quote["parts"] = None
        for name, attribute in ROLE_SPANS.items():
            quote[attribute] = list(found[name][0].fragments[0]) if name in found else None
        if quote[ROLE_SPANS[SOURCE]]:
            start, end = quote[ROLE_SPANS[SOURCE]]
            quote[SPEAKER] = " ".join(self.body[start:end].split())
        for bound in (bound for bounds in found.values() for bound in bounds):
            bound.used = True
        return [quote | {"status": IMPORTED_STATUS, "annotator": self.tally.annotator}]

    def _entity(self, reference: str, kind: str) -> Bound:
        if reference in self.outside:
            other, number = self.outside[reference]
            raise LineError(f"{reference} (line {number}) is a {other}, outside the attribution scheme")
        if reference in self.rejected:
            raise LineError(f"{reference} was rejected (line {self.rejected[reference]})")
        bound = self.bounds.get(reference)
        if bound is None:
            raise LineError(f"{reference} is not defined in this file")
        if bound.type != kind:
            raise LineError(f"{reference} is a {bound.type}, not a {kind}")
        return bound


def _stored(text: str) -> str:
    """A fragment of the .txt as the body holds it (normalize_body's changes, made to the fragment alone)."""
    text = text.replace(UTF8_BOM, "", 1) if text.startswith(UTF8_BOM) else text
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


Opener = Callable[[], IO[bytes]]


def _pair(txt: tuple[str, Opener], ann: tuple[str, Opener] | None, limits: ReadLimits, tally: BratImport):
    where, opener = txt
    try:
        with opener() as stream:
            data = read_at_most(stream, limits.max_record_bytes)
        raw = decode_utf8(data)
        # brat counts a BOM as a character of the text (its offsets are Python's over the decoded file).
        if data.startswith(UTF8_BOM.encode()):
            raw = UTF8_BOM + raw
        fields = clean_fields(
            {"body": raw, "metadata": {"file": _file_name(where)}}, max_body_bytes=limits.max_body_bytes
        )
    except Oversized:
        yield Rejection(where, f"is over the limit of {limits.max_record_bytes:,} bytes for one article; not read")
        return
    except RecordError as exc:
        yield Rejection(where, str(exc))
        return
    if ann is None:
        yield ArticleRecord(where, fields, [])
        return
    ann_where, ann_opener = ann
    try:
        with ann_opener() as stream:
            text = decode_utf8(read_at_most(stream, limits.max_document_bytes))
    except Oversized:
        yield Rejection(ann_where, f"is over the limit of {limits.max_document_bytes:,} bytes; not read")
        return
    except RecordError as exc:
        yield Rejection(ann_where, str(exc))
        return
    reader = AnnReader(ann_where, raw, fields["body"], tally)
    quotes = reader.read(text)
    yield from (rejection for _, rejection in sorted(reader.rejections, key=lambda r: r[0]))
    if reader.passed_over:
        over = ", ".join(f"{n} {what}" for what, n in sorted(reader.passed_over.items()))
        yield Skipped(ann_where, f"{over}: outside PolNeAR's attribution scheme")
    fields["metadata"]["ann"] = _file_name(ann_where)
    yield ArticleRecord(where, fields, quotes)


def _file_name(where: str) -> str:
    """A file's own name, also when it is a member of an archive (`x.zip!dir/a.txt`: `a.txt`)."""
    return PurePosixPath(where.rpartition("!")[2]).name


def _pairs(files: Iterable[tuple[str, PurePosixPath, Opener]], limits: ReadLimits, tally: BratImport) -> Iterator[Item]:
    """Pair each .txt with the .ann of the same name beside it; an .ann without its .txt is named and skipped."""
    by_stem: dict[PurePosixPath, dict[str, tuple[str, Opener]]] = {}
    for where, path, opener in files:
        by_stem.setdefault(path.with_suffix(""), {})[path.suffix.lower()] = (where, opener)
    for stem in sorted(by_stem):
        pair = by_stem[stem]
        if ".txt" not in pair:
            yield Skipped(pair[".ann"][0], f"has no {stem.name}.txt beside it: its annotations have no text")
            continue
        yield from _pair(pair[".txt"], pair.get(".ann"), limits, tally)


def _folder_files(folder: Path) -> Iterator[Item | tuple[str, PurePosixPath, Opener]]:
    for child in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = child.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or child.name in CONFIG_FILES:
            continue
        if child.suffix.lower() not in BRAT_SUFFIXES:
            yield Skipped(str(child), "not a .txt or .ann file")
            continue
        yield str(child), PurePosixPath(relative.as_posix()), lambda child=child: child.open("rb")


def _split(entries: Iterable[Item | tuple[str, PurePosixPath, Opener]], limits, tally) -> Iterator[Item]:
    files = []
    for entry in entries:
        if isinstance(entry, tuple):
            files.append(entry)
        else:
            yield entry
    yield from _pairs(files, limits, tally)


def read_brat_paths(paths: Iterable[Path], *, tally: BratImport, limits: ReadLimits | None = None) -> Iterator[Item]:
    """The articles of folders and .zip archives of brat `.txt` + `.ann` pairs, each with its quotes (by
    `tally.annotator`, submitted), the rejected lines and the files passed over."""
    limits = limits or ReadLimits()
    for path in paths:
        if path.is_dir():
            yield from _split(_folder_files(path), limits, tally)
        elif path.is_file() and path.suffix.lower() == ".zip":
            yield from read_brat_zip(str(path), lambda path=path: path.open("rb"), tally=tally, limits=limits)
        else:
            yield Rejection(str(path), "brat annotations are read from a folder or a .zip of .txt + .ann pairs")


def read_brat_zip(name: str, opener: Opener, *, tally: BratImport, limits: ReadLimits | None = None) -> Iterator[Item]:
    """The articles of a .zip of brat `.txt` + `.ann` pairs (an upload, a file), as `read_brat_paths` reads them."""
    limits = limits or ReadLimits()
    with opener() as stream:
        archive = open_zip(name, stream, limits)
        if isinstance(archive, Rejection):
            yield archive
            return
        with archive:
            members = zip_members(name, archive, limits, BRAT_SUFFIXES)
            yield from _split((m for m in members if not _is_config(m)), limits, tally)


def _is_config(entry: Item | tuple[str, PurePosixPath, Opener]) -> bool:
    """brat's configuration files beside the documents (an export holds annotation.conf): not articles."""
    return isinstance(entry, Skipped) and PurePosixPath(entry.where).name in CONFIG_FILES


def holds_brat(name: str, content: bytes) -> bool:
    """An uploaded .zip that holds .ann files (brat standoff), so its pairs are read as brat. Its list of members is
    measured first, as for any archive read (`open_zip`); one that cannot be read is left to the ordinary reader."""
    if not name.lower().endswith(".zip"):
        return False
    archive = open_zip(name, io.BytesIO(content), ReadLimits())
    if isinstance(archive, Rejection):
        return False
    with archive:
        return any(member.lower().endswith(".ann") for member in archive.namelist())
