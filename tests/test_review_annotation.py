"""Review decisions in the domain functions: every status transition, bulk decisions, adjudication, gold."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from annotator.annotations.bulk_decisions import adjudicate, approve_remaining
from annotator.annotations.models import Annotation, Review, Status
from annotator.annotations.services import (
    Conflict,
    create_annotation,
    create_gold_annotation,
    delete_annotation,
    edit_and_approve,
    review_annotation,
    review_annotations,
    submit_article,
    update_annotation,
)

pytestmark = pytest.mark.django_db


def claim(author, article, start=0, end=5) -> Annotation:
    return create_annotation(actor=author, article=article, kind="claim", start=start, end=end)


def in_status(status, author, article, reviewer, start=0, end=5) -> Annotation:
    annotation = claim(author, article, start, end)
    if status != Status.DRAFT:
        submit_article(actor=author, article=article)
    if status == Status.APPROVED:
        review_annotation(actor=reviewer, annotation=annotation, decision="approve")
    if status == Status.REJECTED:
        review_annotation(actor=reviewer, annotation=annotation, decision="reject", comment="No.")
    annotation.refresh_from_db()
    assert annotation.status == status
    return annotation


# --- every transition -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DRAFT, Status.APPROVED, Status.REJECTED])
def test_only_submitted_annotations_can_be_decided(status, article, annotator, reviewer, admin):
    annotation = in_status(status, annotator, article, reviewer)
    for decision in ("approve", "reject"):
        with pytest.raises(Conflict):
            review_annotation(actor=admin, annotation=annotation, decision=decision, comment="x")
    assert Annotation.objects.get(pk=annotation.pk).status == status


@pytest.mark.parametrize(("decision", "after"), [("approve", Status.APPROVED), ("reject", Status.REJECTED)])
def test_a_submitted_annotation_is_approved_or_rejected(decision, after, article, annotator, reviewer):
    annotation = in_status(Status.SUBMITTED, annotator, article, reviewer)
    review = review_annotation(actor=reviewer, annotation=annotation, decision=decision, comment="Fix the span.")
    annotation.refresh_from_db()
    assert annotation.status == after
    assert review.annotation_version == 2 and annotation.version == 3


@pytest.mark.parametrize(
    ("status", "after_author_edit"),
    [
        (Status.DRAFT, Status.DRAFT),
        (Status.SUBMITTED, Status.DRAFT),
        (Status.REJECTED, Status.DRAFT),
    ],
)
def test_an_author_edit_returns_the_annotation_to_draft(status, after_author_edit, article, annotator, reviewer):
    annotation = in_status(status, annotator, article, reviewer)
    edited = update_annotation(actor=annotator, annotation=annotation, start=1)
    assert edited.status == after_author_edit


@pytest.mark.parametrize(
    ("status", "after_reviewer_edit"),
    [
        (Status.SUBMITTED, Status.SUBMITTED),
        (Status.APPROVED, Status.SUBMITTED),  # the approval was of the content before the edit
        (Status.REJECTED, Status.REJECTED),
    ],
)
def test_a_reviewer_edit_keeps_the_status_unless_approved(
    status, after_reviewer_edit, article, annotator, reviewer, admin
):
    annotation = in_status(status, annotator, article, reviewer)
    edited = update_annotation(actor=admin, annotation=annotation, start=1)
    assert edited.status == after_reviewer_edit
    assert edited.author == annotator


def test_an_approved_annotation_is_locked_for_its_author_but_not_for_an_admin(article, annotator, reviewer, admin):
    annotation = in_status(Status.APPROVED, annotator, article, reviewer)
    with pytest.raises(PermissionDenied, match="approved and locked"):
        update_annotation(actor=annotator, annotation=annotation, start=1)
    with pytest.raises(PermissionDenied, match="approved and locked"):
        delete_annotation(actor=annotator, annotation=annotation)
    delete_annotation(actor=admin, annotation=annotation)
    assert not Annotation.objects.exists()


def test_submitting_again_sends_only_edited_rejections_back_to_review(article, annotator, reviewer):
    kept = in_status(Status.REJECTED, annotator, article, reviewer, 0, 5)
    fixed = in_status(Status.REJECTED, annotator, article, reviewer, 6, 9)
    update_annotation(actor=annotator, annotation=fixed, end=10)
    assert submit_article(actor=annotator, article=article) == 1
    assert Annotation.objects.get(pk=kept.pk).status == Status.REJECTED
    assert Annotation.objects.get(pk=fixed.pk).status == Status.SUBMITTED


# --- permissions ----------------------------------------------------------------------------------


def test_annotators_and_non_members_cannot_decide(article, annotator, other_annotator, reviewer, outsider):
    annotation = in_status(Status.SUBMITTED, annotator, article, reviewer)
    with pytest.raises(PermissionDenied, match="admin or reviewer"):
        review_annotation(actor=other_annotator, annotation=annotation, decision="approve")
    with pytest.raises(PermissionDenied, match="not a member"):
        review_annotation(actor=outsider, annotation=annotation, decision="approve")
    with pytest.raises(PermissionDenied):
        review_annotations(actor=other_annotator, article=article, ids=[annotation.pk], decision="approve")
    assert not Review.objects.exists()


# --- bulk, adjudication, gold ---------------------------------------------------------------------


def test_a_bulk_decision_is_all_or_none(article, annotator, reviewer):
    first = in_status(Status.SUBMITTED, annotator, article, reviewer, 0, 5)
    second = claim(annotator, article, 6, 9)  # a draft: cannot be decided
    with pytest.raises(Conflict):
        review_annotations(actor=reviewer, article=article, ids=[first.pk, second.pk], decision="approve")
    assert Annotation.objects.get(pk=first.pk).status == Status.SUBMITTED
    assert not Review.objects.exists()


def test_a_bulk_decision_refuses_annotations_of_another_article(project, article, annotator, reviewer):
    from tests.factories import ArticleFactory

    elsewhere = ArticleFactory(project=project)
    mine = in_status(Status.SUBMITTED, annotator, article, reviewer)
    theirs = in_status(Status.SUBMITTED, annotator, elsewhere, reviewer)
    with pytest.raises(Http404):
        review_annotations(actor=reviewer, article=article, ids=[mine.pk, theirs.pk], decision="approve")
    assert not Review.objects.exists()


def test_approve_remaining_approves_only_that_authors_waiting_annotations(
    article, annotator, other_annotator, reviewer
):
    a1 = claim(annotator, article, 0, 5)
    a2 = claim(annotator, article, 6, 9)
    theirs = claim(other_annotator, article, 0, 5)
    submit_article(actor=annotator, article=article)
    submit_article(actor=other_annotator, article=article)
    decided = approve_remaining(actor=reviewer, article=article, author=annotator.pk)
    assert len(decided.reviews) == 2
    assert sorted(entry["annotation"] for entry in decided.action.entries) == [a1.pk, a2.pk]  # the one to undo
    statuses = dict(Annotation.objects.values_list("pk", "status"))
    assert statuses == {a1.pk: Status.APPROVED, a2.pk: Status.APPROVED, theirs.pk: Status.SUBMITTED}
    with pytest.raises(ValidationError, match="no annotation waiting"):
        approve_remaining(actor=reviewer, article=article, author=annotator.pk)


def test_adjudication_approves_one_version_and_rejects_the_rivals(article, annotator, other_annotator, reviewer):
    chosen = claim(annotator, article, 0, 5)
    rival = claim(other_annotator, article, 3, 7)  # crossing spans: versions of one unit (nested ones are not)
    submit_article(actor=annotator, article=article)
    submit_article(actor=other_annotator, article=article)
    decided = adjudicate(actor=reviewer, article=article, chosen=chosen.pk, rivals=[rival.pk])
    assert {r.annotation_id: r.decision for r in decided.reviews} == {chosen.pk: "approve", rival.pk: "reject"}
    assert decided.action.kind == "adjudicate" and len(decided.action.entries) == 2
    assert Annotation.objects.get(pk=chosen.pk).status == Status.APPROVED
    rejected = Annotation.objects.get(pk=rival.pk)
    assert rejected.status == Status.REJECTED
    assert rejected.reviews.get().comment == "Another annotator's version of this span was approved."


def test_a_reviewer_creates_a_gold_annotation_approved_at_once(article, annotator, reviewer):
    gold = create_gold_annotation(actor=reviewer, article=article, kind="claim", start=0, end=5)
    assert (gold.status, gold.author) == (Status.APPROVED, reviewer)
    assert list(gold.events.values_list("action", flat=True)) == ["created", "approved"]
    with pytest.raises(PermissionDenied):
        create_gold_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)


def test_edit_then_approve_records_the_edit_as_the_reviewers(article, annotator, reviewer):
    annotation = in_status(Status.SUBMITTED, annotator, article, reviewer)
    approved = edit_and_approve(actor=reviewer, annotation=annotation, expected_version=2, end=8)
    assert (approved.status, approved.end, approved.author) == (Status.APPROVED, 8, annotator)
    events = list(approved.events.order_by("at", "id").values_list("action", "actor__username"))
    assert events[-2:] == [("edited", "rita_reviewer"), ("approved", "rita_reviewer")]


def test_edit_then_approve_of_a_stale_version_changes_nothing(article, annotator, reviewer):
    annotation = in_status(Status.SUBMITTED, annotator, article, reviewer)
    with pytest.raises(Conflict):
        edit_and_approve(actor=reviewer, annotation=annotation, expected_version=1, end=8)
    annotation.refresh_from_db()
    assert (annotation.status, annotation.end) == (Status.SUBMITTED, 5)
