"""The review queue, the review page and the decisions through the HTML views (full pages and htmx)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotator.annotations.models import Annotation, Review, Status
from annotator.annotations.services import create_annotation, review_annotation, submit_article
from tests.conftest import secure_client
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def submitted_claim(author, article, start=0, end=5) -> Annotation:
    annotation = create_annotation(actor=author, article=article, kind="claim", start=start, end=end)
    submit_article(actor=author, article=article)
    annotation.refresh_from_db()
    return annotation


# --- the queue ------------------------------------------------------------------------------------


def test_the_queue_lists_articles_with_waiting_work_oldest_first(
    client, project, article, annotator, other_annotator, reviewer
):
    later = ArticleFactory(project=project, title="Later story")
    submitted_claim(annotator, article)
    submitted_claim(other_annotator, article, 6, 9)
    submitted_claim(annotator, later)
    ArticleFactory(project=project, title="Untouched story")
    client.force_login(reviewer)
    page = client.get(reverse("review_queue", args=[project.slug])).content.decode()
    assert page.index(article.title) < page.index("Later story")
    assert "Untouched story" not in page
    assert '<strong id="waiting-total">3</strong>' in page


def test_the_queue_filters_by_annotator_kind_and_article(
    client, project, article, annotator, other_annotator, reviewer
):
    later = ArticleFactory(project=project, title="Harbour strike")
    submitted_claim(annotator, article)
    submitted_claim(other_annotator, later)
    client.force_login(reviewer)
    url = reverse("review_queue", args=[project.slug])
    by_annotator = client.get(url, {"annotator": other_annotator.pk}).content.decode()
    assert "Harbour strike" in by_annotator and article.title not in by_annotator
    assert "Nothing waits for review" in client.get(url, {"kind": "quote"}).content.decode()
    by_article = client.get(url, {"q": "harbour"}, headers=HX).content.decode()
    assert "Harbour strike" in by_article and "<html" not in by_article
    assert client.get(url, {"kind": "rumour"}).status_code == 400


@pytest.mark.parametrize("value", ["²", "٣", "x"])
def test_an_annotator_filter_that_is_not_an_ascii_number_is_a_400_not_a_500(client, project, reviewer, value):
    client.force_login(reviewer)
    response = client.get(reverse("review_queue", args=[project.slug]), {"annotator": value})
    assert response.status_code == 400
    assert "Choose an annotator from the list." in response.content.decode()


def test_only_reviewers_and_admins_open_the_queue(client, project, annotator, admin, outsider):
    url = reverse("review_queue", args=[project.slug])
    assert secure_client(admin).get(url).status_code == 200
    assert secure_client(annotator).get(url).status_code == 403
    assert secure_client(outsider).get(url).status_code == 404
    assert client.get(url).status_code == 302


def test_queue_queries_do_not_grow_with_the_work(client, project, annotator, reviewer, django_assert_max_num_queries):
    client.force_login(reviewer)
    url = reverse("review_queue", args=[project.slug])
    submitted_claim(annotator, ArticleFactory(project=project))
    with django_assert_max_num_queries(8):
        client.get(url)
    for _ in range(15):
        submitted_claim(annotator, ArticleFactory(project=project))
    with django_assert_max_num_queries(8):
        assert client.get(url).content.decode().count('/review/">') == 16


# --- the review page ------------------------------------------------------------------------------


def test_the_review_page_compares_annotators_side_by_side(client, article, annotator, other_annotator, reviewer):
    submitted_claim(annotator, article, 0, 5)
    submitted_claim(other_annotator, article, 0, 5)
    submitted_claim(annotator, article, 10, 20)
    submitted_claim(other_annotator, article, 12, 25)
    submitted_claim(other_annotator, article, 40, 50)
    client.force_login(reviewer)
    page = client.get(reverse("article_review", args=[article.pk])).content.decode()
    assert page.count('class="agreement-exact"') == 1
    assert page.count('class="agreement-overlap"') == 1
    assert page.count('class="agreement-single"') == 1
    assert "ann_annotator" in page and "otto_annotator" in page
    # Identical versions are one version, so only the crossing spans are rivals (docs/reviewing.md).
    assert page.count("Approve this one, reject 1 rival…") == 2


def test_annotators_cannot_open_the_review_page_and_outsiders_get_404(client, article, annotator, outsider):
    url = reverse("article_review", args=[article.pk])
    assert secure_client(annotator).get(url).status_code == 403
    assert secure_client(outsider).get(url).status_code == 404


def test_review_page_queries_do_not_grow_with_annotations(
    client, article, annotator, other_annotator, reviewer, django_assert_max_num_queries
):
    client.force_login(reviewer)
    submitted_claim(annotator, article)
    with django_assert_max_num_queries(8):
        client.get(reverse("article_review", args=[article.pk]))
    for i in range(20):
        create_annotation(actor=other_annotator, article=article, kind="claim", start=i, end=i + 10)
    submit_article(actor=other_annotator, article=article)
    with django_assert_max_num_queries(8):
        client.get(reverse("article_review", args=[article.pk]))


# --- decisions ------------------------------------------------------------------------------------


def test_a_reviewer_approves_and_the_regions_come_back_together(client, article, annotator, reviewer):
    annotation = submitted_claim(annotator, article)
    client.force_login(reviewer)
    response = client.post(
        reverse("annotation_review", args=[annotation.pk]),
        {"decision": "approve", "version": annotation.version},
        headers=HX,
    )
    assert response.status_code == 200
    assert Annotation.objects.get(pk=annotation.pk).status == Status.APPROVED
    fragment = response.content.decode()
    for region in ('id="annotation-list"', 'id="review-summary"', 'id="comparison"', 'id="article-body"'):
        assert region in fragment
    assert "Claim approved." in fragment


def test_a_rejection_without_a_comment_is_refused_with_a_message(client, article, annotator, reviewer):
    annotation = submitted_claim(annotator, article)
    client.force_login(reviewer)
    response = client.post(reverse("annotation_review", args=[annotation.pk]), {"decision": "reject"}, headers=HX)
    assert response.status_code == 422
    assert "a rejection needs a comment" in response.content.decode()
    assert Annotation.objects.get(pk=annotation.pk).status == Status.SUBMITTED


def test_the_second_reviewer_is_told_and_sees_the_decision(client, article, annotator, reviewer, admin):
    annotation = submitted_claim(annotator, article)
    review_annotation(actor=reviewer, annotation=annotation, decision="reject", comment="Wrong span.")
    client.force_login(admin)
    response = client.post(
        reverse("annotation_review", args=[annotation.pk]), {"decision": "approve", "version": 2}, headers=HX
    )
    assert response.status_code == 409
    fragment = response.content.decode()
    assert "already rejected by rita_reviewer" in fragment
    assert "Wrong span." in fragment
    assert Review.objects.count() == 1


def test_approve_all_of_an_annotators_remaining_work(client, article, annotator, other_annotator, reviewer):
    submitted_claim(annotator, article, 0, 5)
    submitted_claim(annotator, article, 6, 9)
    theirs = submitted_claim(other_annotator, article, 0, 5)
    client.force_login(reviewer)
    response = client.post(
        reverse("article_review_bulk", args=[article.pk]),
        {"action": "approve_remaining", "author": annotator.pk},
        headers=HX,
    )
    assert response.status_code == 200
    assert "Approved 2 annotations of ann_annotator." in response.content.decode()
    assert Annotation.objects.filter(status=Status.APPROVED).count() == 2
    assert Annotation.objects.get(pk=theirs.pk).status == Status.SUBMITTED


def test_adjudication_from_the_side_by_side_view(client, article, annotator, other_annotator, reviewer):
    chosen = submitted_claim(annotator, article, 0, 5)
    rival = submitted_claim(other_annotator, article, 3, 8)
    client.force_login(reviewer)
    response = client.post(
        reverse("article_review_bulk", args=[article.pk]),
        {"action": "adjudicate", "chosen": chosen.pk, "rivals": [rival.pk]},
        headers=HX,
    )
    assert response.status_code == 200
    assert Annotation.objects.get(pk=chosen.pk).status == Status.APPROVED
    assert Annotation.objects.get(pk=rival.pk).status == Status.REJECTED


def test_correct_then_approve_saves_the_reviewers_version(client, article, annotator, reviewer):
    annotation = submitted_claim(annotator, article)
    client.force_login(reviewer)
    form = client.get(reverse("annotation_edit", args=[annotation.pk]) + "?then=approve", headers=HX)
    assert "Save and approve" in form.content.decode()
    response = client.post(
        reverse("annotation_edit_approve", args=[annotation.pk]),
        {"kind": "claim", "start": 0, "end": 8, "version": annotation.version, "checkworthy": "on"},
        headers=HX,
    )
    assert response.status_code == 200
    annotation.refresh_from_db()
    assert (annotation.status, annotation.end, annotation.author) == (Status.APPROVED, 8, annotator)


def test_a_reviewer_tags_a_gold_annotation_on_the_review_page(client, article, annotator, reviewer):
    client.force_login(reviewer)
    form = client.get(reverse("annotation_new", args=[article.pk]) + "?kind=claim&start=0&end=5&gold=1", headers=HX)
    assert reverse("gold_create", args=[article.pk]) in form.content.decode()
    response = client.post(
        reverse("gold_create", args=[article.pk]), {"kind": "claim", "start": 0, "end": 5}, headers=HX
    )
    assert response.status_code == 200
    gold = Annotation.objects.get()
    assert (gold.status, gold.author) == (Status.APPROVED, reviewer)
    assert (
        secure_client(annotator)
        .post(reverse("gold_create", args=[article.pk]), {"kind": "claim", "start": 0, "end": 5}, headers=HX)
        .status_code
        == 403
    )


def test_annotators_cannot_decide_through_the_views(client, article, annotator, other_annotator):
    annotation = submitted_claim(annotator, article)
    client.force_login(other_annotator)
    response = client.post(reverse("annotation_review", args=[annotation.pk]), {"decision": "approve"}, headers=HX)
    assert response.status_code in (403, 404)
    assert Annotation.objects.get(pk=annotation.pk).status == Status.SUBMITTED


# --- notifications on the project page ------------------------------------------------------------


def test_the_project_page_tells_reviewers_what_waits_and_annotators_what_was_rejected(
    client, project, article, annotator, reviewer
):
    first = submitted_claim(annotator, article, 0, 5)
    submitted_claim(annotator, article, 6, 9)
    review_annotation(actor=reviewer, annotation=first, decision="reject", comment="No.")
    reviewer_page = secure_client(reviewer).get(reverse("project_detail", args=[project.slug])).content.decode()
    assert "<strong>1</strong> annotation waits for review" in reviewer_page
    annotator_page = secure_client(annotator).get(reverse("project_detail", args=[project.slug])).content.decode()
    assert "<strong>1</strong> of your annotations was rejected and waits for you" in annotator_page
    assert 'id="review-notice"' not in annotator_page
