"""The export through the API: streamed, named, counted in headers, and `?format=` reaches the export."""

from __future__ import annotations

import json

import pytest

from annotator.annotations.services import create_annotation, review_annotation, submit_article
from tests.test_api import Api

pytestmark = pytest.mark.django_db


def test_a_reviewer_streams_the_approved_annotations_as_jsonl(project, article, annotator, reviewer):
    annotation = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    submit_article(actor=annotator, article=article)
    review_annotation(actor=reviewer, annotation=annotation, decision="approve")
    response = Api(reviewer).get(f"/projects/{project.slug}/export/?format=jsonl")
    assert response.status_code == 200
    assert response.streaming
    assert "attachment" in response.headers["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode().splitlines()
    record = json.loads(lines[0])
    exported = record["annotations"][0]
    assert exported["text"] == record["text"][exported["start"] : exported["end"]]
    assert any(name.lower().startswith("x-export") for name in response.headers)


def test_csv_is_served_to_a_client_that_asks_for_csv(project, reviewer):
    response = Api(reviewer).get(f"/projects/{project.slug}/export/?format=csv", headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")


def test_export_errors_and_permissions(project, annotator, reviewer, outsider):
    bad = Api(reviewer).get(f"/projects/{project.slug}/export/?format=xml")
    assert bad.status_code == 400 and "format" in bad.json()["detail"]
    assert Api(annotator).get(f"/projects/{project.slug}/export/?format=jsonl").status_code == 403
    assert Api(outsider).get(f"/projects/{project.slug}/export/?format=jsonl").status_code == 404
    assert Api().get(f"/projects/{project.slug}/export/?format=jsonl").status_code == 401
