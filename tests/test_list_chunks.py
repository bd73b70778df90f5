"""A long article's list of annotations: the page carries the first entries, the rest follow in chunks."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotator.annotations import list_chunks
from annotator.annotations.models import Annotation
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BODY = "word " * 400


def annotate(article, author, count: int) -> list[Annotation]:
    return Annotation.objects.bulk_create(
        Annotation(
            article=article, author=author, kind="claim", start=i, end=i + 4, text=BODY[i : i + 4], attributes={}
        )
        for i in range(count)
    )


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, body=BODY)


def test_a_long_list_is_sent_in_chunks_that_follow_each_other_without_gap_or_repeat(
    client, article, annotator, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(list_chunks, "FIRST", 5)
    monkeypatch.setattr(list_chunks, "CHUNK", 4)
    made = annotate(article, annotator, 12)
    client.force_login(annotator)
    page = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    assert page.count('class="item ') == 5
    seen = [a.pk for a in made if f'id="item-{a.pk}"' in page]
    url = f"{reverse('article_items', args=[article.pk])}?after=1.4.8.{seen[-1]}"
    assert url in page
    while url:
        with django_assert_max_num_queries(6):
            chunk = client.get(url).content.decode()
        seen += [a.pk for a in made if f'id="item-{a.pk}"' in chunk]
        url = chunk.split('class="more-items" data-more-url="')[1].split('"')[0] if "more-items" in chunk else ""
    assert seen == [a.pk for a in made]


def test_a_chunk_after_a_deleted_entry_starts_where_it_was(client, article, annotator, monkeypatch):
    monkeypatch.setattr(list_chunks, "CHUNK", 3)
    made = annotate(article, annotator, 8)
    client.force_login(annotator)
    after = f"1.3.7.{made[3].pk}"
    made[3].delete()
    chunk = client.get(reverse("article_items", args=[article.pk]), {"after": after}).content.decode()
    assert [a.pk for a in made if f'id="item-{a.pk}"' in chunk] == [a.pk for a in made[4:7]]


def test_a_short_list_is_whole_in_the_page(client, article, annotator):
    annotate(article, annotator, 3)
    client.force_login(annotator)
    page = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    assert page.count('class="item ') == 3 and "more-items" not in page


def test_the_chunks_are_refused_to_non_members(client, article, annotator, outsider):
    annotate(article, annotator, 3)
    client.force_login(outsider)
    assert client.get(reverse("article_items", args=[article.pk])).status_code == 404


def chunk_queries(client, article, after: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("article_items", args=[article.pk]), {"after": after}).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_a_chunk_is_read_from_its_place_by_the_database_in_the_same_queries_however_long_the_list(
    client, article, annotator, monkeypatch
):
    monkeypatch.setattr(list_chunks, "CHUNK", 3)
    made = annotate(article, annotator, 8)
    client.force_login(annotator)
    short = chunk_queries(client, article, f"1.2.6.{made[2].pk}")
    annotate(article, annotator, 200)
    long = chunk_queries(client, article, f"1.2.6.{made[2].pk}")
    assert len(long) == len(short)
    listed = [sql for sql in long if 'FROM "annotations_annotation"' in sql and "ORDER BY" in sql]
    assert len(listed) == 1 and listed[0].rstrip().endswith("LIMIT 4")  # a chunk and one more, never the list


def test_a_chunk_after_a_document_level_annotation_goes_on_with_the_spans(client, article, annotator, monkeypatch):
    monkeypatch.setattr(list_chunks, "CHUNK", 3)
    made = annotate(article, annotator, 4)
    whole = Annotation.objects.bulk_create(
        Annotation(article=article, author=annotator, kind="stance", attributes={"target": "t", "polarity": "favor"})
        for _ in range(2)
    )
    client.force_login(annotator)
    chunk = client.get(reverse("article_items", args=[article.pk]), {"after": f"0.0.0.{whole[0].pk}"})
    shown = [a.pk for a in [*whole, *made] if f'id="item-{a.pk}"' in chunk.content.decode()]
    assert shown == [whole[1].pk, made[0].pk, made[1].pk]
