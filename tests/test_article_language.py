"""An article's text carries its `language` as `lang` (a BCP 47 tag; anything else inherits the page's)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotator.annotations.services import create_annotation, submit_article
from annotator.articles.language import html_lang
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
BODY = "首相は本日、東京で記者会見を開いた。"


@pytest.mark.parametrize(
    ("language", "tag"),
    [
        ("ja", "ja"),
        ("pt-BR", "pt-BR"),
        ("pt_BR", "pt-BR"),
        ("zh-Hant-TW", "zh-Hant-TW"),
        (" en ", "en"),
        ("", ""),
        (None, ""),
        ("Japanese", ""),
        ('en" onmouseover="x', ""),
        ("e", ""),
        ("en--GB", ""),
    ],
)
def test_a_language_is_a_lang_tag_only_when_it_is_one(language, tag):
    assert html_lang(language) == tag


def test_the_workspace_marks_the_title_body_and_excerpts_with_the_language(client, project, annotator):
    article = ArticleFactory(project=project, title="東京で会議", body=BODY, language="ja")
    create_annotation(actor=annotator, article=article, kind="claim", start=6, end=8)
    client.force_login(annotator)
    html = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    assert '<html lang="en">' in html
    assert '<h1 id="article-title" lang="ja">東京で会議</h1>' in html
    assert '<div id="article-body" lang="ja"' in html
    assert '<blockquote class="excerpt" lang="ja">東京</blockquote>' in html


def test_the_review_page_the_queue_and_the_project_page_mark_article_text(client, project, annotator, reviewer):
    article = ArticleFactory(project=project, title="東京で会議", body=BODY, language="ja")
    create_annotation(actor=annotator, article=article, kind="claim", start=6, end=8)
    submit_article(actor=annotator, article=article)
    client.force_login(reviewer)
    review = client.get(reverse("article_review", args=[article.pk])).content.decode()
    assert '<h1 id="article-title" lang="ja">' in review and '<div id="article-body" lang="ja"' in review
    queue = client.get(reverse("review_queue", args=[project.slug])).content.decode()
    assert f'href="/articles/{article.pk}/review/" lang="ja">東京で会議' in queue
    listing = client.get(reverse("project_detail", args=[project.slug])).content.decode()
    assert f'href="/articles/{article.pk}/" lang="ja">東京で会議' in listing


def test_an_article_without_a_usable_language_inherits_the_page_language(client, project, annotator):
    article = ArticleFactory(project=project, title="Harbour", body="Dock workers.", language='en" x="y')
    client.force_login(annotator)
    html = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    assert '<h1 id="article-title">Harbour</h1>' in html
    assert 'x="y' not in html
