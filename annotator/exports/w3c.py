"""W3C Web Annotation (https://www.w3.org/TR/annotation-model/): one JSON-LD `AnnotationCollection`.

The collection embeds its one `AnnotationPage` as `first`; the page's `items` are the annotations, one
per line, and the collection's `total` comes last (counted while streaming, so it is exact). Each
annotation repeats the `@context`, so that it stands alone as a valid annotation, and has:

- `id`: the annotation's IRI in the API; `type` `Annotation`; `created`, `modified` (UTC, xsd:dateTime);
  `creator`: the annotator, `{"type": "Person", "nickname": username}`;
- `motivation`: `identifying` for a quote, `classifying` for a stance or an unchecked claim,
  `assessing` for a claim with a verdict;
- `target`: a `SpecificResource` whose `source` is the article's page and whose `selector` is a
  `TextPositionSelector` (`start`, `end`: code points of the article's body, as the model requires)
  and a `TextQuoteSelector` (`exact`, and up to 32 code points of `prefix` and `suffix`); a
  document-level stance targets the article itself; a quote in parts has one such target per part, in
  order (the model's several targets: the annotation is about all of them);
- `body`: a `TextualBody` with purpose `classifying` and the kind as its value, then one body per
  attribute that has a value, named by `ann:attribute`: a `TextualBody` (its purpose is the attribute's
  `purpose` in annotations/kinds.py: `identifying` for
  `speaker` and `holder`, `classifying` for `quote_type` and `category`, `assessing` for `checkworthy`,
  `verdict` and `polarity`, `describing` for `verdict_note`, `linking` for `evidence_url`, `tagging`
  for `target`), or for `speaker_span` and `cue_span` a `SpecificResource` on the article with the
  same two selectors;
- `ann:status`, `ann:origin`, `ann:reviewer`: our workflow, in our own vocabulary (`ann:` is
  `urn:annotator:terms:`, declared in the `@context` after the W3C one).

Every annotation passes the 54 MUST assertions of the W3C test suite (`annotationMusts.test`), and the
collection those of `collectionMusts.test` and `pageMusts.test`: `bench/w3c_validate.py` runs them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from annotator.annotations.kinds import KINDS, Type
from annotator.exports.records import ExportContext, buffered, span_text
from annotator.exports.rows import AnnotationRow, ArticleGroup

CONTEXT = ["http://www.w3.org/ns/anno.jsonld", {"ann": "urn:annotator:terms:"}]
QUOTE_CONTEXT = 32


def selectors(body: str, start: int, end: int) -> list[dict[str, Any]]:
    return [
        {"type": "TextPositionSelector", "start": start, "end": end},
        {
            "type": "TextQuoteSelector",
            "exact": body[start:end],
            "prefix": body[max(0, start - QUOTE_CONTEXT) : start],
            "suffix": body[end : end + QUOTE_CONTEXT],
        },
    ]


def _motivation(row: AnnotationRow) -> str:
    if row.kind == "quote":
        return "identifying"
    if row.kind == "claim" and row.attributes.get("verdict"):
        return "assessing"
    return "classifying"


def _value(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def web_annotation(row: AnnotationRow, body: str, context: ExportContext) -> dict[str, Any]:
    """One annotation in the W3C model."""
    source = context.article_iri(row.article_id)
    bodies: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "classifying", "value": row.kind}]
    attributes = row.attributes
    for attribute in KINDS[row.kind].attributes:
        name = attribute.name
        value = attributes.get(name)
        if value is None or value == "":
            continue
        if attribute.type == Type.SPAN:
            bodies.append(
                {
                    "type": "SpecificResource",
                    "purpose": attribute.purpose,
                    "source": source,
                    "selector": selectors(body, value[0], value[1]),
                    "ann:attribute": name,
                    "ann:text": span_text(body, value),
                }
            )
        else:
            bodies.append(
                {"type": "TextualBody", "purpose": attribute.purpose, "value": _value(value), "ann:attribute": name}
            )
    if row.start is None:
        target: Any = source
    elif row.parts:
        target = [
            {"type": "SpecificResource", "source": source, "selector": selectors(body, start, end)}
            for start, end in row.parts
        ]
    else:
        target = {"type": "SpecificResource", "source": source, "selector": selectors(body, row.start, row.end)}
    return {
        "@context": CONTEXT,
        "id": context.annotation_iri(row.id),
        "type": "Annotation",
        "motivation": _motivation(row),
        "created": row.created_at,
        "modified": row.updated_at,
        "creator": {"type": "Person", "nickname": row.annotator},
        "body": bodies,
        "target": target,
        "ann:status": row.status,
        "ann:origin": row.origin,
        "ann:reviewer": row.reviewer,
    }


def collection_iri(context: ExportContext) -> str:
    return f"{context.base_url}/api/v1/projects/{context.project_slug}/export/?{context.query_string}"


def write_w3c(groups: Iterable[ArticleGroup], context: ExportContext) -> Iterator[bytes]:
    return buffered(_pieces(groups, context))


def _pieces(groups: Iterable[ArticleGroup], context: ExportContext) -> Iterator[bytes]:
    iri = collection_iri(context)
    head = orjson.dumps(
        {
            "@context": CONTEXT,
            "id": iri,
            "type": "AnnotationCollection",
            "label": f"{context.project_name}: {context.status} annotations",
        }
    )
    page = orjson.dumps({"id": f"{iri}#page-1", "type": "AnnotationPage", "partOf": iri, "startIndex": 0})
    # The collection without its closing brace, then "first": the page without its closing brace.
    yield head[:-1] + b',"first":' + page[:-1] + b',"items":['
    total = 0
    for article, rows in groups:
        for row in rows:
            yield (b"\n" if total == 0 else b",\n") + orjson.dumps(web_annotation(row, article.body, context))
            total += 1
    yield b'\n]},"total":' + str(total).encode() + b"}\n"
