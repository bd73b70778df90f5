"""The review workflow's rules under a hostile test: an approved annotation changed goes back to review; review
forms and payloads name only annotations and members of the article's project; an import records a decision as
imported and never as someone approving their own annotation."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from annotator.accounts.models import Role
from annotator.annotations.bulk_decisions import adjudicate, approve_remaining
from annotator.annotations.models import Action, Annotation, AnnotationEvent, Review, Status
from annotator.annotations.services import (
    create_gold_annotation,
    edit_and_approve,
    review_annotation,
    review_annotations,
    submit_article,
    update_annotation,
)
from annotator.articles.ingestion import read_named_file
from annotator.articles.services import import_articles
from annotator.exports.services import export_dataset
from annotator.suggestions.services import accept_suggestion
from tests.factories import ArticleFactory, MembershipFactory
from tests.test_api import Api
from tests.test_review_pages import submitted_claim

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def approved(author, article, reviewer, start=0, end=5) -> Annotation:
    annotation = submitted_claim(author, article, start, end)
    review_annotation(actor=reviewer, annotation=annotation, decision="approve")
    annotation.refresh_from_db()
    return annotation


def exported_approved(project) -> list[dict]:
    chunks = export_dataset(project=project, format="jsonl", status="approved", actor=None).chunks
    return [a for line in b"".join(chunks).splitlines() for a in json.loads(line)["annotations"]]


@pytest.fixture
def foreign(outsider):
    """A submitted annotation of another project, and that project."""
    membership = outsider.memberships.get()
    article = ArticleFactory(project=membership.project)
    author = MembershipFactory(project=membership.project, role=Role.ANNOTATOR).user
    return submitted_claim(author, article)


# --- 1. a change after approval goes back to review --------------------------------------------------------------


def test_a_reviewer_who_changes_their_own_approved_annotation_sends_it_back_to_review(article, reviewer, admin):
    annotation = approved(reviewer, article, admin)
    edited = update_annotation(actor=reviewer, annotation=annotation, end=8, attributes={"category": "statistic"})
    assert edited.status == Status.SUBMITTED
    edit = edited.events.get(action=Action.EDITED)
    assert edit.changes["status"] == [Status.APPROVED, Status.SUBMITTED]
    assert edit.actor == reviewer
    with pytest.raises(PermissionDenied, match="own annotations"):
        review_annotation(actor=reviewer, annotation=edited, decision="approve")
    review_annotation(actor=admin, annotation=edited, decision="approve")
    assert Annotation.objects.get(pk=annotation.pk).status == Status.APPROVED


def test_a_reviewer_who_changes_someone_elses_approved_annotation_may_not_approve_the_change(
    article, annotator, reviewer, admin
):
    annotation = approved(annotator, article, reviewer)
    edited = update_annotation(actor=admin, annotation=annotation, attributes={"category": "event"})
    assert (edited.status, edited.author) == (Status.SUBMITTED, annotator)
    with pytest.raises(PermissionDenied, match="another reviewer"):
        review_annotation(actor=admin, annotation=edited, decision="approve")
    with pytest.raises(PermissionDenied, match="another reviewer"):
        edit_and_approve(actor=admin, annotation=edited, end=7)
    review = review_annotation(actor=reviewer, annotation=edited, decision="approve")
    assert review.annotation_version == edited.version


def test_once_the_author_submits_again_the_reviewer_who_changed_it_may_decide(article, annotator, reviewer, admin):
    annotation = approved(annotator, article, reviewer)
    update_annotation(actor=admin, annotation=annotation, end=7)
    review_annotation(actor=reviewer, annotation=annotation, decision="reject", comment="Too long now.")
    update_annotation(actor=annotator, annotation=annotation, end=6)
    submit_article(actor=annotator, article=article)
    assert review_annotation(actor=admin, annotation=annotation, decision="approve").reviewer == admin


def test_saving_an_approved_annotation_unchanged_keeps_it_approved(article, annotator, reviewer, admin):
    annotation = approved(annotator, article, reviewer)
    same = update_annotation(actor=admin, annotation=annotation, end=5, attributes=annotation.attributes)
    assert (same.status, same.version) == (Status.APPROVED, annotation.version)


def test_a_gold_annotation_changed_by_its_reviewer_goes_back_to_review(article, reviewer, admin):
    gold = create_gold_annotation(actor=reviewer, article=article, kind="claim", start=0, end=5)
    edited = update_annotation(actor=reviewer, annotation=gold, end=9)
    assert edited.status == Status.SUBMITTED
    assert [a["id"] for a in exported_approved(article.project)] == []


def test_a_reviewer_editing_their_own_submitted_annotation_returns_it_to_draft(article, reviewer):
    annotation = submitted_claim(reviewer, article)
    assert update_annotation(actor=reviewer, annotation=annotation, end=8).status == Status.DRAFT


def test_correct_then_approve_of_someone_elses_submitted_annotation_still_approves(article, annotator, reviewer):
    annotation = submitted_claim(annotator, article)
    update_annotation(actor=reviewer, annotation=annotation, end=7)
    corrected = edit_and_approve(actor=reviewer, annotation=annotation, end=8)
    assert (corrected.status, corrected.end) == (Status.APPROVED, 8)


def test_an_accepted_suggestion_with_attributes_is_the_members_draft(article, annotator, reviewer):
    body = article.body
    suggestion = Annotation.objects.create(
        article=article, kind="claim", start=0, end=5, text=body[:5], origin="suggested", suggester="test"
    )
    copy = accept_suggestion(actor=reviewer, suggestion=suggestion, attributes={"category": "event"})
    assert (copy.status, copy.author) == (Status.DRAFT, reviewer)


def test_the_api_patch_of_an_approved_annotation_sends_it_back_to_review(article, reviewer, admin):
    """The hostile test's sequence: submitted by one reviewer, approved by another, then changed by the first."""
    annotation = approved(reviewer, article, admin)
    assert [a["reviewer"] for a in exported_approved(article.project)] == [admin.username]
    response = Api(reviewer).patch(
        f"/annotations/{annotation.pk}/",
        {"start": 0, "end": 9, "attributes": {"category": "statistic"}},
        headers={"If-Match": f'"{annotation.version}"'},
    )
    assert response.status_code == 200
    assert response.json()["status"] == Status.SUBMITTED
    assert exported_approved(article.project) == []


def test_the_workspace_form_edit_of_an_approved_annotation_sends_it_back_to_review(
    client, article, annotator, reviewer, admin
):
    annotation = approved(annotator, article, reviewer)
    client.force_login(admin)
    form = {"kind": "claim", "start": 0, "end": 5, "text": article.body[:5], "category": "event"}
    response = client.post(
        reverse("annotation_update", args=[annotation.pk]), form | {"version": annotation.version}, headers=HX
    )
    assert response.status_code == 200
    assert "Claim changed and sent back to review." in response.content.decode()
    assert Annotation.objects.get(pk=annotation.pk).status == Status.SUBMITTED
    assert exported_approved(article.project) == []


# --- 5. ids of a review form or payload: only the article's -------------------------------------------------------


def test_adjudicating_with_another_projects_annotation_is_not_found(client, article, annotator, reviewer, foreign):
    mine = submitted_claim(annotator, article)
    client.force_login(reviewer)
    url = reverse("article_review_bulk", args=[article.pk])
    for chosen, rivals in ((foreign.pk, [mine.pk]), (999999, [mine.pk]), (mine.pk, [foreign.pk])):
        response = client.post(url, {"action": "adjudicate", "chosen": chosen, "rivals": rivals}, headers=HX)
        assert response.status_code == 404
        assert foreign.article.project.name.encode() not in response.content
    assert not Review.objects.exists()


def test_the_adjudicate_service_looks_only_within_the_article(article, annotator, reviewer, foreign):
    with pytest.raises(Http404):
        adjudicate(actor=reviewer, article=article, chosen=foreign.pk, rivals=[])
    other_article = ArticleFactory(project=article.project)
    elsewhere = submitted_claim(annotator, other_article)
    with pytest.raises(Http404):
        adjudicate(actor=reviewer, article=article, chosen=elsewhere.pk, rivals=[])
    assert Annotation.objects.get(pk=foreign.pk).status == Status.SUBMITTED


def test_approving_ids_of_another_project_is_not_found_on_the_page_and_the_api(
    client, article, annotator, reviewer, foreign
):
    mine = submitted_claim(annotator, article)
    client.force_login(reviewer)
    page = client.post(
        reverse("article_review_bulk", args=[article.pk]), {"action": "approve_all", "ids": [mine.pk, foreign.pk]}
    )
    assert page.status_code == 404
    api = Api(reviewer).post(f"/articles/{article.pk}/review/", {"decision": "approve", "ids": [mine.pk, foreign.pk]})
    assert api.status_code == 404
    assert foreign.article.project.name not in api.content.decode()
    with pytest.raises(Http404):
        review_annotations(actor=reviewer, article=article, ids=[mine.pk, 999999], decision="approve")
    assert not Review.objects.exists()


def test_an_annotator_is_refused_before_any_id_is_looked_up(client, article, annotator, other_annotator, foreign):
    client.force_login(other_annotator)
    response = client.post(
        reverse("article_review_bulk", args=[article.pk]), {"action": "adjudicate", "chosen": foreign.pk}
    )
    assert response.status_code == 403
    assert foreign.article.project.name.encode() not in response.content


# --- 6. approve_remaining names only members ------------------------------------------------------------------------


def test_approve_remaining_of_someone_who_is_no_member_is_not_found(client, article, annotator, reviewer, outsider):
    client.force_login(reviewer)
    url = reverse("article_review_bulk", args=[article.pk])
    for author in (outsider.pk, 999999, "x"):
        response = client.post(url, {"action": "approve_remaining", "author": author}, headers=HX)
        assert response.status_code == 404
        assert outsider.username.encode() not in response.content
    with pytest.raises(Http404):
        approve_remaining(actor=reviewer, article=article, author=outsider.pk)


def test_approve_remaining_of_a_member_with_nothing_waiting_says_so(client, article, annotator, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("article_review_bulk", args=[article.pk]),
        {"action": "approve_remaining", "author": annotator.pk},
        headers=HX,
    )
    assert response.status_code == 422
    assert "ann_annotator has no annotation waiting for review here" in response.content.decode()


# --- 11. imported decisions -------------------------------------------------------------------------------------------


def import_one(project, admin, annotation: dict):
    body = "Prices will fall by June, the minister said."
    record = {"text": body, "annotations": [{"kind": "claim", "start": 0, "end": 6, "text": body[:6]} | annotation]}
    content = json.dumps(record).encode()
    summary = import_articles(
        project=project, actor=admin, items=read_named_file("up.jsonl", lambda: io.BytesIO(content))
    )
    assert summary.added == 1 and summary.rejected == []
    return Annotation.objects.get(article__project=project)


def test_an_imported_approval_by_its_own_annotator_is_imported_as_submitted(project, admin, reviewer):
    imported = import_one(
        project, admin, {"status": "approved", "annotator": reviewer.username, "reviewer": "rita_reviewer"}
    )
    assert (imported.status, imported.author) == (Status.SUBMITTED, reviewer)
    assert not Review.objects.exists()
    [created] = AnnotationEvent.objects.filter(annotation_id=imported.pk)
    assert created.actor == admin
    assert "rita_reviewer" in created.comment and "own annotation" in created.comment
    assert exported_approved(project) == []


@pytest.mark.parametrize("named", [None, "olga_outsider", "ann_annotator"])
def test_an_imported_decision_without_a_reviewer_of_the_project_is_imported_as_submitted(
    project, admin, annotator, outsider, named
):
    imported = import_one(project, admin, {"status": "approved", "annotator": "ann_annotator", "reviewer": named})
    assert imported.status == Status.SUBMITTED
    assert not Review.objects.exists()
    assert "approved status was not imported" in imported.events.get().comment


def test_an_imported_decision_is_recorded_as_imported_by_the_importing_admin(project, admin, annotator, reviewer):
    imported = import_one(
        project, admin, {"status": "approved", "annotator": "ann_annotator", "reviewer": "rita_reviewer"}
    )
    assert imported.status == Status.APPROVED
    review = imported.reviews.get()
    assert review.reviewer == reviewer
    assert "imported from up.jsonl line 1 by ada_admin" in review.comment
    events = list(imported.events.order_by("id"))
    assert [(e.action, e.actor) for e in events] == [(Action.CREATED, admin), (Action.APPROVED, admin)]
    assert events[0].state["status"] == Status.SUBMITTED
    assert events[1].changes["reviewer"] == [None, "rita_reviewer"]
    assert "rita_reviewer" in events[1].comment and "ada_admin" in events[1].comment
