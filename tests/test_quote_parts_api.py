"""Quotes in parts through the API (contract §10): create, PATCH with If-Match, bulk, idempotent replays, 400s
naming the part, the OpenAPI schema, and imports of articles with annotations in parts."""

from __future__ import annotations

import io
import json

import pytest

from annotator.annotations.models import Annotation
from annotator.articles.ingestion import read_named_file
from annotator.articles.services import import_articles
from tests.factories import ArticleFactory
from tests.test_api import Api
from tests.test_quote_parts import BODY, FIRST, SECOND, at

pytestmark = pytest.mark.django_db
QUOTE = {"kind": "quote", "parts": [FIRST, SECOND], "attributes": {"speaker": "She"}}


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, body=BODY)


def test_a_quote_in_parts_is_created_read_and_listed_with_its_parts(article, annotator):
    api = Api(annotator)
    created = api.post(f"/articles/{article.pk}/annotations/", QUOTE)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["parts"] == [FIRST, SECOND]
    assert (body["start"], body["end"], body["text"]) == (FIRST[0], SECOND[1], BODY[FIRST[0] : SECOND[1]])
    assert api.get(f"/annotations/{body['id']}/").json()["parts"] == [FIRST, SECOND]
    listed = api.get(f"/articles/{article.pk}/annotations/").json()["results"]
    assert [a["parts"] for a in listed] == [[FIRST, SECOND]]


def test_an_ordinary_annotation_answers_parts_null(article, annotator):
    created = Api(annotator).post(f"/articles/{article.pk}/annotations/", {"kind": "claim", "start": 0, "end": 1})
    assert created.json()["parts"] is None


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ([FIRST, [40, 30]], "parts[1]: [40, 30] ends before it starts"),
        ([FIRST, [FIRST[0] + 2, SECOND[0]]], f"parts[1]: [{FIRST[0] + 2}, {SECOND[0]}] overlaps parts[0]"),
        ([FIRST, [SECOND[0], 9999]], f"parts[1]: [{SECOND[0]}, 9999] ends past the end of the body"),
        ([FIRST, "x"], "parts[1]: must be a pair of code-point offsets"),
        ("0-5", "must be a list of at least one part"),
    ],
)
def test_invalid_parts_are_a_400_naming_the_part_and_nothing_is_stored(article, annotator, parts, message):
    response = Api(annotator).post(f"/articles/{article.pk}/annotations/", {**QUOTE, "parts": parts})
    assert response.status_code == 400
    assert response.json()["errors"]["parts"][0].startswith(message)
    assert not Annotation.objects.exists()


def test_parts_on_a_claim_are_a_400(article, annotator):
    response = Api(annotator).post(f"/articles/{article.pk}/annotations/", {"kind": "claim", "parts": [FIRST, SECOND]})
    assert response.status_code == 400
    assert "only a quote has parts" in response.json()["errors"]["parts"][0]


def test_patch_changes_the_parts_with_if_match(article, annotator):
    api = Api(annotator)
    pk = api.post(f"/articles/{article.pk}/annotations/", QUOTE).json()["id"]
    third = at(BODY, "Then")
    changed = api.patch(f"/annotations/{pk}/", {"parts": [FIRST, SECOND, third]}, headers={"If-Match": '"1"'})
    assert changed.status_code == 200 and changed.headers["ETag"] == '"2"'
    assert changed.json()["parts"] == [FIRST, SECOND, third] and changed.json()["end"] == third[1]
    stale = api.patch(f"/annotations/{pk}/", {"parts": None}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert Annotation.objects.get(pk=pk).parts == [FIRST, SECOND, third]
    bad = api.patch(f"/annotations/{pk}/", {"parts": [SECOND, SECOND]}, headers={"If-Match": '"2"'})
    assert bad.status_code == 400 and "overlaps" in bad.json()["errors"]["parts"][0]
    plain = api.patch(f"/annotations/{pk}/", {"parts": None}, headers={"If-Match": '"2"'})
    assert plain.json()["parts"] is None and plain.json()["end"] == third[1]
    history = api.get(f"/annotations/{pk}/history/").json()
    assert [e["changes"].get("parts") for e in history[1:]] == [
        [[FIRST, SECOND], [FIRST, SECOND, third]],
        [[FIRST, SECOND, third], None],
    ]


def test_a_bulk_create_takes_parts_and_names_the_item_and_part_it_refuses(article, annotator):
    api = Api(annotator)
    refused = api.post(f"/articles/{article.pk}/annotations/", [QUOTE, {**QUOTE, "parts": [FIRST, [40, 30]]}])
    assert refused.status_code == 400
    assert refused.json()["errors"]["1"]["parts"] == ["parts[1]: [40, 30] ends before it starts"]
    assert not Annotation.objects.exists()
    stored = api.post(f"/articles/{article.pk}/annotations/", [QUOTE, {"kind": "claim", "start": 0, "end": 1}])
    assert [a["parts"] for a in stored.json()] == [[FIRST, SECOND], None]


def test_a_replayed_create_of_a_quote_in_parts_stores_it_once(article, annotator):
    api = Api(annotator)
    first = api.post(f"/articles/{article.pk}/annotations/", QUOTE, headers={"Idempotency-Key": "parts-1"})
    again = api.post(f"/articles/{article.pk}/annotations/", QUOTE, headers={"Idempotency-Key": "parts-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Annotation.objects.count() == 1


def test_the_openapi_schema_documents_parts(annotator):
    api = Api(annotator)
    schema = api.client.get("/api/v1/schema/", headers=api.headers | {"Accept": "application/json"}).json()
    components = schema["components"]["schemas"]
    for name in ("AnnotationInputRequest", "PatchedAnnotationPatchRequest"):
        parts = components[name]["properties"]["parts"]
        assert parts["type"] == "array" and parts["items"]["maxItems"] == 2
        assert "naming the part" in parts["description"]
    assert "null for an ordinary span" in components["Annotation"]["properties"]["parts"]["description"]


def test_an_import_with_annotations_in_parts_stores_them_and_refuses_bad_parts_by_record(project, admin):
    good = {"title": "A", "text": BODY, "annotations": [{**QUOTE, "parts": [SECOND, FIRST]}]}
    bad = {
        "title": "B",
        "text": BODY + " Another.",
        "annotations": [{**QUOTE, "parts": [FIRST, [40, 30]]}],
    }
    lines = "\n".join(json.dumps(record) for record in (good, bad)) + "\n"
    items = read_named_file("in.jsonl", lambda: io.BytesIO(lines.encode()))
    summary = import_articles(actor=admin, project=project, items=items, suggest=False)
    assert summary.added == 1 and len(summary.rejected) == 1
    assert "annotation 1: parts: parts[1]: [40, 30] ends before it starts" in str(summary.rejected)
    assert Annotation.objects.get().parts == [FIRST, SECOND]
