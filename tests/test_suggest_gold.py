"""Gold set (a) for the quote and claim suggesters: tests/data/suggest_gold.jsonl is well formed, every span
matches the article text, and the file is exactly what tests/data/build_suggest_gold.py writes. No database."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "suggest_gold.jsonl"
GENERATOR = ROOT / "tests" / "data" / "build_suggest_gold.py"
SEED = ROOT / "seeds" / "000_aa40cb290a0c0354.txt"

ARTICLE_KEYS = [
    "id",
    "revision",
    "project",
    "title",
    "source",
    "url",
    "byline",
    "language",
    "published_at",
    "text",
    "annotations",
]
COMMON_KEYS = ["id", "kind", "start", "end", "text", "parts", "status", "annotator", "reviewer", "origin"]
KIND_KEYS = {
    "quote": ["speaker", "speaker_span", "cue_span", "quote_type", "speaker_text", "cue_text"],
    "claim": ["checkworthy", "category", "verdict", "verdict_note", "evidence_url"],
}
TIMESTAMP_KEYS = ["created_at", "updated_at"]
QUOTE_TYPES = {"direct", "indirect", "mixed"}
CATEGORIES = {"statistic", "event", "fact", "prediction", "causal", "other"}


@cache
def records() -> tuple[dict, ...]:
    with GOLD.open(encoding="utf-8", newline="") as handle:
        return tuple(json.loads(line) for line in handle)


def annotations():
    for record in records():
        for annotation in record["annotations"]:
            yield record["text"], annotation


def test_the_file_is_what_the_generator_writes(tmp_path):
    output = tmp_path / "suggest_gold.jsonl"
    result = subprocess.run(
        [sys.executable, str(GENERATOR), str(output)], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert output.read_bytes() == GOLD.read_bytes(), "run `python tests/data/build_suggest_gold.py` and commit"


def test_lines_are_utf8_json_with_newline_ends():
    raw = GOLD.read_bytes()
    assert raw.endswith(b"\n") and b"\r" not in raw
    lines = raw.decode("utf-8").split("\n")[:-1]
    assert len(lines) == len(records())
    assert all(line.startswith('{"id":') for line in lines)


def test_articles():
    articles = records()
    assert len(articles) >= 26
    assert [a["id"] for a in articles] == list(range(1, len(articles) + 1))
    for article in articles:
        assert list(article) == ARTICLE_KEYS
        assert article["project"] == "gold"
        assert article["language"] == "en"
        assert article["url"] == ""
        assert article["published_at"] is None
        assert article["title"].strip()
        body = article["text"]
        assert body.strip() and "\r" not in body and "\x00" not in body
        assert unicodedata.is_normalized("NFC", body)  # what the project stores, so offsets survive an import
    assert len({a["text"] for a in articles}) == len(articles)


def test_the_first_article_is_the_seed_byte_for_byte():
    assert records()[0]["text"] == SEED.read_bytes().decode("utf-8")


def test_annotation_ids_are_unique_and_in_export_order():
    ids = [annotation["id"] for _, annotation in annotations()]
    assert len(ids) == len(set(ids))
    for article in records():
        keys = [(a["start"], a["end"], a["id"]) for a in article["annotations"]]
        assert keys == sorted(keys)


def test_every_span_is_the_text_at_its_offsets():
    for body, annotation in annotations():
        assert list(annotation) == COMMON_KEYS + KIND_KEYS[annotation["kind"]] + TIMESTAMP_KEYS
        start, end = annotation["start"], annotation["end"]
        assert isinstance(start, int) and isinstance(end, int)
        assert 0 <= start < end <= len(body)
        assert body[start:end] == annotation["text"], annotation["id"]
        assert annotation["text"] == annotation["text"].strip()
        assert (annotation["status"], annotation["annotator"], annotation["reviewer"], annotation["origin"]) == (
            "approved",
            "gold",
            "gold",
            "human",
        )


def check_span(body: str, span, text) -> None:
    if span is None:
        assert text is None
        return
    assert isinstance(span, list) and len(span) == 2
    start, end = span
    assert isinstance(start, int) and isinstance(end, int)
    assert 0 <= start < end <= len(body)
    assert body[start:end] == text


def test_quotes():
    for body, quote in annotations():
        if quote["kind"] != "quote":
            continue
        assert isinstance(quote["speaker"], str) and quote["speaker"].strip(), quote["id"]
        assert quote["speaker"] in body  # the canonical name is the one the article gives
        assert quote["quote_type"] in QUOTE_TYPES
        check_span(body, quote["speaker_span"], quote["speaker_text"])
        check_span(body, quote["cue_span"], quote["cue_text"])
        for span in (quote["speaker_span"], quote["cue_span"]):
            if span:  # the speaker and the cue are outside the quoted content
                assert span[1] <= quote["start"] or span[0] >= quote["end"], quote["id"]


def test_claims():
    for _, claim in annotations():
        if claim["kind"] != "claim":
            continue
        assert claim["checkworthy"] is True
        assert claim["category"] in CATEGORIES
        assert claim["verdict"] is None
        assert claim["verdict_note"] == ""
        assert claim["evidence_url"] == ""
        assert not claim["text"].endswith(".")


def test_the_set_keeps_its_variety():
    types = Counter(a["quote_type"] for _, a in annotations() if a["kind"] == "quote")
    assert all(types[t] >= 10 for t in QUOTE_TYPES), types
    categories = Counter(a["category"] for _, a in annotations() if a["kind"] == "claim")
    assert sum(categories[c] > 0 for c in CATEGORIES) >= 5, categories
    without_quotes = [r for r in records() if not any(a["kind"] == "quote" for a in r["annotations"])]
    assert len(without_quotes) >= 2
    speakers = {a["speaker"] for _, a in annotations() if a["kind"] == "quote"}
    assert len(speakers) >= 50
    bodies = "".join(r["text"] for r in records())
    for mark in "“«„「'":
        assert mark in bodies
    assert any(ord(char) > 0xFFFF for char in bodies)  # an astral character: code points, not UTF-16 units


def test_the_lines_are_what_the_project_jsonl_writer_writes():
    """Same bytes as annotator/exports/jsonl.py writes for the same rows: the set is one of our own exports."""
    from annotator.exports.jsonl import write_jsonl
    from annotator.exports.records import ExportContext
    from annotator.exports.rows import AnnotationRow, ArticleGroup, ArticleRow

    context = ExportContext(
        project_slug="gold",
        project_name="gold",
        status="approved",
        kinds=("quote", "claim", "stance"),
        base_url="http://testserver",
        query_string="",
    )
    groups = []
    for record in records():
        article = ArticleRow(
            id=record["id"],
            title=record["title"],
            body=record["text"],
            source=record["source"],
            url=record["url"],
            byline=record["byline"],
            published_at=record["published_at"],
            language=record["language"],
            revision=record["revision"],
        )
        rows = []
        for a in record["annotations"]:
            names = KIND_KEYS[a["kind"]][:5] if a["kind"] == "claim" else KIND_KEYS["quote"][:4]
            rows.append(
                AnnotationRow(
                    id=a["id"],
                    article_id=record["id"],
                    kind=a["kind"],
                    start=a["start"],
                    end=a["end"],
                    text=a["text"],
                    status=a["status"],
                    origin=a["origin"],
                    annotator=a["annotator"],
                    reviewer=a["reviewer"],
                    attributes={name: a[name] for name in names},
                    created_at=a["created_at"],
                    updated_at=a["updated_at"],
                    exported=True,
                )
            )
        groups.append(ArticleGroup(article, rows))
    assert b"".join(write_jsonl(groups, context)) == GOLD.read_bytes()


def test_load_articles_reads_every_article_with_its_text_unchanged():
    """The offsets hold after an import: the ingestion keeps every body as it is."""
    from annotator.articles.ingestion import ArticleRecord, read_paths

    items = list(read_paths([GOLD]))
    assert all(isinstance(item, ArticleRecord) for item in items), items
    assert [item.fields["body"] for item in items] == [record["text"] for record in records()]
    assert [item.fields["title"] for item in items] == [record["title"] for record in records()]
