"""The API's annotation representation is built directly (for speed); it must equal DRF's field-by-field one."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from annotator.annotations.models import Annotation, Origin, Status
from annotator.annotations.services import create_annotation
from annotator.api.serializers import AnnotationSerializer

pytestmark = pytest.mark.django_db


def drf_representation(annotation: Annotation) -> dict:
    """What ModelSerializer makes of the declared fields, without the fast path."""
    return serializers.ModelSerializer.to_representation(AnnotationSerializer(), annotation)


def annotations(article, annotator) -> list[Annotation]:
    body = article.body
    start = body.index("inflation")
    quote = create_annotation(
        actor=annotator,
        article=article,
        kind="quote",
        start=start,
        end=start + 9,
        text="inflation",
        attributes={"speaker": "Ana Kovač", "speaker_span": [15, 24], "cue_span": None, "quote_type": "direct"},
    )
    claim = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5, text=body[:5])
    stance = create_annotation(
        actor=annotator,
        article=article,
        kind="stance",
        start=None,
        end=None,
        attributes={"holder": "critics", "target": "the forecast", "polarity": "against"},
    )
    suggestion = Annotation.objects.create(
        article=article,
        kind="claim",
        start=0,
        end=5,
        text=body[:5],
        attributes={"checkworthy": True},
        author=None,
        origin=Origin.SUGGESTED,
        status=Status.DRAFT,
    )
    # Unsaved-looking instances too: enum members and a timestamp in another zone, as services hold them.
    claim.status = Status.SUBMITTED
    claim.updated_at = dt.datetime(2026, 3, 29, 1, 30, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    return [quote, claim, stance, suggestion]


def test_the_fast_representation_equals_drfs_for_every_kind(article, annotator):
    for annotation in annotations(article, annotator):
        fast = AnnotationSerializer(annotation).data
        assert fast == drf_representation(annotation)
        assert JSONRenderer().render(fast) == JSONRenderer().render(drf_representation(annotation))
        assert list(fast) == AnnotationSerializer.Meta.fields


def test_the_fast_representation_equals_drfs_when_read_back_as_a_list(article, annotator):
    annotations(article, annotator)
    rows = list(Annotation.objects.filter(article=article).select_related("author").order_by("id"))
    fast = AnnotationSerializer(rows, many=True).data
    assert json.loads(JSONRenderer().render(fast)) == [drf_representation(a) for a in rows]
    assert fast[-1]["author"] is None
    assert fast[2]["start"] is None and fast[2]["text"] is None


@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
def test_an_articles_fast_representation_equals_drfs(article, settings, zone):
    from annotator.api.serializers import ArticleSerializer, ArticleSummarySerializer
    from tests.factories import ArticleFactory

    settings.TIME_ZONE = zone
    published = ArticleFactory(
        project=article.project,
        published_at=dt.datetime(2026, 3, 29, 1, 30, 0, 123456, tzinfo=dt.UTC),
        metadata={"section": "Économie", "tags": ["a", "b"]},
    )
    for one in (article, published):
        one.refresh_from_db()
        for serializer in (ArticleSerializer, ArticleSummarySerializer):
            fast = serializer(one).data
            assert fast == serializers.ModelSerializer.to_representation(serializer(), one)
            assert list(fast) == serializer.Meta.fields
    assert ArticleSerializer(published).data["published_at"].startswith("2026-03-2")
