"""Search finds a word of any script: runs of CJK, Thai… (written without spaces) by their character pairs."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.db import connection
from django.urls import reverse

from annotator.articles.models import Article
from annotator.articles.search import UNSPACED_RANGES, split_query
from annotator.articles.services import index_for_search
from tests.factories import ArticleFactory
from tests.test_api import Api

pytestmark = pytest.mark.django_db


def found_on_page(client, project, q: str) -> list[int]:
    response = client.get(reverse("project_detail", args=[project.slug]), {"q": q})
    assert response.status_code == 200
    return [article.pk for article in response.context["page"]]


def found_by_api(user, project, q: str) -> list[int]:
    return [row["id"] for row in Api(user).get(f"/projects/{project.slug}/articles/?q={quote(q)}").json()["results"]]


@pytest.fixture
def tokyo(project):
    return ArticleFactory(project=project, title="東京で会議", body="首相は本日、記者会見を開いた。")


@pytest.fixture
def others(project):
    return [
        ArticleFactory(project=project, title="大阪の天気", body="晴れのち曇り。"),
        ArticleFactory(project=project, title="Harbour strike", body="Dock workers walked out in Zürich."),
        ArticleFactory(project=project, title="ข่าวกรุงเทพ", body="ฝนตกหนักในกรุงเทพมหานครวันนี้"),
        ArticleFactory(project=project, title="서울 소식", body="서울에서 회의가 열렸다."),
    ]


@pytest.mark.parametrize("indexed", [True, False], ids=["indexed", "not-indexed-yet"])
def test_a_japanese_word_inside_a_title_is_found_on_the_page_and_by_the_api(
    client, project, annotator, tokyo, others, indexed
):
    if indexed:
        assert index_for_search(project=project) == 5
    client.force_login(annotator)
    for word in ("東京", "会議", "東京で会議", "記者会見", "東"):
        assert found_on_page(client, project, word) == [tokyo.pk], word
        assert found_by_api(annotator, project, word) == [tokyo.pk], word
    assert found_on_page(client, project, "京都") == []
    assert found_on_page(client, project, "会議 大阪") == []


def test_thai_and_korean_words_are_found_inside_their_runs(client, project, annotator, tokyo, others):
    index_for_search(project=project)
    thai, korean = others[2], others[3]
    client.force_login(annotator)
    assert found_on_page(client, project, "กรุงเทพ") == [thai.pk]
    assert found_on_page(client, project, "서울") == [korean.pk]
    assert found_by_api(annotator, project, "회의") == [korean.pk]


def test_words_of_spaced_scripts_and_unspaced_runs_combine_and_exclude(client, project, annotator, tokyo, others):
    mixed = ArticleFactory(project=project, title="Harbour news", body="Der Hafen von 東京 ist offen.")
    index_for_search(project=project)
    client.force_login(annotator)
    assert found_on_page(client, project, "harbour 東京") == [mixed.pk]
    assert found_on_page(client, project, "東京 -harbour") == [tokyo.pk]
    assert set(found_on_page(client, project, "harbour -東京")) == {others[1].pk}
    assert found_by_api(annotator, project, "zürich") == [others[1].pk]


def test_an_article_with_the_run_in_its_title_ranks_first(client, project, annotator):
    in_body = ArticleFactory(project=project, title="Nachrichten", body="東京で会議があった。")
    in_title = ArticleFactory(project=project, title="東京で会議", body="詳細は後ほど。")
    index_for_search(project=project)
    client.force_login(annotator)
    assert found_on_page(client, project, "会議") == [in_title.pk, in_body.pk]


def test_an_edited_title_is_searched_by_its_new_words(project, tokyo):
    index_for_search(project=project)
    Article.objects.filter(pk=tokyo.pk).update(title="大阪で会議")
    assert Article.objects.get(pk=tokyo.pk).search_grams is None
    assert list(Article.objects.filter(project=project).matching("大阪").values_list("pk", flat=True)) == [tokyo.pk]
    index_for_search(project=project)
    assert not Article.objects.filter(project=project).matching("東京").exists()


def test_the_query_splits_unspaced_runs_from_words():
    terms = split_query('"東京で会議" harbour -大阪')
    assert terms.runs == ["東京で会議"]
    assert terms.excluded_runs == ["大阪"]
    assert terms.has_words and "harbour" in terms.words
    assert split_query("-").words == "-"


def test_the_database_function_knows_every_unspaced_script_the_query_side_knows(project):
    with connection.cursor() as cursor:
        for first, last in UNSPACED_RANGES:
            text = chr(int(first, 16)) + chr(int(last, 16))
            cursor.execute("SELECT article_script_grams('', %s)", [text])
            assert text in cursor.fetchone()[0], first


def test_a_japanese_search_is_answered_from_the_gram_index(client, project, annotator, tokyo):
    ArticleFactory.create_batch(200, project=project)
    index_for_search(project=project)
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('article_search_grams'::regclass)")
        cursor.execute("ANALYZE articles_article")
        cursor.execute("SET LOCAL enable_seqscan = off")
    client.force_login(annotator)
    response = client.get(reverse("project_detail", args=[project.slug]), {"q": "東京", "status": "not_started"})
    plan = response.context["page"].paginator.object_list.explain()
    assert "Bitmap Index Scan on article_search_grams" in plan
