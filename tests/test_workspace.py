"""The annotation workspace on the server: rendering, the htmx fragments, permissions, conflicts, queries."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.urls import reverse

from annotator.accounts.models import Role
from annotator.annotations.models import Annotation, Status
from annotator.annotations.rendering import Highlight, render_body, segments
from annotator.annotations.services import create_annotation, review_annotation, submit_article, update_annotation
from tests.conftest import secure_client
from tests.factories import ArticleFactory, MembershipFactory

pytestmark = pytest.mark.django_db

BODY = "Le président 🇫🇷 a dit « nous tiendrons » — 中文 👩‍👩‍👧 <script>alert('x')</script> & done."
HX = {"HX-Request": "true"}


def body_text_of(page: str) -> str:
    """The text content of #article-body in a rendered page (what the browser's offsets count)."""
    match = re.search(r'<div id="article-body"[^>]*>(.*?)</div>', page, re.S)
    assert match
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def span(fragment: str) -> tuple[int, int]:
    start = BODY.index(fragment)
    return start, start + len(fragment)


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, body=BODY)


# --- rendering ------------------------------------------------------------------------------------


def test_segments_cover_the_body_without_gaps_and_list_outer_spans_first():
    outer = Highlight(1, "quote", "draft", 2, 10)
    inner = Highlight(2, "claim", "draft", 4, 6)
    crossing = Highlight(3, "stance", "draft", 8, 12)
    result = segments(14, [crossing, inner, outer])
    assert [(s, e) for s, e, _ in result] == [(0, 2), (2, 4), (4, 6), (6, 8), (8, 10), (10, 12), (12, 14)]
    assert [[h.id for h in covering] for _, _, covering in result] == [[], [1], [1, 2], [1], [1, 3], [3], []]


def test_nested_spans_render_as_nested_marks_and_crossing_spans_are_split():
    body = "abcdefghijklmn"
    rendered = str(
        render_body(
            body,
            [
                Highlight(1, "quote", "draft", 2, 10),
                Highlight(2, "claim", "draft", 4, 6),
                Highlight(3, "stance", "submitted", 8, 12),
            ],
        )
    )
    assert (
        '<mark class="ann k-quote st-draft" data-ann="1">'
        '<mark class="ann k-claim st-draft" data-ann="2"><span data-o="4">ef</span></mark></mark>'
    ) in rendered
    assert rendered.count('data-ann="3"') == 2
    assert rendered.count("<mark") == rendered.count("</mark>")
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)) == body


def test_two_spans_sharing_words_keep_both_highlights_on_the_shared_words():
    result = segments(10, [Highlight(1, "quote", "draft", 0, 6), Highlight(2, "quote", "draft", 3, 10)])
    assert [(s, e, [h.id for h in c]) for s, e, c in result] == [(0, 3, [1]), (3, 6, [1, 2]), (6, 10, [2])]


def test_the_rendered_body_is_escaped_and_its_text_is_exactly_the_body(article):
    start, end = span("<script>alert('x')</script>")
    rendered = str(render_body(article.body, [Highlight(1, "claim", "draft", start, end)]))
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)) == BODY


def test_segment_offsets_count_code_points(article):
    start, end = span("中文")
    rendered = str(render_body(article.body, [Highlight(1, "claim", "draft", start, end)]))
    assert f'<span data-o="{start}">中文</span>' in rendered


# --- the page -------------------------------------------------------------------------------------


def test_article_page_shows_my_annotations_and_not_another_annotators(
    client, article, annotator, other_annotator, reviewer
):
    create_annotation(actor=annotator, article=article, kind="quote", start=0, end=12, attributes={"speaker": "M"})
    theirs = create_annotation(actor=other_annotator, article=article, kind="claim", start=13, end=20)
    client.force_login(annotator)
    page = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    assert body_text_of(page) == BODY
    assert f'data-ann="{theirs.pk}"' not in page
    assert page.count('class="item ') == 1
    reviewer_page = secure_client(reviewer).get(reverse("article_detail", args=[article.pk])).content.decode()
    assert f'data-ann="{theirs.pk}"' in reviewer_page


def test_a_script_in_the_article_is_shown_as_text(client, article, annotator):
    client.force_login(annotator)
    page = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page or "&lt;script&gt;alert('x')" in page


def test_non_members_get_404_for_every_workspace_url(client, article, annotator, outsider):
    annotation = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    client.force_login(outsider)
    for url in (
        reverse("article_detail", args=[article.pk]),
        reverse("annotation_new", args=[article.pk]) + "?kind=claim&start=0&end=5",
        reverse("annotation_edit", args=[annotation.pk]),
    ):
        assert client.get(url).status_code == 404
    for url in (
        reverse("annotation_create", args=[article.pk]),
        reverse("annotation_update", args=[annotation.pk]),
        reverse("annotation_delete", args=[annotation.pk]),
        reverse("article_submit", args=[article.pk]),
    ):
        assert client.post(url, {"kind": "claim"}).status_code == 404
    assert Annotation.objects.get(pk=annotation.pk).version == 1


def test_article_page_queries_do_not_grow_with_annotations(client, article, annotator, django_assert_max_num_queries):
    client.force_login(annotator)
    for i in range(3):
        create_annotation(actor=annotator, article=article, kind="claim", start=i, end=i + 4)
    with django_assert_max_num_queries(7):
        client.get(reverse("article_detail", args=[article.pk]))
    for i in range(60):
        create_annotation(actor=annotator, article=article, kind="quote", start=i % 30, end=40 + i % 20)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("article_detail", args=[article.pk]))
    assert response.content.decode().count('class="item ') == 63


# --- tagging through the fragments ---------------------------------------------------------------


def quote_post(article, fragment, **extra):
    start, end = span(fragment)
    return {
        "kind": "quote",
        "start": start,
        "end": end,
        "text": fragment,
        "speaker": "Emmanuel Macron",
        "quote_type": "direct",
        **extra,
    }


def test_the_form_opens_over_the_selected_span(client, article, annotator):
    client.force_login(annotator)
    start, end = span("« nous tiendrons »")
    url = reverse("annotation_new", args=[article.pk]) + f"?kind=quote&start={start}&end={end}"
    fragment = client.get(url, headers=HX).content.decode()
    assert "<html" not in fragment
    assert "« nous tiendrons »" in fragment
    assert 'name="quote_type"' in fragment


def test_a_span_past_the_body_is_refused_with_a_message(client, article, annotator):
    client.force_login(annotator)
    url = reverse("annotation_new", args=[article.pk]) + f"?kind=claim&start=3&end={len(BODY) + 5}"
    response = client.get(url, headers=HX)
    assert response.status_code == 400
    assert "past the end of the body" in response.content.decode()


def test_saving_returns_the_body_and_list_together_and_names_the_new_annotation(
    client, article, annotator, django_assert_max_num_queries
):
    client.force_login(annotator)
    speaker_start, speaker_end = span("Le président")
    cue_start, cue_end = span("a dit")
    data = quote_post(
        article,
        "« nous tiendrons »",
        speaker_span_start=speaker_start,
        speaker_span_end=speaker_end,
        cue_span_start=cue_start,
        cue_span_end=cue_end,
    )
    # 12 queries (one looks for the pending suggestions the new annotation resolves, one checks that no revision
    # replaced the body meanwhile), and the 2 savepoints the test's own transaction turns the service's atomic
    # block into.
    with django_assert_max_num_queries(14):
        response = client.post(reverse("annotation_create", args=[article.pk]), data, headers=HX)
    assert response.status_code == 200
    annotation = Annotation.objects.get()
    assert annotation.text == BODY[annotation.start : annotation.end] == "« nous tiendrons »"
    assert annotation.attributes["speaker_span"] == [speaker_start, speaker_end]
    assert annotation.attributes["cue_span"] == [cue_start, cue_end]
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert 'id="para-0" hx-swap-oob="true"' in fragment
    assert f'data-ann="{annotation.pk}"' in fragment
    assert re.search(rf'<div hx-swap-oob="beforeend:#annotation-items">\s*<li id="item-{annotation.pk}"', fragment)
    assert '<span id="annotation-count" class="count" hx-swap-oob="true">1</span>' in fragment
    assert json.loads(response.headers["HX-Trigger-After-Settle"]) == {"annotationSaved": {"id": annotation.pk}}


def test_save_fragment_queries_do_not_grow_with_annotations(client, article, annotator, django_assert_max_num_queries):
    client.force_login(annotator)
    for i in range(80):
        create_annotation(actor=annotator, article=article, kind="claim", start=i % 40, end=45 + i % 10)
    with django_assert_max_num_queries(14):
        response = client.post(reverse("annotation_create", args=[article.pk]), quote_post(article, "中文"), headers=HX)
    assert response.status_code == 200


def test_text_that_differs_from_the_body_is_refused_and_nothing_is_stored(client, article, annotator):
    client.force_login(annotator)
    data = quote_post(article, "« nous tiendrons »") | {"text": "« nous tiendrons"}
    response = client.post(reverse("annotation_create", args=[article.pk]), data, headers=HX)
    assert response.status_code == 422
    assert "does not match the body" in response.content.decode()
    assert not Annotation.objects.exists()


def test_an_unknown_vocabulary_value_is_shown_on_its_field(client, article, annotator):
    client.force_login(annotator)
    data = quote_post(article, "中文") | {"quote_type": "shouted"}
    response = client.post(reverse("annotation_create", args=[article.pk]), data, headers=HX)
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


def test_a_document_level_stance_is_saved_without_a_span(client, article, annotator):
    client.force_login(annotator)
    data = {"kind": "stance", "holder": "Le président", "target": "pensions", "polarity": "favor"}
    response = client.post(reverse("annotation_create", args=[article.pk]), data, headers=HX)
    assert response.status_code == 200
    stance = Annotation.objects.get()
    assert (stance.start, stance.end, stance.text) == (None, None, None)
    assert "The whole article" in response.content.decode()


def test_saving_over_a_newer_version_says_so_and_keeps_both(client, article, annotator):
    annotation = create_annotation(
        actor=annotator, article=article, kind="quote", start=0, end=12, attributes={"speaker": "First"}
    )
    update_annotation(actor=annotator, annotation=annotation, attributes={"speaker": "Second"})
    client.force_login(annotator)
    data = {"kind": "quote", "start": 0, "end": 12, "text": BODY[:12], "speaker": "Mine", "quote_type": "direct"}
    response = client.post(reverse("annotation_update", args=[annotation.pk]), data | {"version": 1}, headers=HX)
    assert response.status_code == 409
    fragment = response.content.decode()
    assert "changed by someone else" in fragment
    assert "Second" in fragment and 'value="Mine"' in fragment
    assert 'name="version" value="2"' in fragment
    assert Annotation.objects.get(pk=annotation.pk).attributes["speaker"] == "Second"


def test_approved_annotations_cannot_be_edited_by_their_author(client, article, annotator, reviewer):
    annotation = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    submit_article(actor=annotator, article=article)
    review_annotation(actor=reviewer, annotation=annotation, decision="approve")
    client.force_login(annotator)
    page = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    assert reverse("annotation_edit", args=[annotation.pk]) not in page
    response = client.get(reverse("annotation_edit", args=[annotation.pk]), headers=HX)
    assert response.status_code == 403
    assert "approved and locked" in response.content.decode()


def test_delete_offers_an_undo_that_brings_the_annotation_back(client, article, annotator):
    annotation = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    client.force_login(annotator)
    response = client.post(reverse("annotation_delete", args=[annotation.pk]), {"version": 1}, headers=HX)
    assert response.status_code == 200
    assert not Annotation.objects.exists()
    undo = re.search(r'hx-post="(/history/\d+/restore/)"', response.content.decode())
    assert undo
    restored = client.post(undo.group(1), headers=HX)
    assert restored.status_code == 200
    again = Annotation.objects.get()
    assert (again.start, again.end, again.kind) == (0, 5, "claim")
    assert client.post(undo.group(1), headers=HX).status_code == 409
    assert Annotation.objects.count() == 1


def test_another_annotator_cannot_undo_my_delete(client, article, annotator, other_annotator):
    annotation = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    client.force_login(annotator)
    response = client.post(reverse("annotation_delete", args=[annotation.pk]), {"version": 1}, headers=HX)
    undo = re.search(r'hx-post="(/history/\d+/restore/)"', response.content.decode()).group(1)
    assert secure_client(other_annotator).post(undo, headers=HX).status_code == 404
    assert not Annotation.objects.exists()


def test_submit_sends_my_drafts_and_the_bar_says_so(client, article, annotator):
    create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    client.force_login(annotator)
    response = client.post(reverse("article_submit", args=[article.pk]), headers=HX)
    assert response.status_code == 200
    assert "Submitted 1 annotation for review." in response.content.decode()
    assert Annotation.objects.get().status == Status.SUBMITTED


def test_rejected_annotations_show_the_reviewers_comment_in_place(client, article, annotator, reviewer):
    annotation = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    submit_article(actor=annotator, article=article)
    review_annotation(actor=reviewer, annotation=annotation, decision="reject", comment="Span too short <b>!</b>")
    client.force_login(annotator)
    page = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    assert "Rejected by rita_reviewer:" in page
    assert "Span too short &lt;b&gt;!&lt;/b&gt;" in page


def test_without_htmx_saving_redirects_back_to_the_page(client, article, annotator):
    client.force_login(annotator)
    response = client.post(reverse("annotation_create", args=[article.pk]), quote_post(article, "中文"))
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("article_detail", args=[article.pk])
    assert Annotation.objects.get().text == "中文"


def test_reviewer_sees_whose_annotation_it_is(client, project, article, annotator):
    create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    lead = MembershipFactory(project=project, role=Role.REVIEWER).user
    page = secure_client(lead).get(reverse("article_detail", args=[article.pk])).content.decode()
    assert '<span class="author">ann_annotator</span>' in page
