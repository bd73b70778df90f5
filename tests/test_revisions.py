"""Corrected articles (contract §9): a new revision of the body, and every annotation re-anchored by the service
that the API, the article page and imports call."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.annotations.models import Action, Anchor, Annotation, AnnotationEvent, Origin, Status
from annotator.annotations.services import create_annotation, review_annotation, submit_article
from annotator.articles.models import Article, ArticleRevision
from annotator.articles.revisions import StaleRevision, revise_article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BODY = (
    "Prime Minister Ana Kovač said on Tuesday that “inflation will fall below 3% by June,” a forecast "
    "economists called optimistic.\n\n"
    "“We have turned the corner,” she told reporters, though critics disagreed.\n\n"
    "The central bank’s governor, Jürgen Weiß, said “the risks remain high” and declined to comment further."
)


def at(body: str, fragment: str) -> tuple[int, int]:
    start = body.index(fragment)
    return start, start + len(fragment)


def quote(author, article, fragment: str, **attributes) -> Annotation:
    start, end = at(article.body, fragment)
    return create_annotation(
        actor=author,
        article=article,
        kind="quote",
        start=start,
        end=end,
        attributes={"speaker": "X", **attributes},
    )


def reloaded(annotation: Annotation) -> Annotation:
    return Annotation.with_orphans.get(pk=annotation.pk)


def assert_in_place(annotation: Annotation) -> None:
    body = Article.objects.get(pk=annotation.article_id).body
    assert annotation.text == body[annotation.start : annotation.end]


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, body=BODY)


@pytest.fixture
def three(article, annotator):
    return [
        quote(annotator, article, "inflation will fall below 3% by June"),
        quote(annotator, article, "We have turned the corner"),
        quote(annotator, article, "the risks remain high"),
    ]


def test_a_new_article_has_revision_one_holding_its_body(article):
    assert article.revision == 1
    first = ArticleRevision.objects.get(article=article)
    assert (first.number, first.body, first.content_hash) == (1, article.body, article.content_hash)


def test_a_paragraph_inserted_above_every_annotation_moves_them_all_exactly(article, three, reviewer):
    added = "Editor’s note: this story was updated on Wednesday.\n\n"
    revised = revise_article(actor=reviewer, article=article, body=added + BODY, note="note added")
    assert revised.revision.number == 2
    assert revised.annotations.as_dict() == {"exact": 3, "changed": 0, "orphaned": 0, "to_review": 0}
    for before in three:
        after = reloaded(before)
        assert after.anchor == Anchor.EXACT
        assert (after.start, after.end) == (before.start + len(added), before.end + len(added))
        assert after.text == before.text
        assert_in_place(after)
    article.refresh_from_db()
    assert (article.revision, article.body) == (2, added + BODY)
    assert ArticleRevision.objects.get(article=article, number=2).note == "note added"


def test_a_typo_fixed_inside_one_quote_changes_that_one_and_sends_it_back_to_review(
    article, three, annotator, reviewer
):
    submit_article(actor=annotator, article=article)
    for annotation in three:
        review_annotation(actor=reviewer, annotation=annotation, decision="approve")
    revise_article(actor=reviewer, article=article, body=BODY.replace("the risks remain", "the risk remains"))
    changed = reloaded(three[2])
    assert changed.anchor == Anchor.CHANGED
    assert changed.text == "the risk remains high"
    assert changed.status == Status.SUBMITTED
    assert_in_place(changed)
    for other in three[:2]:
        other = reloaded(other)
        assert (other.anchor, other.status) == (Anchor.EXACT, Status.APPROVED)
        assert_in_place(other)


def test_a_deleted_quoted_paragraph_orphans_its_annotations_and_places_them_nowhere(article, three, reviewer):
    paragraph = "“We have turned the corner,” she told reporters, though critics disagreed.\n\n"
    revise_article(actor=reviewer, article=article, body=BODY.replace(paragraph, ""))
    orphan = reloaded(three[1])
    assert orphan.anchor == Anchor.ORPHANED
    assert (orphan.start, orphan.end) == (None, None)
    assert orphan.text == "We have turned the corner"
    assert (orphan.old_start, orphan.old_end, orphan.old_revision) == (three[1].start, three[1].end, 1)
    assert not Annotation.objects.filter(pk=orphan.pk).exists()  # left out of everything that reads annotations
    assert Annotation.with_orphans.orphaned().filter(article=article).count() == 1
    for other in (three[0], three[2]):
        assert reloaded(other).anchor == Anchor.EXACT


def test_a_reworded_quote_is_not_moved_onto_a_near_duplicate_added_elsewhere(article, three, reviewer):
    original = "the risks remain high"
    body = BODY.replace(original, "the dangers stay considerable") + "\n\nAnalysts agreed: the risks remain higher."
    revise_article(actor=reviewer, article=article, body=body)
    after = reloaded(three[2])
    lookalike = body.index("the risks remain higher")
    assert after.start != lookalike
    assert after.anchor in (Anchor.CHANGED, Anchor.ORPHANED)
    if after.anchor == Anchor.CHANGED:
        assert "dangers" in after.text


def test_a_quote_reworded_in_a_repeated_paragraph_is_not_moved_onto_the_other_copy(project, annotator, reviewer):
    said = "The ministry repeated its line in a statement: “We will not comment on the talks,” a spokesman for the "
    said += "ministry said on Tuesday evening."  # the same context on either side of the quote in both copies
    body = f"Talks resumed on Monday.\n\n{said}\n\nThe opposition called it a scandal.\n\n{said}\n\nMore next week."
    article = ArticleFactory(project=project, body=body)
    fragment = "We will not comment on the talks"
    first = quote(annotator, article, fragment)
    start = body.rindex(fragment)
    second = create_annotation(actor=annotator, article=article, kind="claim", start=start, end=start + len(fragment))
    new = body.replace(fragment, "Talks are over, full stop", 1)  # the first copy reworded, the second kept
    revise_article(actor=reviewer, article=article, body=new)
    after = reloaded(first)
    assert after.start != new.rindex(fragment)  # its text and context are the other copy's: not its place
    assert after.anchor == Anchor.ORPHANED
    assert (reloaded(second).anchor, reloaded(second).start) == (Anchor.EXACT, new.rindex(fragment))


def test_a_moved_paragraph_is_found_again_when_its_text_and_context_occur_once(article, three, reviewer):
    first, second, third = BODY.split("\n\n")
    revise_article(actor=reviewer, article=article, body="\n\n".join([third, first, second]))
    for annotation in three:
        after = reloaded(annotation)
        assert after.anchor == Anchor.EXACT
        assert after.text == annotation.text
        assert_in_place(after)


def test_emoji_and_cjk_before_and_inside_spans_count_code_points(project, annotator, reviewer):
    body = "東京 🇺🇦 reported: “会議は明日 🙂 開かれる” said the minister 👩‍👩‍👧."
    article = ArticleFactory(project=project, body=body)
    inside = quote(annotator, article, "会議は明日 🙂 開かれる")
    after_flag = quote(annotator, article, "the minister 👩‍👩‍👧")
    new = "速報 🎉🎉 " + body.replace("明日 🙂", "明後日 🙂")
    revise_article(actor=reviewer, article=article, body=new)
    changed, moved = reloaded(inside), reloaded(after_flag)
    assert (changed.anchor, changed.text) == (Anchor.CHANGED, "会議は明後日 🙂 開かれる")
    assert changed.start == new.index("会議")  # a code-point index: 🎉 counts one, not two (UTF-16) or four (UTF-8)
    assert (moved.anchor, moved.text) == (Anchor.EXACT, "the minister 👩‍👩‍👧")
    assert moved.start == after_flag.start + len("速報 🎉🎉 ") + 1
    assert_in_place(changed)
    assert_in_place(moved)


def test_speaker_and_cue_spans_move_with_the_text(article, annotator, reviewer):
    speaker, cue = at(BODY, "Jürgen Weiß"), at(BODY, "said")
    annotation = quote(annotator, article, "the risks remain high", speaker_span=list(speaker))
    cued = quote(annotator, article, "inflation will fall below 3% by June", cue_span=list(cue))
    added = "Updated.\n\n"
    revise_article(actor=reviewer, article=article, body=added + BODY)
    shifted = reloaded(annotation).attributes["speaker_span"]
    assert shifted == [speaker[0] + len(added), speaker[1] + len(added)]
    assert reloaded(cued).attributes["cue_span"] == [cue[0] + len(added), cue[1] + len(added)]
    revise_article(actor=reviewer, article=article, body=added + BODY.replace("Jürgen Weiß, ", ""))
    after = reloaded(annotation)
    assert after.attributes["speaker_span"] is None
    assert after.anchor == Anchor.CHANGED  # its quote is in place, but someone should look at the lost speaker


def test_suggestions_and_drafts_are_re_anchored_too(article, annotator, reviewer):
    start, end = at(BODY, "We have turned the corner")
    suggestion = Annotation.objects.create(
        article=article, kind="quote", start=start, end=end, text=BODY[start:end], origin=Origin.SUGGESTED,
        suggester="direct_quotes", attributes={"speaker": "", "quote_type": "direct"},
    )  # fmt: skip
    revise_article(actor=reviewer, article=article, body="Breaking.\n\n" + BODY)
    after = reloaded(suggestion)
    assert (after.anchor, after.status, after.author) == (Anchor.EXACT, Status.DRAFT, None)
    assert_in_place(after)


def test_three_revisions_in_a_row_keep_every_annotation_in_place(article, three, reviewer):
    bodies = [
        "Update one.\n\n" + BODY,
        "Update one.\n\n" + BODY.replace("optimistic", "very optimistic"),
        "Update one, two.\n\n" + BODY.replace("optimistic", "very optimistic").replace("remain high", "remain high!"),
    ]
    for body in bodies:
        revise_article(actor=reviewer, article=article, body=body, note="again")
    article.refresh_from_db()
    assert article.revision == 4
    assert list(ArticleRevision.objects.filter(article=article).values_list("number", flat=True)) == [1, 2, 3, 4]
    assert ArticleRevision.objects.get(article=article, number=4).body == article.body
    for annotation in three:
        after = reloaded(annotation)
        assert after.anchor == Anchor.EXACT
        assert_in_place(after)
    events = AnnotationEvent.objects.filter(annotation_id=three[0].pk, action=Action.REANCHORED).order_by("id")
    assert [e.changes["revision"] for e in events] == [[1, 2], [2, 3], [3, 4]]
    assert events[0].changes["start"] == [three[0].start, three[0].start + len("Update one.\n\n")]


def test_the_same_body_again_is_refused_and_says_so(article, reviewer):
    with pytest.raises(ValidationError, match="same as the current body"):
        revise_article(actor=reviewer, article=article, body=BODY.replace("\n", "\r\n"))
    assert Article.objects.get(pk=article.pk).revision == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [("  \n ", "body is empty or only whitespace"), ("a\x00b", "NUL"), (12, "body must be a string")],
)
def test_a_body_an_import_would_refuse_is_refused_with_the_import_message(article, reviewer, body, message):
    with pytest.raises(ValidationError, match=message):
        revise_article(actor=reviewer, article=article, body=body)
    assert ArticleRevision.objects.filter(article=article).count() == 1


def test_annotators_may_not_correct_articles(article, annotator):
    with pytest.raises(PermissionDenied):
        revise_article(actor=annotator, article=article, body=BODY + " More.")


def test_a_stale_base_revision_is_refused_with_the_current_number(article, reviewer):
    revise_article(actor=reviewer, article=article, body=BODY + " More.")
    with pytest.raises(StaleRevision) as refused:
        revise_article(actor=reviewer, article=article, body=BODY + " Other.", base_revision=1)
    assert refused.value.current == 2


def test_the_database_refuses_a_new_body_on_an_annotated_article_without_a_revision(article, three):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=article.pk).update(body=BODY + " x")


def test_revising_two_thousand_annotations_takes_a_constant_number_of_queries(
    article, annotator, reviewer, django_assert_max_num_queries
):
    Annotation.objects.bulk_create(
        Annotation(article=article, kind="claim", start=i % 200, end=i % 200 + 5, text=BODY[i % 200 : i % 200 + 5],
                   author=annotator)
        for i in range(2000)
    )  # fmt: skip
    with django_assert_max_num_queries(14):
        revised = revise_article(actor=reviewer, article=article, body="Top.\n\n" + BODY)
    assert revised.annotations.exact == 2000
    assert all(a.text == revised.article.body[a.start : a.end] for a in Annotation.objects.filter(article=article))


def statements_of_a_revision(project, annotator, reviewer, annotations: int) -> list[str]:
    body = f"{BODY} ({annotations})"  # two articles of a project never share a body
    article = ArticleFactory(project=project, body=body)
    Annotation.objects.bulk_create(
        Annotation(article=article, kind="quote", start=i % 200, end=i % 200 + 5, text=BODY[i % 200 : i % 200 + 5],
                   author=annotator, attributes={"speaker": "X", "speaker_span": [220, 231]})
        for i in range(annotations)
    )  # fmt: skip
    with CaptureQueriesContext(connection) as captured:
        revise_article(actor=reviewer, article=article, body="Top.\n\n" + body)
    return [q["sql"] for q in captured.captured_queries]


def test_a_revision_takes_the_same_statements_for_three_annotations_as_for_three_hundred(project, annotator, reviewer):
    statements_of_a_revision(project, annotator, reviewer, 1)  # the reviewer's role is read once, then cached
    few = statements_of_a_revision(project, annotator, reviewer, 3)
    many = statements_of_a_revision(project, annotator, reviewer, 300)
    assert len(few) == len(many)
    history = [sql for sql in many if "annotations_annotationevent" in sql]
    assert len(history) == 1  # every history entry, and the rewrite of the rows, in one statement
    assert "UPDATE annotations_annotation" in history[0]
    assert AnnotationEvent.objects.filter(action=Action.REANCHORED).count() == 304


def test_each_re_anchoring_entry_records_what_changed(article, three, annotator, reviewer):
    start, end = at(BODY, "Prime Minister")  # before every edit: its offsets stay, its row is not rewritten
    untouched = create_annotation(actor=annotator, article=article, kind="claim", start=start, end=end)
    speaker = list(at(BODY, "Jürgen Weiß"))
    spoken = quote(annotator, article, "declined to comment further", speaker_span=speaker)
    submit_article(actor=annotator, article=article)
    review_annotation(actor=reviewer, annotation=three[2], decision="approve")
    body = BODY.replace("“We have turned the corner,” she", "She").replace("risks remain", "risk remains")
    body = body.replace("Tuesday", "Tuesday evening")
    revise_article(actor=reviewer, article=article, body=body)

    def entry(annotation):
        return AnnotationEvent.objects.get(annotation_id=annotation.pk, action=Action.REANCHORED)

    assert entry(untouched).changes == {"revision": [1, 2], "start": [start, start], "end": [end, end]}
    assert entry(untouched).state["version"] == reloaded(untouched).version == untouched.version + 1  # submitted
    orphan = entry(three[1])
    assert orphan.changes == {"revision": [1, 2], "start": [three[1].start, None], "end": [three[1].end, None],
                              "anchor": ["exact", "orphaned"]}  # fmt: skip
    new_start = body.index("the risk remains high")
    assert entry(three[2]).changes == {
        "revision": [1, 2], "start": [three[2].start, new_start], "end": [three[2].end, new_start + 21],
        "anchor": ["exact", "changed"], "text": ["the risks remain high", "the risk remains high"],
        "status": ["approved", "submitted"],
    }  # fmt: skip
    assert reloaded(spoken).attributes["speaker_span"] == list(at(body, "Jürgen Weiß"))
    assert entry(spoken).changes["attributes"] == [spoken.attributes, reloaded(spoken).attributes]
    assert "status" not in entry(spoken).changes and "text" not in entry(spoken).changes


@pytest.mark.django_db(transaction=True)
def test_two_revisions_at_once_are_serialized(project, annotator, reviewer):
    article = ArticleFactory(project=project, body=BODY)
    annotation = quote(annotator, article, "the risks remain high")
    barrier = threading.Barrier(2)
    errors = []

    def correct(prefix: str) -> None:
        try:
            barrier.wait()
            current = Article.objects.get(pk=article.pk)
            revise_article(actor=reviewer, article=current, body=prefix + BODY)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=correct, args=(p,)) for p in ("One.\n\n", "Two, longer.\n\n")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    article.refresh_from_db()
    assert article.revision == 3
    assert list(ArticleRevision.objects.filter(article=article).values_list("number", flat=True)) == [1, 2, 3]
    after = reloaded(annotation)
    assert after.anchor == Anchor.EXACT
    assert_in_place(after)


def test_offsets_checked_against_a_body_a_revision_replaced_are_refused(article, annotator, reviewer):
    stale = Article.objects.get(pk=article.pk)  # as a page or request read it before the correction
    revise_article(actor=reviewer, article=article, body="Moved down.\n\n" + BODY)
    start, end = at(BODY, "the risks remain high")
    with pytest.raises(ValidationError, match="corrected meanwhile"):
        create_annotation(actor=annotator, article=stale, kind="claim", start=start, end=end)
    assert not Annotation.objects.filter(article=article).exists()


def test_a_re_anchoring_entry_records_the_state_a_snapshot_records(article, three, annotator, reviewer):
    from annotator.annotations.anchoring import STATE_FIELDS

    submit_article(actor=annotator, article=article)
    body = "Top.\n\n" + BODY.replace("“We have turned the corner,” she", "She").replace("risks remain", "risk remains")
    revise_article(actor=reviewer, article=article, body=body)
    for before in three:  # exact, orphaned, changed and back to review: each state written by the database
        annotation = reloaded(before)
        assert set(STATE_FIELDS) == set(annotation.snapshot())
        event = AnnotationEvent.objects.filter(annotation_id=annotation.pk, action=Action.REANCHORED).get()
        assert event.state == annotation.snapshot()
        assert event.actor == reviewer
    assert [reloaded(a).anchor for a in three] == [Anchor.EXACT, Anchor.ORPHANED, Anchor.CHANGED]


def test_a_deleted_orphan_cannot_be_restored_without_a_place(article, three, annotator, reviewer):
    from annotator.annotations.services import delete_annotation, restore_annotation

    revise_article(actor=reviewer, article=article, body=BODY.replace("“We have turned the corner,” she", "She"))
    orphan = reloaded(three[1])
    assert orphan.anchor == Anchor.ORPHANED
    delete_annotation(actor=annotator, annotation=orphan.pk)
    deleted = AnnotationEvent.objects.get(annotation_id=orphan.pk, action=Action.DELETED)
    with pytest.raises(ValidationError, match="lost its place"):
        restore_annotation(actor=annotator, event=deleted)
