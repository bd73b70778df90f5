"""The export page says what each format leaves out and why, from the rules that leave it out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotator.annotations.services import create_annotation, submit_article
from annotator.exports.services import FORMATS, export_dataset
from tests.conftest import secure_client
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
BODY = "The minister said inflation will fall below 3% by June."


def test_each_format_names_what_it_leaves_out():
    assert FORMATS["claimreview"].left_out() == [
        "Quotes and stances: ClaimReview describes claims; quotes only give a claim its speaker.",
        "Claims without a verdict: a ClaimReview is a rating, and a claim without a verdict has none to give.",
    ]
    assert FORMATS["conll"].left_out()[0].startswith("Stances: CoNLL tags stretches of tokens")
    assert FORMATS["jsonl"].left_out() == FORMATS["csv"].left_out() == FORMATS["w3c"].left_out() == []


def test_what_claimreview_says_it_leaves_out_is_what_it_leaves_out(project, annotator, admin):
    article = ArticleFactory(project=project, body=BODY)
    start = BODY.index("inflation")
    create_annotation(actor=annotator, article=article, kind="claim", start=start, end=start + 9)
    create_annotation(
        actor=annotator, article=article, kind="claim", start=0, end=12, attributes={"verdict": "mostly_true"}
    )
    create_annotation(
        actor=annotator, article=article, kind="stance", attributes={"polarity": "favor", "target": "the budget"}
    )
    submit_article(actor=annotator, article=article)
    export = export_dataset(project=project, actor=admin, format="claimreview", status="submitted")
    assert export.counts["annotations"] == 1


def test_the_export_page_lists_what_every_format_leaves_out(project, reviewer, django_assert_max_num_queries):
    client = secure_client(reviewer)
    url = reverse("export_page", args=[project.slug])
    client.get(url)
    with django_assert_max_num_queries(8):
        page = client.get(url, {"format": "claimreview"}).content.decode()
    assert "What is left out, and why" in page
    assert "Claims without a verdict: a ClaimReview is a rating" in page
    assert 'id="export-format-left-out">Left out of this file: Quotes and stances' in page
    assert "Suggestions nobody accepted are never exported" in page
    fragment = client.get(url, {"format": "jsonl"}, headers={"HX-Request": "true"}).content.decode()
    assert "export-format-left-out" not in fragment
