"""The annotation workflow in the domain functions: create, edit, delete, submit, review, history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotator.annotations.models import Annotation, AnnotationEvent, Assignment, Review, Status
from annotator.annotations.services import (
    Conflict,
    create_annotation,
    delete_annotation,
    review_annotation,
    submit_article,
    update_annotation,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BODY = "Ukraine’s 🇺🇦 president said “we will rebuild every city,” and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 critics 👩‍👩‍👧 doubted it."


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, body=BODY)


def span_of(fragment: str) -> tuple[int, int]:
    start = BODY.index(fragment)
    return start, start + len(fragment)


def quote(actor, article, fragment="“we will rebuild every city,”", **attributes):
    start, end = span_of(fragment)
    return create_annotation(
        actor=actor,
        article=article,
        kind="quote",
        start=start,
        end=end,
        text=fragment,
        attributes={"speaker": "Volodymyr Zelensky", **attributes},
    )


def test_offsets_are_code_points_after_astral_characters(article, annotator):
    annotation = quote(annotator, article)
    annotation.refresh_from_db()
    assert annotation.text == BODY[annotation.start : annotation.end] == "“we will rebuild every city,”"
    assert annotation.start == 28  # 'Ukraine’s 🇺🇦 president said ' is 28 code points (30 UTF-16 units)


def test_text_that_differs_from_the_body_is_refused(article, annotator):
    start, end = span_of("rebuild")
    with pytest.raises(ValidationError) as excinfo:
        create_annotation(actor=annotator, article=article, kind="claim", start=start, end=end + 1, text="rebuild")
    assert "does not match the body" in str(excinfo.value)
    assert not Annotation.objects.exists()


def test_offsets_out_of_range_or_reversed_are_refused(article, annotator):
    for start, end in [(-1, 4), (5, 5), (9, 3), (0, len(BODY) + 1)]:
        with pytest.raises(ValidationError):
            create_annotation(actor=annotator, article=article, kind="claim", start=start, end=end)
    assert not Annotation.objects.exists()


def test_text_is_filled_from_the_body_when_omitted(article, annotator):
    start, end = span_of("critics")
    annotation = create_annotation(actor=annotator, article=article, kind="claim", start=start, end=end)
    assert annotation.text == "critics"


def test_a_document_level_stance_has_no_span(article, annotator):
    stance = create_annotation(
        actor=annotator,
        article=article,
        kind="stance",
        start=None,
        end=None,
        attributes={"holder": "the president", "target": "reconstruction", "polarity": "favor"},
    )
    assert (stance.start, stance.end, stance.text) == (None, None, None)
    with pytest.raises(ValidationError, match="needs a span"):
        create_annotation(actor=annotator, article=article, kind="claim", start=None, end=None)


def test_attributes_are_checked_against_the_kind_and_the_vocabulary(article, annotator):
    start, end = span_of("rebuild")
    with pytest.raises(ValidationError) as excinfo:
        create_annotation(
            actor=annotator,
            article=article,
            kind="quote",
            start=start,
            end=end,
            attributes={"quote_type": "shouted", "mood": "angry", "cue_span": [5, 2]},
        )
    messages = excinfo.value.message_dict
    assert set(messages) == {"attributes.quote_type", "attributes.mood", "attributes.cue_span"}
    with pytest.raises(ValidationError, match="polarity"):
        create_annotation(
            actor=annotator, article=article, kind="stance", start=None, end=None, attributes={"target": "x"}
        )


def test_a_project_may_restrict_stance_targets(article, annotator, project):
    project.label_config = {"stance": {"targets": ["NATO", "EU"], "free_targets": False}}
    project.save()
    article.refresh_from_db()
    with pytest.raises(ValidationError, match="not one of this project's targets"):
        create_annotation(
            actor=annotator,
            article=article,
            kind="stance",
            start=None,
            end=None,
            attributes={"target": "UN", "polarity": "against"},
        )
    ok = create_annotation(
        actor=annotator,
        article=article,
        kind="stance",
        start=None,
        end=None,
        attributes={"target": "NATO", "polarity": "against"},
    )
    assert ok.attributes["target"] == "NATO"


def test_spans_may_overlap_and_nest(article, annotator):
    outer = quote(annotator, article)
    start, end = span_of("rebuild every city")
    inner = create_annotation(actor=annotator, article=article, kind="claim", start=start, end=end)
    assert outer.start < inner.start < inner.end < outer.end


def test_a_non_member_cannot_annotate(article, outsider):
    with pytest.raises(PermissionDenied, match="not a member"):
        quote(outsider, article)


def test_every_role_may_annotate(article, annotator, reviewer, admin):
    for user in (annotator, reviewer, admin):
        assert quote(user, article).author == user


def test_submit_moves_my_drafts_to_submitted_and_records_history(article, annotator, other_annotator):
    mine = quote(annotator, article)
    theirs = quote(other_annotator, article)
    assert submit_article(actor=annotator, article=article) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (Status.SUBMITTED, Status.DRAFT)
    assert mine.version == 2
    assert Assignment.objects.get(article=article, user=annotator).status == "submitted"
    assert list(mine.events.values_list("action", flat=True)) == ["created", "submitted"]


def test_rejected_annotation_returns_to_author_who_fixes_and_resubmits(article, annotator, reviewer):
    annotation = quote(annotator, article)
    submit_article(actor=annotator, article=article)
    review_annotation(actor=reviewer, annotation=annotation, decision="reject", comment="Speaker is wrong.")
    annotation.refresh_from_db()
    assert annotation.status == Status.REJECTED
    annotation = update_annotation(
        actor=annotator,
        annotation=annotation,
        expected_version=annotation.version,
        attributes={"speaker": "Denys Shmyhal"},
    )
    assert annotation.status == Status.DRAFT
    submit_article(actor=annotator, article=article)
    review_annotation(actor=reviewer, annotation=annotation, decision="approve")
    annotation.refresh_from_db()
    assert annotation.status == Status.APPROVED
    events = list(annotation.events.order_by("at", "id").values_list("action", "comment"))
    assert events == [
        ("created", ""),
        ("submitted", ""),
        ("rejected", "Speaker is wrong."),
        ("edited", ""),
        ("submitted", ""),
        ("approved", ""),
    ]


def test_a_rejection_needs_a_comment(article, annotator, reviewer):
    annotation = quote(annotator, article)
    submit_article(actor=annotator, article=article)
    with pytest.raises(ValidationError, match="comment"):
        review_annotation(actor=reviewer, annotation=annotation, decision="reject", comment="   ")
    annotation.refresh_from_db()
    assert annotation.status == Status.SUBMITTED


def test_annotators_cannot_review(article, annotator, other_annotator):
    annotation = quote(annotator, article)
    submit_article(actor=annotator, article=article)
    with pytest.raises(PermissionDenied, match="admin or reviewer may review"):
        review_annotation(actor=other_annotator, annotation=annotation, decision="approve")


def test_reviewer_cannot_approve_own_annotation(article, reviewer):
    annotation = quote(reviewer, article)
    submit_article(actor=reviewer, article=article)
    with pytest.raises(PermissionDenied, match="own"):
        review_annotation(actor=reviewer, annotation=annotation, decision="approve")


def test_only_submitted_annotations_are_reviewed(article, annotator, reviewer):
    annotation = quote(annotator, article)
    with pytest.raises(Conflict, match="Only submitted"):
        review_annotation(actor=reviewer, annotation=annotation, decision="approve")


def test_a_second_decision_on_the_same_annotation_is_refused(article, annotator, reviewer, admin):
    annotation = quote(annotator, article)
    submit_article(actor=annotator, article=article)
    review_annotation(actor=reviewer, annotation=annotation, decision="approve")
    with pytest.raises(Conflict, match="already approved by rita_reviewer"):
        review_annotation(actor=admin, annotation=annotation, decision="reject", comment="No.")
    assert Review.objects.count() == 1


def test_approved_annotations_are_locked_for_annotators(article, annotator, reviewer):
    annotation = quote(annotator, article)
    submit_article(actor=annotator, article=article)
    review_annotation(actor=reviewer, annotation=annotation, decision="approve")
    with pytest.raises(PermissionDenied, match="approved and locked"):
        update_annotation(actor=annotator, annotation=annotation, attributes={"speaker": "Someone"})
    with pytest.raises(PermissionDenied, match="approved and locked"):
        delete_annotation(actor=annotator, annotation=annotation)
    assert Annotation.objects.get(pk=annotation.pk).attributes["speaker"] == "Volodymyr Zelensky"


def test_a_reviewer_edit_keeps_the_status_and_is_recorded_as_the_reviewer(article, annotator, reviewer):
    annotation = quote(annotator, article)
    submit_article(actor=annotator, article=article)
    annotation = update_annotation(actor=reviewer, annotation=annotation, attributes={"speaker": "The president"})
    assert annotation.status == Status.SUBMITTED
    assert annotation.author == annotator
    edit = annotation.events.get(action="edited")
    assert edit.actor == reviewer
    assert edit.changes["attributes"][0]["speaker"] == "Volodymyr Zelensky"
    assert edit.changes["attributes"][1]["speaker"] == "The president"


def test_annotators_cannot_touch_each_others_annotations(article, annotator, other_annotator):
    annotation = quote(annotator, article)
    with pytest.raises(PermissionDenied, match="Only the author"):
        update_annotation(actor=other_annotator, annotation=annotation, attributes={"speaker": "X"})
    with pytest.raises(PermissionDenied, match="Only the author"):
        delete_annotation(actor=other_annotator, annotation=annotation)
    assert Annotation.objects.filter(pk=annotation.pk).exists()


def test_a_stale_version_is_a_conflict_and_changes_nothing(article, annotator):
    annotation = quote(annotator, article)
    update_annotation(actor=annotator, annotation=annotation, expected_version=1, attributes={"speaker": "A"})
    with pytest.raises(Conflict, match="changed by someone else") as excinfo:
        update_annotation(actor=annotator, annotation=annotation, expected_version=1, attributes={"speaker": "B"})
    assert excinfo.value.current.attributes["speaker"] == "A"
    with pytest.raises(Conflict):
        delete_annotation(actor=annotator, annotation=annotation, expected_version=1)
    assert Annotation.objects.get(pk=annotation.pk).attributes["speaker"] == "A"


def test_an_edit_can_move_the_span_and_text_is_rechecked(article, annotator):
    annotation = quote(annotator, article)
    start, end = span_of("rebuild every city")
    moved = update_annotation(actor=annotator, annotation=annotation, start=start, end=end)
    assert moved.text == "rebuild every city"
    with pytest.raises(ValidationError, match="does not match"):
        update_annotation(actor=annotator, annotation=annotation, start=start, end=end, text="rebuild")
    assert Annotation.objects.get(pk=annotation.pk).text == "rebuild every city"


def test_an_edit_that_changes_nothing_keeps_the_version(article, annotator):
    annotation = quote(annotator, article)
    same = update_annotation(actor=annotator, annotation=annotation, attributes=annotation.attributes)
    assert same.version == 1
    assert AnnotationEvent.objects.filter(action="edited").count() == 0


def test_admins_may_delete_any_annotation_and_history_records_who(article, annotator, admin):
    annotation = quote(annotator, article)
    delete_annotation(actor=admin, annotation=annotation)
    event = AnnotationEvent.objects.get(annotation_id=annotation.pk, action="deleted")
    assert event.actor == admin
    assert event.state["text"] == "“we will rebuild every city,”"
