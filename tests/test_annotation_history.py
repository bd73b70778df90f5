"""An annotation's history: every create, edit, delete, submit and review, read from the append-only log."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from annotator.annotations.models import Annotation, AnnotationEvent, Origin
from annotator.annotations.services import (
    create_annotation,
    delete_annotation,
    restore_annotation,
    review_annotation,
    submit_article,
    update_annotation,
)
from tests.conftest import secure_client
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BODY = (
    "🇺🇦 Prime Minister Ana Kovač said “inflation will fall below 3% by June,” "
    "but the governor, Jürgen Weiß, told <b>reporters</b> he doubted it."
)
QUOTE = "“inflation will fall below 3% by June,”"
COMMENT = "The speaker is the <b>governor</b> & not the minister."
HX = {"HX-Request": "true"}


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, body=BODY)


def span(fragment: str) -> list[int]:
    start = BODY.index(fragment)
    return [start, start + len(fragment)]


def quote_attributes(speaker: str, mention: str) -> dict:
    return {"speaker": speaker, "speaker_span": span(mention), "quote_type": "direct"}


def create_quote(annotator, article, speaker="Ana Kovač", mention="Ana Kovač") -> Annotation:
    start, end = span(QUOTE)
    return create_annotation(
        actor=annotator,
        article=article,
        kind="quote",
        start=start,
        end=end,
        text=QUOTE,
        attributes=quote_attributes(speaker, mention),
    )


def history_url(annotation_id: int) -> str:
    return reverse("annotation_history", args=[annotation_id])


def events_of(page: str) -> list[tuple[str, str]]:
    """(action, the entry's text with tags removed and spaces collapsed) for each entry, in page order."""
    entries = re.findall(r'<li class="event act-(\w+)">(.*?)</li>', page, re.S)
    return [(action, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())) for action, body in entries]


@pytest.fixture
def reviewed_quote(article, annotator, reviewer) -> Annotation:
    """Created, submitted, rejected with a comment, edited, resubmitted and approved."""
    annotation = create_quote(annotator, article)
    submit_article(actor=annotator, article=article)
    review_annotation(actor=reviewer, annotation=annotation, decision="reject", comment=COMMENT)
    update_annotation(
        actor=annotator, annotation=annotation, attributes=quote_attributes("Jürgen Weiß", "the governor")
    )
    submit_article(actor=annotator, article=article)
    review_annotation(actor=reviewer, annotation=annotation, decision="approve")
    return annotation


# --- what the history shows ----------------------------------------------------------------------


def test_history_lists_the_six_events_of_a_rejected_then_approved_quote_oldest_first(reviewed_quote, annotator):
    page = secure_client(annotator).get(history_url(reviewed_quote.pk)).content.decode()
    events = events_of(page)
    assert [action for action, _ in events] == ["created", "submitted", "rejected", "edited", "submitted", "approved"]
    assert [text.split(" by ")[1].split()[0] for _, text in events] == [
        "ann_annotator",
        "ann_annotator",
        "rita_reviewer",
        "ann_annotator",
        "ann_annotator",
        "rita_reviewer",
    ]


def test_the_rejection_shows_the_reviewers_comment(reviewed_quote, annotator):
    events = events_of(secure_client(annotator).get(history_url(reviewed_quote.pk)).content.decode())
    rejected = [text for action, text in events if action == "rejected"]
    assert len(rejected) == 1
    assert COMMENT in rejected[0]
    assert "status Submitted → Rejected" in rejected[0]


def test_the_edit_shows_the_speaker_and_its_mention_before_and_after(reviewed_quote, annotator):
    events = events_of(secure_client(annotator).get(history_url(reviewed_quote.pk)).content.decode())
    edited = next(text for action, text in events if action == "edited")
    assert "speaker “Ana Kovač” → “Jürgen Weiß”" in edited
    mention_before, mention_after = span("Ana Kovač"), span("the governor")
    assert (
        f"speaker span “Ana Kovač” [{mention_before[0]}, {mention_before[1]}) → "
        f"“the governor” [{mention_after[0]}, {mention_after[1]})"
    ) in edited
    assert "quote type" not in edited
    assert "status Rejected → Draft" in edited


def test_every_event_carries_its_iso_time(reviewed_quote, annotator):
    page = secure_client(annotator).get(history_url(reviewed_quote.pk)).content.decode()
    times = re.findall(r'<time datetime="([^"]+)">', page)
    events = AnnotationEvent.objects.filter(annotation_id=reviewed_quote.pk).order_by("at", "id")
    assert times == [event.at.isoformat() for event in events]
    assert len(times) == 6


def test_a_moved_span_shows_the_text_it_covered_and_covers(article, annotator):
    annotation = create_quote(annotator, article)
    start, end = span("inflation will fall below 3%")
    update_annotation(actor=annotator, annotation=annotation, start=start, end=end)
    events = events_of(secure_client(annotator).get(history_url(annotation.pk)).content.decode())
    old = span(QUOTE)
    assert events[1][0] == "edited"
    assert f"span {QUOTE} [{old[0]}, {old[1]}) → inflation will fall below 3% [{start}, {end})" in events[1][1]


def test_a_deleted_annotations_history_stays_and_says_it_was_deleted(article, annotator):
    annotation = create_quote(annotator, article)
    update_annotation(actor=annotator, annotation=annotation, attributes=quote_attributes("A. Kovač", "Ana Kovač"))
    delete_annotation(actor=annotator, annotation=annotation)
    assert not Annotation.objects.filter(pk=annotation.pk).exists()
    response = secure_client(annotator).get(history_url(annotation.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert [action for action, _ in events_of(page)] == ["created", "edited", "deleted"]
    assert "This quote was deleted" in page
    deleted = events_of(page)[2][1]
    assert f"span {QUOTE} [" in deleted
    assert "speaker “A. Kovač”" in deleted


def test_an_undone_delete_links_the_two_histories(article, annotator):
    annotation = create_quote(annotator, article)
    delete_annotation(actor=annotator, annotation=annotation)
    delete_event = AnnotationEvent.objects.get(annotation_id=annotation.pk, action="deleted")
    restored = restore_annotation(actor=annotator, event=delete_event)
    client = secure_client(annotator)
    old_page = client.get(history_url(annotation.pk)).content.decode()
    new_page = client.get(history_url(restored.pk)).content.decode()
    assert f'href="{history_url(restored.pk)}"' in old_page
    assert f'href="{history_url(annotation.pk)}"' in new_page
    assert "This quote was deleted" not in new_page


def test_comments_and_texts_are_escaped(reviewed_quote, annotator):
    page = secure_client(annotator).get(history_url(reviewed_quote.pk)).content.decode()
    assert "<b>governor</b>" not in page
    assert "The speaker is the &lt;b&gt;governor&lt;/b&gt; &amp; not the minister." in page
    assert re.search(r"<script(?![^>]*\bsrc=)", page) is None
    assert " style=" not in page


def test_a_suggestion_is_shown_as_made_by_the_suggester(article, annotator):
    start, end = span(QUOTE)
    suggestion = Annotation.objects.create(
        article=article, kind="quote", start=start, end=end, text=QUOTE, origin=Origin.SUGGESTED, author=None
    )
    AnnotationEvent.objects.create(
        annotation_id=suggestion.pk, article=article, actor=None, action="created", state=suggestion.snapshot()
    )
    events = events_of(secure_client(annotator).get(history_url(suggestion.pk)).content.decode())
    assert [action for action, _ in events] == ["created"]
    assert "by suggester" in events[0][1]


# --- who may see it ------------------------------------------------------------------------------


def test_each_role_reads_the_events_it_may_see(article, annotator, other_annotator, reviewer, outsider):
    mine = create_quote(annotator, article)
    theirs = create_annotation(actor=other_annotator, article=article, kind="claim", start=0, end=10)
    delete_annotation(actor=reviewer, annotation=mine)

    def annotations_seen_by(user) -> set[int]:
        return set(AnnotationEvent.objects.visible_to(user).values_list("annotation_id", flat=True))

    assert annotations_seen_by(annotator) == {mine.pk}
    assert annotations_seen_by(other_annotator) == {theirs.pk}
    assert annotations_seen_by(reviewer) == {mine.pk, theirs.pk}
    assert annotations_seen_by(outsider) == set()
    assert annotations_seen_by(AnonymousUser()) == set()
    mine_events = AnnotationEvent.objects.visible_to(annotator).of_annotation(mine.pk)
    assert list(mine_events.values_list("action", flat=True)) == ["created", "deleted"]


def test_an_annotator_cannot_see_another_annotators_history(article, annotator, other_annotator):
    kept = create_quote(other_annotator, article)
    deleted = create_annotation(actor=other_annotator, article=article, kind="claim", start=0, end=10)
    delete_annotation(actor=other_annotator, annotation=deleted)
    client = secure_client(annotator)
    assert client.get(history_url(kept.pk)).status_code == 404
    assert client.get(history_url(deleted.pk)).status_code == 404
    assert secure_client(other_annotator).get(history_url(deleted.pk)).status_code == 200


def test_a_reviewer_sees_an_annotators_history_also_after_a_delete(article, annotator, reviewer):
    annotation = create_quote(annotator, article)
    client = secure_client(reviewer)
    assert client.get(history_url(annotation.pk)).status_code == 200
    delete_annotation(actor=annotator, annotation=annotation)
    page = client.get(history_url(annotation.pk)).content.decode()
    assert [action for action, _ in events_of(page)] == ["created", "deleted"]


def test_the_author_still_sees_the_history_after_a_reviewer_deleted_it(article, annotator, reviewer):
    annotation = create_quote(annotator, article)
    delete_annotation(actor=reviewer, annotation=annotation)
    events = events_of(secure_client(annotator).get(history_url(annotation.pk)).content.decode())
    assert [action for action, _ in events] == ["created", "deleted"]
    assert "by rita_reviewer" in events[1][1]


def test_non_members_get_404(reviewed_quote, outsider):
    assert secure_client(outsider).get(history_url(reviewed_quote.pk)).status_code == 404


def test_an_id_that_never_existed_is_404(reviewed_quote, reviewer):
    assert secure_client(reviewer).get(history_url(reviewed_quote.pk + 1000)).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, reviewed_quote):
    response = client.get(history_url(reviewed_quote.pk))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_history_is_read_only(reviewed_quote, annotator):
    response = secure_client(annotator).post(history_url(reviewed_quote.pk))
    assert response.status_code == 405


# --- the page and the side panel -----------------------------------------------------------------


def test_htmx_gets_the_side_panel_fragment_and_others_the_full_page(reviewed_quote, annotator):
    client = secure_client(annotator)
    fragment = client.get(history_url(reviewed_quote.pk), headers=HX)
    page = client.get(history_url(reviewed_quote.pk))
    assert "<html" not in fragment.content.decode()
    assert "data-close-editor" in fragment.content.decode()
    assert len(events_of(fragment.content.decode())) == 6
    assert "speaker “Ana Kovač” → “Jürgen Weiß”" in events_of(fragment.content.decode())[3][1]
    assert "<html" in page.content.decode()
    assert len(events_of(page.content.decode())) == 6
    assert "HX-Request" in fragment["Vary"]
    assert "HX-Request" in page["Vary"]


def test_the_workspace_links_every_annotation_to_its_history_approved_ones_too(reviewed_quote, article, annotator):
    draft = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=10)
    page = secure_client(annotator).get(reverse("article_detail", args=[article.pk])).content.decode()
    for annotation in (reviewed_quote, draft):
        url = history_url(annotation.pk)
        assert f'<a class="history" href="{url}" hx-get="{url}" hx-target="#editor">History</a>' in page


@pytest.mark.parametrize("count", [3, 40])
def test_history_queries_do_not_grow_with_events(article, annotator, count, django_assert_max_num_queries):
    annotation = create_quote(annotator, article)
    for i in range(count - 1):
        update_annotation(
            actor=annotator, annotation=annotation, attributes=quote_attributes(f"Speaker {i}", "Ana Kovač")
        )
    client = secure_client(annotator)
    with django_assert_max_num_queries(4):
        response = client.get(history_url(annotation.pk))
    assert len(events_of(response.content.decode())) == count
