"""brat standoff: a zip of `<article id>.txt` (the body, exactly, UTF-8) and `<article id>.ann` per article, in
PolNeAR's attribution scheme, with an `annotation.conf` so that brat opens the folder as a collection.

Each quote, in export order (start, end, id), is written as:

    T1  Content 3 15;28 37  We will act, and soon.     the quote's span: its parts as fragments `s e;s e`
    T2  Cue 21 25  said                                 its cue_span, when it has one
    T3  Attribution 21 25  said                         the event's trigger: on the cue (else on the content)
    T4  Source 17 20  she                               its speaker_span, written once per distinct span
    E1  Attribution:T3 Content:T1 Cue:T2 Source:T4

`Attribution-no-source` (trigger and event type) when the quote has no speaker span. A text column joins the
fragments' texts with a space, as brat does, and holds no line break (each is written as a space). Offsets count
code points of the body, which is what brat counts in the .txt. Only quotes are exported. docs/brat.md.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator

from annotator.articles.ingestion.brat import ATTRIBUTION, CONTENT, CUE, NO_SOURCE, ROLE_SPANS, SOURCE, ann_text
from annotator.exports.records import ExportContext, buffered
from annotator.exports.rows import AnnotationRow, ArticleGroup

WHY_QUOTES_ONLY = "PolNeAR's attribution scheme describes quotes (a Source, a Cue and a Content)"
# A fixed time for every member, so that the same data gives the same bytes.
MEMBER_TIME = (1980, 1, 1, 0, 0, 0)
ANNOTATION_CONF = f"""[entities]
{SOURCE}
{CUE}
{CONTENT}

[relations]
<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>

[events]
{ATTRIBUTION}\t{CONTENT}:{CONTENT}, {CUE}?:{CUE}, {SOURCE}:{SOURCE}
{NO_SOURCE}\t{CONTENT}:{CONTENT}, {CUE}?:{CUE}

[attributes]
"""


class _Sink(io.RawIOBase):
    """Where the zip writes; what it wrote is taken out after each member, so the archive is never whole in memory."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.pieces.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.pieces = b"".join(self.pieces), []
        return data


def write_brat(groups: Iterable[ArticleGroup], context: ExportContext) -> Iterator[bytes]:
    return buffered(_archive(groups))


def _archive(groups: Iterable[ArticleGroup]) -> Iterator[bytes]:
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def member(name: str, text: str) -> bytes:
            info = zipfile.ZipInfo(name, date_time=MEMBER_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
            return sink.take()

        yield member("annotation.conf", ANNOTATION_CONF)
        for article, rows in groups:
            yield member(f"{article.id}.txt", article.body)
            yield member(f"{article.id}.ann", ann_file(article.body, rows))
    yield sink.take()


def ann_file(body: str, rows: Iterable[AnnotationRow]) -> str:
    """The .ann of one article: its quotes as attribution events, a Source shared by the quotes that have its span."""
    lines: list[str] = []
    sources: dict[tuple[int, int], str] = {}
    entities = events = 0

    def entity(kind: str, fragments: list[tuple[int, int]]) -> str:
        nonlocal entities
        entities += 1
        spans = ";".join(f"{s} {e}" for s, e in fragments)
        lines.append(f"T{entities}\t{kind} {spans}\t{ann_text(body, fragments)}")
        return f"T{entities}"

    for row in rows:
        if row.kind != "quote" or row.start is None:
            continue
        content = [tuple(p) for p in row.parts] if row.parts else [(row.start, row.end)]
        speaker, cue = (row.attributes.get(ROLE_SPANS[name]) for name in (SOURCE, CUE))
        roles = [f"{CONTENT}:{entity(CONTENT, content)}"]
        if cue:
            roles.append(f"{CUE}:{entity(CUE, [tuple(cue)])}")
        kind = ATTRIBUTION if speaker else NO_SOURCE
        trigger = entity(kind, [tuple(cue)] if cue else content)
        if speaker:
            key = tuple(speaker)
            if key not in sources:
                sources[key] = entity(SOURCE, [key])
            roles.append(f"{SOURCE}:{sources[key]}")
        events += 1
        lines.append(f"E{events}\t{kind}:{trigger} {' '.join(roles)}")
    return "".join(line + "\n" for line in lines)
