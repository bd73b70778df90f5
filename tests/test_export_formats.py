"""Every export format, read back with the consumer people use, on awkward text: for every exported
annotation, its text is the slice of the body at its offsets, in the exported data itself."""

from __future__ import annotations

import csv
import io
import json
import os
import re

import pytest

from annotator.annotations.models import Annotation
from annotator.exports.conll import LAYERS, escape, tokenize, unescape
from annotator.exports.services import export_dataset
from annotator.exports.table import COLUMNS, FORMULA_TRIGGERS
from tests.export_data import build_export_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(project, annotator, other_annotator, reviewer):
    return build_export_data(project, annotator, other_annotator, reviewer)


def unescape_cell(value: str) -> str:
    """A CSV text cell as stored: the export put one apostrophe before a formula (README, Exports)."""
    return value[1:] if value.startswith("'") else value


def exported(project, reviewer, fmt: str, **filters) -> bytes:
    return b"".join(export_dataset(project=project, format=fmt, actor=reviewer, **filters).chunks)


def bodies(data) -> dict[int, str]:
    return {article.pk: article.body for article in data.articles.values()}


def approved_ids(data, kinds=("quote", "claim", "stance")) -> set[int]:
    return {a.pk for a in data.approved if a.kind in kinds}


# --- JSON Lines ------------------------------------------------------------------------------------


def check_jsonl_records(records, data):
    seen = set()
    for record in records:
        body = record["text"]
        assert body == bodies(data)[record["id"]]
        for annotation in record["annotations"]:
            seen.add(annotation["id"])
            assert annotation["status"] == "approved"
            assert annotation["reviewer"] == "rita_reviewer"
            if annotation["start"] is None:
                assert annotation["kind"] == "stance" and annotation["text"] is None
                continue
            assert annotation["text"] == body[annotation["start"] : annotation["end"]]
            if annotation["kind"] == "quote":
                for span, text in (("speaker_span", "speaker_text"), ("cue_span", "cue_text")):
                    if annotation[span] is not None:
                        assert annotation[text] == body[annotation[span][0] : annotation[span][1]]
    assert seen == approved_ids(data)


def test_jsonl_loads_with_hugging_face_datasets_and_every_text_is_its_slice(project, reviewer, data, tmp_path):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import datasets

    path = tmp_path / "export.jsonl"
    path.write_bytes(exported(project, reviewer, "jsonl"))
    dataset = datasets.load_dataset("json", data_files=str(path), split="train", cache_dir=str(tmp_path / "hf"))
    assert len(dataset) == len(data.articles)
    check_jsonl_records(list(dataset), data)


def test_jsonl_loads_with_pandas_and_every_text_is_its_slice(project, reviewer, data):
    import pandas

    frame = pandas.read_json(io.BytesIO(exported(project, reviewer, "jsonl")), lines=True)
    assert list(frame.columns[:4]) == ["id", "revision", "project", "title"]
    check_jsonl_records(frame.to_dict("records"), data)


def test_jsonl_has_one_line_per_article_and_escapes_line_separators(project, reviewer, data):
    content = exported(project, reviewer, "jsonl")
    lines = content.decode().splitlines()  # splitlines() also splits at U+2028: none may be raw
    assert len(lines) == len(data.articles)
    assert "\u2028" not in content.decode() and "\\u2028" in content.decode()
    first = json.loads(lines[0])
    assert list(first) == [
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
    quote = next(a for a in first["annotations"] if a["kind"] == "quote" and a["speaker_span"])
    fields = ["id", "kind", "start", "end", "text", "parts", "status", "annotator", "reviewer", "origin"]
    assert list(quote)[: len(fields)] == fields
    assert quote["speaker_text"] == "Ana Kovač" and quote["cue_text"] == "said"


def test_pending_suggestions_are_never_exported_and_accepted_ones_keep_their_origin(project, reviewer, data):
    records = [json.loads(line) for line in exported(project, reviewer, "jsonl", status="all").splitlines()]
    annotations = {a["id"]: a for r in records for a in r["annotations"]}
    assert data.pending_suggestion.pk not in annotations
    accepted = Annotation.objects.get(origin="suggested", author__isnull=False)
    assert annotations[accepted.pk]["origin"] == "suggested"


# --- CSV --------------------------------------------------------------------------------------------


def test_csv_reads_back_with_pandas_and_every_text_is_its_slice(project, reviewer, data):
    import pandas

    frame = pandas.read_csv(io.BytesIO(exported(project, reviewer, "csv")), dtype=str, keep_default_na=False)
    assert tuple(frame.columns) == COLUMNS
    texts = bodies(data)
    assert set(frame["id"].astype(int)) == approved_ids(data)
    for row in frame.to_dict("records"):
        body = texts[int(row["article_id"])]
        if row["start"] == "":
            assert row["kind"] == "stance" and row["text"] == ""
            continue
        assert unescape_cell(row["text"]) == body[int(row["start"]) : int(row["end"])]
        if row["speaker_span_start"]:
            span = slice(int(row["speaker_span_start"]), int(row["speaker_span_end"]))
            assert unescape_cell(row["speaker_text"]) == body[span]


def test_csv_cells_cannot_start_a_spreadsheet_formula(project, reviewer, data):
    rows = list(csv.reader(io.StringIO(exported(project, reviewer, "csv").decode(), newline="")))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS[:-1])]
    assert "'=SUM(A1:A9)" in cells and "'-5% growth" in cells and "'@handles" in cells


def test_csv_is_utf8_without_bom_with_attributes_in_their_own_columns(project, reviewer, data):
    content = exported(project, reviewer, "csv")
    assert not content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode(), newline="")))
    claim = next(r for r in rows if r["text"] == "won 🇺🇦")
    assert (claim["verdict"], claim["category"], claim["checkworthy"], claim["speaker"]) == (
        "mostly_true",
        "event",
        "true",
        "",
    )


# --- W3C Web Annotation -----------------------------------------------------------------------------

MOTIVATIONS = {"assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting"} | {
    "identifying",
    "linking",
    "moderating",
    "questioning",
    "replying",
    "tagging",
}
IRI = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def assert_w3c_annotation_musts(annotation: dict) -> None:
    """Our own check of the MUST requirements of the W3C model that our annotations use (the full
    suite runs in bench/w3c_validate.py against ../shared)."""
    assert annotation["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert annotation["type"] == "Annotation" and IRI.match(annotation["id"])
    assert "bodyValue" not in annotation or "body" not in annotation
    assert annotation["motivation"] in MOTIVATIONS
    assert DATE_TIME.match(annotation["created"]) and DATE_TIME.match(annotation["modified"])
    creator = annotation["creator"]
    assert creator["type"] in ("Person", "Organization", "Software") and isinstance(creator["nickname"], str)
    for body in annotation["body"]:
        assert body["purpose"] in MOTIVATIONS
        if body["type"] == "TextualBody":
            assert isinstance(body["value"], str) and "source" not in body and "items" not in body
        else:
            assert body["type"] == "SpecificResource" and IRI.match(body["source"]) and "value" not in body
    target = annotation["target"]
    if isinstance(target, str):
        assert IRI.match(target)
        return
    for one in target if isinstance(target, list) else [target]:  # a quote in parts: one target per part
        assert one["type"] == "SpecificResource" and IRI.match(one["source"]) and "value" not in one
        position, quote = one["selector"]
        assert position["type"] == "TextPositionSelector"
        assert isinstance(position["start"], int) and isinstance(position["end"], int) and position["start"] >= 0
        assert quote["type"] == "TextQuoteSelector" and isinstance(quote["exact"], str)
        assert isinstance(quote["prefix"], str) and isinstance(quote["suffix"], str)


def test_w3c_collection_holds_every_annotation_with_exact_selectors(project, reviewer, data):
    collection = json.loads(exported(project, reviewer, "w3c"))
    assert collection["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection" and IRI.match(collection["id"])
    page = collection["first"]
    assert page["type"] == "AnnotationPage" and IRI.match(page["id"]) and page["startIndex"] == 0
    items = page["items"]
    assert collection["total"] == len(items) == len(approved_ids(data))
    texts = bodies(data)
    for annotation in items:
        assert_w3c_annotation_musts(annotation)
        target = annotation["target"]
        if isinstance(target, str):
            continue
        article_id = int(target["source"].rstrip("/").rsplit("/", 1)[1])
        body = texts[article_id]
        position, quote = target["selector"]
        assert quote["exact"] == body[position["start"] : position["end"]]
        assert body[: position["start"]].endswith(quote["prefix"])
        assert body[position["end"] :].startswith(quote["suffix"])
        assert annotation["ann:status"] == "approved" and annotation["ann:reviewer"] == "rita_reviewer"


def test_w3c_quote_carries_its_speaker_and_cue_spans_as_bodies(project, reviewer, data):
    items = json.loads(exported(project, reviewer, "w3c", kinds=["quote"]))["first"]["items"]
    quote = next(i for i in items if i["target"]["selector"][1]["exact"] == "we won 🇺🇦 at last!")
    spans = {b["ann:attribute"]: b for b in quote["body"] if b["type"] == "SpecificResource"}
    assert spans["speaker_span"]["selector"][1]["exact"] == "Ana Kovač"
    assert spans["cue_span"]["selector"][0] == {"type": "TextPositionSelector", "start": 14, "end": 18}
    assert quote["body"][0] == {"type": "TextualBody", "purpose": "classifying", "value": "quote"}
    assert quote["motivation"] == "identifying" and quote["creator"]["nickname"] == "ann_annotator"


# --- CoNLL ------------------------------------------------------------------------------------------


def read_conll(text: str) -> dict[int, dict[str, set[tuple[int, int, str]]]]:
    """A CoNLL reader: per article, per layer, the spans (start, end, text) rebuilt from the BIO tags."""
    documents: dict[int, dict[str, set]] = {}
    tokens: list[tuple[str, int, int, str, list[str]]] = []

    def close():
        if not tokens:
            return
        layers = documents[current]
        for index, layer in enumerate(LAYERS):
            open_spans: dict[int, list] = {}
            for token, start, end, space, cells in tokens:
                tags = cells[index].split("|")
                for place, tag in enumerate(tags):
                    if tag.startswith("B-"):
                        if place in open_spans:
                            layers[layer].add(finish(open_spans.pop(place)))
                        open_spans[place] = [start, end, token, space]
                    elif tag.startswith("I-"):
                        span = open_spans[place]
                        span[2] += span[3] + token
                        span[1], span[3] = end, space
                    elif place in open_spans:
                        layers[layer].add(finish(open_spans.pop(place)))
                for place in [p for p in open_spans if p >= len(tags)]:
                    layers[layer].add(finish(open_spans.pop(place)))
            for span in open_spans.values():
                layers[layer].add(finish(span))
        tokens.clear()

    def finish(span):
        return (span[0], span[1], span[2])

    current = None
    for line in text.split("\n"):
        if line.startswith("-DOCSTART-"):
            close()
            current = int(line.split("\t")[1])
            documents[current] = {layer: set() for layer in LAYERS}
        elif not line:
            close()
        else:
            token, start, end, space, *cells = line.split("\t")
            assert len(cells) == len(LAYERS)
            tokens.append((unescape(token), int(start), int(end), unescape(space), cells))
    close()
    return documents


def test_conll_rebuilds_every_span_of_every_layer_exactly(project, reviewer, data):
    text = exported(project, reviewer, "conll").decode()
    assert text.count("-DOCSTART-") == len(data.articles)
    documents = read_conll(text)
    expected = {article_id: {layer: set() for layer in LAYERS} for article_id in bodies(data)}
    for annotation in data.approved:
        layers = expected[annotation.article_id]
        if annotation.kind == "claim":
            layers["CLAIM"].add((annotation.start, annotation.end, annotation.text))
        elif annotation.kind == "quote":
            layers["QUOTE"].add((annotation.start, annotation.end, annotation.text))
            body = annotation.article.body
            for name, layer in (("speaker_span", "SPEAKER"), ("cue_span", "CUE")):
                if span := annotation.attributes.get(name):
                    layers[layer].add((span[0], span[1], body[span[0] : span[1]]))
    assert documents == expected


def test_conll_token_offsets_and_spaces_rebuild_the_body(project, reviewer, data):
    text = exported(project, reviewer, "conll").decode()
    texts = bodies(data)
    article = None
    for line in text.split("\n"):
        if line.startswith("-DOCSTART-"):
            article = texts[int(line.split("\t")[1])]
            rebuilt, position = "", None
        elif line:
            token, start, end, space = line.split("\t")[:4]
            token, start, end = unescape(token), int(start), int(end)
            assert article[start:end] == token
            if position is not None:
                assert position == start
            rebuilt += token + unescape(space)
            position = end + len(unescape(space))
    assert "\t\t" not in text and "\r" not in text


def test_conll_stacks_overlapping_spans_of_one_layer(project, reviewer, data):
    text = exported(project, reviewer, "conll").decode()
    assert "I-QUOTE|B-QUOTE" in text and "O|I-QUOTE" in text
    assert "\\s\t142\t143\t" in text  # a claim that starts with a space has that space as a token


def test_tokenisation_keeps_graphemes_whole_and_cuts_at_span_boundaries():
    body = "Chef 👩🏽‍🍳 sagt: 東京は q\u0303x 🇺🇦!"

    def words(spans=()):
        return [body[t.start : t.end] for t in tokenize(body, spans)]

    assert words() == ["Chef", "👩🏽‍🍳", "sagt", ":", "東", "京", "は", "q\u0303x", "🇺🇦", "!"]
    assert words([(1, 3)]) == ["C", "he", "f", "👩🏽‍🍳", "sagt", ":", "東", "京", "は", "q\u0303x", "🇺🇦", "!"]
    assert words([(4, 9)])[:3] == ["Chef", " ", "👩🏽‍🍳"]
    assert escape("a b\t\n\u2028\\") == "a\\sb\\t\\n\\u2028\\\\" and unescape(escape("x \u2029\\y")) == "x \u2029\\y"


# --- ClaimReview ------------------------------------------------------------------------------------


def test_claimreview_reviews_every_claim_with_a_verdict(project, reviewer, data):
    document = json.loads(exported(project, reviewer, "claimreview"))
    assert document["@context"][0] == "https://schema.org"
    reviews = document["@graph"]
    with_verdict = {a.pk for a in data.approved if a.kind == "claim" and a.attributes.get("verdict")}
    assert {r["ann:annotation"]["id"] for r in reviews} == with_verdict
    texts = bodies(data)
    by_text = {}
    for review in reviews:
        annotation = review["ann:annotation"]
        body = next(texts[a.article_id] for a in data.approved if a.pk == annotation["id"])
        assert review["@type"] == "ClaimReview"
        assert review["claimReviewed"] == annotation["text"] == body[annotation["start"] : annotation["end"]]
        assert review["itemReviewed"]["@type"] == "Claim"
        assert review["url"].startswith("https://ledger.example.com/")
        assert review["itemReviewed"]["appearance"]["url"] == review["url"]
        by_text[review["claimReviewed"]] = review
    emoji = by_text["won 🇺🇦"]
    assert emoji["itemReviewed"]["author"] == {"@type": "Person", "name": "Ana Kovač"}
    assert emoji["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Mostly true",
        "ratingValue": 4,
        "worstRating": 1,
        "bestRating": 5,
        "ratingExplanation": "Ja.",
    }
    assert by_text["增长了百分之三"]["itemReviewed"]["author"]["name"] == "小池百合子"
    assert "author" not in by_text["המשק יצמח"]["itemReviewed"]
    assert "ratingValue" not in by_text["המשק יצמח"]["reviewRating"]


def test_every_format_streams_the_same_annotations_it_counted(project, reviewer, data):
    for fmt in ("jsonl", "csv", "w3c", "conll", "claimreview"):
        export = export_dataset(project=project, format=fmt, actor=reviewer)
        b"".join(export.chunks)
        assert export.chunks.streamed.as_dict() == export.counts
        assert export.counts["annotations"] > 0
