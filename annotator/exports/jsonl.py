"""JSON Lines: one line per article with at least one exported annotation.

`{"id", "revision", "project", "title", "source", "url", "byline", "language", "published_at", "text", "annotations"}`,
where `text` is the body and each annotation is `{id, kind, start, end, text, parts, status, annotator, reviewer,
origin, ...its kind's attributes, created_at, updated_at}` (quotes add `speaker_text` and `cue_text`); `parts`
is null, or for a quote in parts the list of its parts `{start, end, text}` (docs/quotes-in-parts.md).
Offsets count code points of `text`. UTF-8, `\\n` line ends, keys in a fixed order; U+2028 and U+2029
are written as escapes so that no line-splitting reader breaks a record in two. Hugging Face
`datasets.load_dataset("json", data_files=...)`, `pandas.read_json(..., lines=True)` and
`load_articles` read it as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson

from annotator.exports.records import ExportContext, annotation_record, article_fields, buffered
from annotator.exports.rows import ArticleGroup

LINE_SEPARATOR = "\u2028".encode()
PARAGRAPH_SEPARATOR = "\u2029".encode()


def write_jsonl(groups: Iterable[ArticleGroup], context: ExportContext) -> Iterator[bytes]:
    return buffered(_lines(groups, context))


def _lines(groups: Iterable[ArticleGroup], context: ExportContext) -> Iterator[bytes]:
    for article, rows in groups:
        body = article.body
        record = article_fields(article, context.project_slug)
        record["annotations"] = [annotation_record(row, body) for row in rows]
        line = orjson.dumps(record)
        if LINE_SEPARATOR in line:
            line = line.replace(LINE_SEPARATOR, b"\\u2028")
        if PARAGRAPH_SEPARATOR in line:
            line = line.replace(PARAGRAPH_SEPARATOR, b"\\u2029")
        yield line + b"\n"
