"""Changing a span after it is made, on the server: the edit form and "correct, then approve" post new offsets,
which go through `update_annotation` (as the API's PATCH does) and are checked against the body."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from annotator.annotations.models import Annotation, Status
from annotator.annotations.services import create_annotation, review_annotation, submit_article
from tests.factories import ArticleFactory
from tests.test_workspace import BODY, HX, span

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, body=BODY)


def quote(author, article, fragment="nous tiendrons", **attributes) -> Annotation:
    start, end = span(fragment)
    return create_annotation(
        actor=author, article=article, kind="quote", start=start, end=end, attributes={"speaker": "X", **attributes}
    )


def sent_for_review(author, article, *, approved_by=None) -> Annotation:
    annotation = quote(author, article)
    submit_article(actor=author, article=article)
    if approved_by is not None:
        review_annotation(actor=approved_by, annotation=annotation, decision="approve")
    annotation.refresh_from_db()
    return annotation


def edit_post(annotation, fragment: str | None = None, **fields) -> dict:
    """What the edit form posts: its hidden span and version, and the attributes as they are."""
    start, end = span(fragment) if fragment else (annotation.start, annotation.end)
    data = {"kind": annotation.kind, "start": start, "end": end, "text": BODY[start:end], "version": annotation.version}
    data |= {"speaker": "X", "quote_type": "direct"}
    return data | fields


def shown_text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_author_changes_the_span_in_the_edit_form_and_the_server_keeps_its_own_slice(
    client, article, annotator, django_assert_max_num_queries
):
    annotation = quote(annotator, article)
    client.force_login(annotator)
    start, end = span("« nous tiendrons »")
    data = edit_post(annotation, "« nous tiendrons »") | {"text": ""}  # the offsets alone: the server takes the text
    with django_assert_max_num_queries(14):
        response = client.post(reverse("annotation_update", args=[annotation.pk]), data, headers=HX)
    assert response.status_code == 200
    annotation.refresh_from_db()
    assert (annotation.start, annotation.end, annotation.text) == (start, end, "« nous tiendrons »")
    assert annotation.version == 2
    event = annotation.events.order_by("id").last()
    assert (event.action, event.changes["start"], event.changes["end"]) == (
        "edited",
        [span("nous")[0], start],
        [
            span("tiendrons")[1],
            end,
        ],
    )
    assert "« nous tiendrons »" in shown_text(response)  # the list entry shows the stored text


def test_a_span_attribute_changes_with_the_same_form(client, article, annotator):
    annotation = quote(annotator, article, speaker_span=list(span("président")))
    client.force_login(annotator)
    data = edit_post(annotation, speaker_span_start=span("Le président")[0], speaker_span_end=span("Le président")[1])
    response = client.post(reverse("annotation_update", args=[annotation.pk]), data, headers=HX)
    assert response.status_code == 200
    annotation.refresh_from_db()
    assert annotation.attributes["speaker_span"] == list(span("Le président"))


def test_the_edit_form_shows_the_span_tools_and_the_keys(client, article, annotator):
    annotation = quote(annotator, article)
    client.force_login(annotator)
    form = client.get(reverse("annotation_edit", args=[annotation.pk]), headers=HX).content.decode()
    assert 'data-span-use aria-keyshortcuts="u"' in form
    for name in ("span", "speaker_span", "cue_span"):
        assert f'data-span-adjust="{name}"' in form
    assert "<kbd>[</kbd> <kbd>]</kbd> its start" in form


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start": "-1"}, "Span start: -1 is negative"),
        ({"end": str(len(BODY) + 3), "text": ""}, f"Span end: end {len(BODY) + 3} is past the end of the body"),
        ({"start": "abc"}, "Span start: Enter a whole number."),
        ({"end": "", "text": ""}, "Span end: must be a whole number of code points"),
        ({"text": "nous tiendrons!"}, "Span text: does not match the body"),
        ({"speaker_span_start": "3", "speaker_span_end": "999"}, "Speaker mention: [3, 999] is not a non-empty span"),
        ({"cue_span_start": "x", "cue_span_end": "4"}, "Cue start: Enter a whole number."),
    ],
)
def test_bad_offsets_are_refused_with_an_error_naming_the_field_and_nothing_changes(
    client, article, annotator, fields, message
):
    annotation = quote(annotator, article)
    client.force_login(annotator)
    data = edit_post(annotation) | fields
    response = client.post(reverse("annotation_update", args=[annotation.pk]), data, headers=HX)
    assert response.status_code == 422
    assert message in shown_text(response)
    assert Annotation.objects.get(pk=annotation.pk).version == 1


def test_the_form_sent_back_with_offsets_outside_the_body_shows_no_stray_text(client, article, annotator):
    annotation = quote(annotator, article)
    client.force_login(annotator)
    data = edit_post(annotation) | {"start": "-3", "end": str(len(BODY)), "text": ""}
    response = client.post(reverse("annotation_update", args=[annotation.pk]), data, headers=HX)
    page = shown_text(response)
    assert "Span start: -3 is negative" in page
    assert "Not a span of this article's text" in page
    assert f'<blockquote class="span-text" id="span-text">{BODY[-3:]}' not in page  # Python's body[-3:] is not a span


def test_a_reviewer_corrects_the_span_then_approves_and_the_edit_is_the_reviewers(
    client, article, annotator, reviewer, django_assert_max_num_queries
):
    annotation = sent_for_review(annotator, article)
    client.force_login(reviewer)
    start, end = span("« nous tiendrons »")
    with django_assert_max_num_queries(40):
        response = client.post(
            reverse("annotation_edit_approve", args=[annotation.pk]),
            edit_post(annotation, "« nous tiendrons »"),
            headers=HX,
        )
    assert response.status_code == 200
    annotation.refresh_from_db()
    assert (annotation.status, annotation.author, annotation.start, annotation.end) == (
        Status.APPROVED,
        annotator,
        start,
        end,
    )
    edit, approval = annotation.events.order_by("id")[2:]
    assert (edit.action, edit.actor, approval.action) == ("edited", reviewer, "approved")


def test_correct_then_approve_refuses_bad_offsets_naming_the_field_and_approves_nothing(
    client, article, annotator, reviewer
):
    annotation = sent_for_review(annotator, article)
    client.force_login(reviewer)
    data = edit_post(annotation) | {"end": str(annotation.start), "text": ""}
    response = client.post(reverse("annotation_edit_approve", args=[annotation.pk]), data, headers=HX)
    assert response.status_code == 422
    assert f"Span end: end {annotation.start} must be greater than start {annotation.start}" in shown_text(response)
    assert "Save and approve" in shown_text(response)
    assert Annotation.objects.get(pk=annotation.pk).status == Status.SUBMITTED


def test_a_span_changed_after_approval_goes_back_to_review_unless_corrected_then_approved(
    client, article, annotator, reviewer
):
    annotation = sent_for_review(annotator, article, approved_by=reviewer)
    client.force_login(reviewer)
    response = client.post(
        reverse("annotation_update", args=[annotation.pk]), edit_post(annotation, "nous tiendrons »"), headers=HX
    )
    assert response.status_code == 200
    annotation.refresh_from_db()
    assert (annotation.status, annotation.text) == (Status.SUBMITTED, "nous tiendrons »")
    # The reviewer who sent it back to review by changing it may not approve the change: another reviewer does.
    response = client.post(
        reverse("annotation_edit_approve", args=[annotation.pk]), edit_post(annotation, "nous"), headers=HX
    )
    assert response.status_code == 403
    assert Annotation.objects.get(pk=annotation.pk).text == "nous tiendrons »"


def test_an_author_cannot_change_the_span_of_an_approved_annotation(client, article, annotator, reviewer):
    annotation = sent_for_review(annotator, article, approved_by=reviewer)
    client.force_login(annotator)
    response = client.post(
        reverse("annotation_update", args=[annotation.pk]), edit_post(annotation, "« nous tiendrons »"), headers=HX
    )
    assert response.status_code == 403
    assert Annotation.objects.get(pk=annotation.pk).text == "nous tiendrons"
