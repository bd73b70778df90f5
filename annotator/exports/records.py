"""What every format says about an annotation: its fields, its attributes in a fixed order, the texts
of a quote's speaker and cue spans. Writers build on these so that the formats cannot drift apart."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from annotator.annotations.kinds import KINDS, span_attributes
from annotator.exports.rows import AnnotationRow, ArticleRow

# The attributes of each kind, in the order every format writes them (their definitions: annotations/kinds.py).
ATTRIBUTES: dict[str, tuple[str, ...]] = {name: kind.names for name, kind in KINDS.items()}
# A span attribute (a quote's speaker and cue) also carries the text at the span, under a name of its own.
SPAN_TEXTS: dict[str, str] = {a.name: a.span_text for a in span_attributes()}
CHUNK_BYTES = 1 << 16


@dataclass(frozen=True)
class ExportContext:
    """What a writer needs besides the rows: whose data, which filters, where links point."""

    project_slug: str
    project_name: str
    status: str
    kinds: tuple[str, ...]
    base_url: str  # absolute, without a trailing slash: the IRIs of W3C and ClaimReview start with it
    query_string: str  # the filters as the API's query string, for the IRI of a W3C collection

    def article_iri(self, article_id: int) -> str:
        return f"{self.base_url}/articles/{article_id}/"

    def annotation_iri(self, annotation_id: int) -> str:
        return f"{self.base_url}/api/v1/annotations/{annotation_id}/"


def span_text(body: str, span: Any) -> str | None:
    if not span:
        return None
    return body[span[0] : span[1]]


def parts_record(row: AnnotationRow, body: str) -> list[dict[str, Any]] | None:
    """A quote's parts as the JSON formats write them, each with its text; null for an ordinary span."""
    if not row.parts:
        return None
    return [{"start": s, "end": e, "text": body[s:e]} for s, e in row.parts]


def annotation_record(row: AnnotationRow, body: str) -> dict[str, Any]:
    """An annotation as the JSON formats write it: its fields, then its kind's attributes, flat."""
    record = {
        "id": row.id,
        "kind": row.kind,
        "start": row.start,
        "end": row.end,
        "text": row.text,
        "parts": parts_record(row, body),
        "status": row.status,
        "annotator": row.annotator,
        "reviewer": row.reviewer,
        "origin": row.origin,
    }
    attributes = row.attributes
    names = ATTRIBUTES[row.kind]
    for name in names:
        record[name] = attributes.get(name)
    for name in names:
        if name in SPAN_TEXTS:
            record[SPAN_TEXTS[name]] = span_text(body, attributes.get(name))
    record["created_at"] = row.created_at
    record["updated_at"] = row.updated_at
    return record


def article_fields(article: ArticleRow, project_slug: str) -> dict[str, Any]:
    """An article as the JSON Lines format writes it, before its annotations."""
    return {
        "id": article.id,
        "revision": article.revision,
        "project": project_slug,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "byline": article.byline,
        "language": article.language,
        "published_at": article.published_at,
        "text": article.body,
    }


def buffered(pieces: Iterable[bytes], size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The pieces joined into chunks of about `size` bytes (fewer, larger writes to a socket or file)."""
    buffer: list[bytes] = []
    held = 0
    for piece in pieces:
        buffer.append(piece)
        held += len(piece)
        if held >= size:
            yield b"".join(buffer)
            buffer, held = [], 0
    if buffer:
        yield b"".join(buffer)
