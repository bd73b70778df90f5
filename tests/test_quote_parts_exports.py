"""Quotes in parts in the exports (contract §10): `jsonl` and `csv` carry the parts (jsonl with each part's text),
`w3c` gives one target per part with both selectors and still passes the W3C schemas, `conll` tags only the
tokens inside the parts; and jsonl export → import → export keeps them."""

from __future__ import annotations

import csv
import io
import json

import pytest

from annotator.annotations.services import create_annotation, review_annotation, submit_article
from annotator.articles.ingestion import read_named_file
from annotator.articles.services import import_articles
from annotator.exports.conll import LAYERS
from annotator.exports.services import export_dataset
from tests.factories import ArticleFactory
from tests.test_export_formats import assert_w3c_annotation_musts
from tests.test_export_roundtrip import annotations_of, new_project_with_the_same_members
from tests.test_quote_parts import BODY, FIRST, SECOND, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def quote(project, annotator, reviewer):
    article = ArticleFactory(project=project, body=BODY)
    made = create_annotation(
        actor=annotator,
        article=article,
        kind="quote",
        parts=[FIRST, SECOND],
        attributes={"speaker": "She", "cue_span": at(BODY, "said")},
    )
    submit_article(actor=annotator, article=article)
    review_annotation(actor=reviewer, annotation=made, decision="approve")
    return made


def exported(project, fmt: str) -> bytes:
    return b"".join(export_dataset(project=project, format=fmt, actor=None).chunks)


def test_jsonl_carries_each_part_with_its_text(project, quote):
    record = json.loads(exported(project, "jsonl"))
    (annotation,) = record["annotations"]
    assert annotation["parts"] == [
        {"start": FIRST[0], "end": FIRST[1], "text": "We will act,"},
        {"start": SECOND[0], "end": SECOND[1], "text": "and soon."},
    ]
    for part in annotation["parts"]:
        assert record["text"][part["start"] : part["end"]] == part["text"]
    assert annotation["text"] == record["text"][annotation["start"] : annotation["end"]]


def test_jsonl_export_import_export_keeps_the_parts(project, admin, quote):
    first = exported(project, "jsonl")
    target = new_project_with_the_same_members(project)
    items = read_named_file("export.jsonl", lambda: io.BytesIO(first))
    summary = import_articles(project=target, actor=admin, items=items)
    assert (summary.added, summary.rejected) == (1, [])
    second = exported(target, "jsonl")
    assert annotations_of(second) == annotations_of(first)


def test_csv_carries_the_parts_as_json_pairs(project, quote):
    rows = list(csv.DictReader(io.StringIO(exported(project, "csv").decode())))
    assert json.loads(rows[0]["parts"]) == [FIRST, SECOND]
    assert (int(rows[0]["start"]), int(rows[0]["end"])) == (FIRST[0], SECOND[1])


def test_w3c_gives_one_target_per_part_with_both_selectors(project, quote):
    (annotation,) = json.loads(exported(project, "w3c"))["first"]["items"]
    assert_w3c_annotation_musts(annotation)
    targets = annotation["target"]
    assert [t["selector"][0] for t in targets] == [
        {"type": "TextPositionSelector", "start": FIRST[0], "end": FIRST[1]},
        {"type": "TextPositionSelector", "start": SECOND[0], "end": SECOND[1]},
    ]
    assert [t["selector"][1]["exact"] for t in targets] == ["We will act,", "and soon."]
    assert targets[1]["selector"][1]["prefix"].endswith("she said, “")


def test_conll_tags_only_the_tokens_inside_the_parts(project, quote):
    lines = [line.split("\t") for line in exported(project, "conll").decode().splitlines() if "\t" in line]
    quote_column = 4 + LAYERS.index("QUOTE")
    tags = {(int(cells[1]), int(cells[2])): cells[quote_column] for cells in lines if cells[0] != "-DOCSTART-"}
    inside = {span: tag for span, tag in tags.items() if tag != "O"}
    assert all(FIRST[0] <= s < FIRST[1] or SECOND[0] <= s < SECOND[1] for s, _ in inside)
    assert tags[tuple(at(BODY, "she"))] == tags[tuple(at(BODY, "said"))] == "O"
    assert tags[(FIRST[0], FIRST[0] + 2)] == "B-QUOTE" and tags[(SECOND[0], SECOND[0] + 3)] == "B-QUOTE"
    assert "".join(BODY[s:e] for s, e in sorted(inside)) == "Wewillact,andsoon."
