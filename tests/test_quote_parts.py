"""Quotes in parts (contract §10): the rules of annotations/parts.py as the services apply them, the database's
own check, history, and re-anchoring of each part when the article is corrected."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from annotator.annotations.models import Action, Anchor, Annotation, AnnotationEvent
from annotator.annotations.services import (
    create_annotation,
    create_annotations,
    delete_annotation,
    restore_annotation,
    submit_article,
    update_annotation,
)
from annotator.articles.revisions import revise_article
from annotator.reports.agreement import Span, compute_agreement, match_spans
from annotator.suggestions.quotes import QuoteSuggester
from annotator.suggestions.services import accept_suggestion, suggest_articles
from tests.conftest import secure_client
from tests.factories import ArticleFactory
from tests.test_annotation_history import events_of

pytestmark = pytest.mark.django_db

BODY = "😀 Intro. “We will act,” she said, “and soon.” Then more text follows here."


def at(body: str, fragment: str) -> list[int]:
    start = body.index(fragment)
    return [start, start + len(fragment)]


FIRST, SECOND = at(BODY, "We will act,"), at(BODY, "and soon.")


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, body=BODY)


def quote_in_parts(actor, article, parts=None, **fields) -> Annotation:
    parts = [FIRST, SECOND] if parts is None else parts
    return create_annotation(
        actor=actor, article=article, kind="quote", parts=parts, attributes={"speaker": "She"}, **fields
    )


def refusal(call) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return " ".join(caught.value.message_dict.get("parts", caught.value.messages))


def test_a_quote_in_parts_spans_its_parts_and_keeps_them(article, annotator):
    quote = quote_in_parts(annotator, article)
    quote.refresh_from_db()
    assert quote.parts == [FIRST, SECOND]
    assert (quote.start, quote.end) == (FIRST[0], SECOND[1])
    assert quote.text == BODY[FIRST[0] : SECOND[1]]


def test_parts_given_in_any_order_are_stored_sorted(article, annotator):
    assert quote_in_parts(annotator, article, [SECOND, FIRST]).parts == [FIRST, SECOND]


def test_touching_parts_are_merged_and_one_part_is_an_ordinary_span(article, annotator):
    middle = FIRST[0] + 4
    quote = quote_in_parts(annotator, article, [[FIRST[0], middle], [middle, FIRST[1]]])
    assert quote.parts is None
    assert (quote.start, quote.end) == tuple(FIRST)


def test_parts_as_the_jsonl_export_writes_them_are_accepted_and_their_text_checked(article, annotator):
    given = [{"start": s, "end": e, "text": BODY[s:e]} for s, e in (FIRST, SECOND)]
    assert quote_in_parts(annotator, article, given).parts == [FIRST, SECOND]
    given[1]["text"] = "and later."
    assert "parts[1]: the text does not match the body" in refusal(lambda: quote_in_parts(annotator, article, given))


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ([[0, 5], [40, 30]], "parts[1]: [40, 30] ends before it starts"),
        ([[0, 5], [7, 7]], "parts[1]: [7, 7] is empty"),
        ([[0, 5], [10, 999]], "parts[1]: [10, 999] ends past the end of the body"),
        ([[0, 5], [-1, 3]], "parts[1]: [-1, 3] starts before the body"),
        ([[0, 5], [3, 9]], "parts[1]: [3, 9] overlaps parts[0] [0, 5]"),
        ([[0, 5], "6-9"], "parts[1]: must be a pair of code-point offsets"),
        ([[0, 5], [6, 9, 10]], "parts[1]: must be a pair of code-point offsets"),
        ([], "must be a list of at least one part"),
    ],
)
def test_invalid_parts_are_refused_naming_the_part(article, annotator, parts, message):
    assert message in refusal(lambda: quote_in_parts(annotator, article, parts))
    assert not Annotation.objects.exists()


def test_only_a_quote_has_parts(article, annotator):
    def claim():
        create_annotation(actor=annotator, article=article, kind="claim", parts=[FIRST, SECOND])

    assert "only a quote has parts" in refusal(claim)


def test_start_and_end_must_be_the_hull_of_the_parts(article, annotator):
    assert "start is where the first part starts" in refusal(
        lambda: quote_in_parts(annotator, article, start=FIRST[0] + 1)
    )
    assert "end is where the last part ends" in refusal(lambda: quote_in_parts(annotator, article, end=SECOND[1] - 1))
    assert quote_in_parts(annotator, article, start=FIRST[0], end=SECOND[1], text=BODY[FIRST[0] : SECOND[1]]).parts


def test_bulk_create_names_the_item_and_the_part(article, annotator):
    good = {"kind": "quote", "parts": [FIRST, SECOND], "attributes": {"speaker": "She"}}
    bad = {"kind": "quote", "parts": [FIRST, [40, 30]], "attributes": {"speaker": "She"}}
    with pytest.raises(ValidationError) as caught:
        create_annotations(actor=annotator, article=article, items=[good, bad])
    assert caught.value.item_errors[1]["parts"] == ["parts[1]: [40, 30] ends before it starts"]
    created = create_annotations(actor=annotator, article=article, items=[good])
    assert created[0].parts == [FIRST, SECOND]


def test_editing_the_parts_is_recorded_in_the_history(article, annotator):
    quote = quote_in_parts(annotator, article)
    third = at(BODY, "Then more")
    update_annotation(actor=annotator, annotation=quote, parts=[FIRST, SECOND, third])
    quote.refresh_from_db()
    assert quote.parts == [FIRST, SECOND, third] and quote.end == third[1]
    edit = AnnotationEvent.objects.filter(annotation_id=quote.pk, action=Action.EDITED).get()
    assert edit.changes["parts"] == [[FIRST, SECOND], [FIRST, SECOND, third]]
    assert edit.state["parts"] == [FIRST, SECOND, third]
    created = AnnotationEvent.objects.filter(annotation_id=quote.pk, action=Action.CREATED).get()
    assert created.state["parts"] == [FIRST, SECOND]


def test_a_new_start_or_end_alone_moves_the_outer_parts(article, annotator):
    quote = quote_in_parts(annotator, article)
    quote = update_annotation(actor=annotator, annotation=quote, start=FIRST[0] - 1)
    assert quote.parts == [[FIRST[0] - 1, FIRST[1]], SECOND]
    message = refusal(lambda: update_annotation(actor=annotator, annotation=quote, end=SECOND[0]))
    assert message.startswith(f"parts[1]: [{SECOND[0]}, {SECOND[0]}] is empty")


def test_parts_null_make_an_ordinary_quote_of_the_same_span(article, annotator):
    quote = quote_in_parts(annotator, article)
    update_annotation(actor=annotator, annotation=quote, parts=None)
    quote.refresh_from_db()
    assert quote.parts is None and (quote.start, quote.end) == (FIRST[0], SECOND[1])


def test_an_undone_delete_brings_the_parts_back(article, annotator):
    quote = quote_in_parts(annotator, article)
    delete_annotation(actor=annotator, annotation=quote)
    event = AnnotationEvent.objects.get(annotation_id=quote.pk, action=Action.DELETED)
    assert restore_annotation(actor=annotator, event=event).parts == [FIRST, SECOND]


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"kind": "claim"}, "not a quote"),
        ({"parts": [[FIRST[0] + 1, FIRST[1]], SECOND]}, "first part does not start at start"),
        ({"parts": [FIRST, [SECOND[0], SECOND[1] - 1]]}, "last part does not end at end"),
        ({"parts": [[FIRST[0], SECOND[1]]]}, "one part"),
    ],
)
def test_the_database_refuses_parts_that_do_not_fit_the_annotation(article, annotator, fields, why):
    quote = quote_in_parts(annotator, article)
    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.filter(pk=quote.pk).update(**fields)


# --- re-anchoring (articles.revisions) ---------------------------------------------------------------


def revised(article, annotator, body: str) -> Annotation:
    quote = quote_in_parts(annotator, article)
    revise_article(actor=None, article=article, body=body, note="correction")
    return Annotation.with_orphans.get(pk=quote.pk)


def test_an_edit_between_the_parts_leaves_the_quote_exact(article, annotator):
    quote = revised(article, annotator, BODY.replace("she said", "the minister told reporters"))
    new = quote.article.body
    assert quote.anchor == Anchor.EXACT
    assert [new[s:e] for s, e in quote.parts] == ["We will act,", "and soon."]
    assert quote.text == new[quote.start : quote.end]


def test_an_edit_before_the_quote_moves_every_part(article, annotator):
    quote = revised(article, annotator, BODY.replace("Intro.", "A much longer 🇺🇦 introduction."))
    new = quote.article.body
    assert quote.anchor == Anchor.EXACT
    assert [new[s:e] for s, e in quote.parts] == ["We will act,", "and soon."]


def test_an_edit_inside_a_part_makes_the_quote_changed(article, annotator):
    quote = revised(article, annotator, BODY.replace("and soon.", "and very soon."))
    new = quote.article.body
    assert quote.anchor == Anchor.CHANGED
    assert [new[s:e] for s, e in quote.parts] == ["We will act,", "and very soon."]


def test_a_part_whose_text_is_gone_is_dropped_while_most_of_the_quote_remains(article, annotator):
    quote = revised(article, annotator, BODY.replace("“and soon.”", "“”"))
    new = quote.article.body
    assert quote.anchor == Anchor.CHANGED
    assert quote.parts is None and new[quote.start : quote.end] == "We will act,"
    event = AnnotationEvent.objects.get(annotation_id=quote.pk, action=Action.REANCHORED)
    assert event.changes["parts"] == [[FIRST, SECOND], None]


def test_a_quote_whose_larger_part_is_gone_is_orphaned_with_its_old_parts(article, annotator):
    quote = revised(article, annotator, BODY.replace("“We will act,”", "“”"))
    assert quote.anchor == Anchor.ORPHANED
    assert quote.start is None and quote.parts == [FIRST, SECOND]
    assert (quote.old_start, quote.old_end) == (FIRST[0], SECOND[1])


# --- suggestions (annotator.suggestions) -------------------------------------------------------------


def test_the_built_in_suggester_stores_an_interrupted_quote_as_one_suggestion_in_parts_and_accepting_keeps_them(
    article, annotator
):
    run = suggest_articles(articles=[article], suggesters=[QuoteSuggester()])
    assert run.dropped == 0
    (suggestion,) = Annotation.objects.pending_suggestions().filter(article=article, kind="quote")
    assert suggestion.parts == [FIRST, SECOND]
    created = AnnotationEvent.objects.get(annotation_id=suggestion.pk, action=Action.CREATED)
    assert created.state["parts"] == [FIRST, SECOND]
    again = suggest_articles(articles=[article], suggesters=[QuoteSuggester()])
    assert (again.kept, again.created, again.removed) == (1, 0, 0)
    mine = accept_suggestion(actor=annotator, suggestion=suggestion)
    assert mine.parts == [FIRST, SECOND] and mine.author == annotator


# --- agreement (reports/agreement.py) ---------------------------------------------------------------


def quote_span(pk, author, parts) -> Span:
    parts = tuple(map(tuple, parts))
    return Span(1, pk, author, "quote", parts[0][0], parts[-1][1], "submitted", None, None, parts)


def test_quotes_in_parts_match_exactly_only_with_the_same_parts():
    mine = [quote_span(1, 1, [FIRST, SECOND])]
    assert len(match_spans(mine, [quote_span(2, 2, [FIRST, SECOND])], exact=True)) == 1
    hull = quote_span(3, 2, [[FIRST[0], SECOND[1]]])._replace(parts=None)
    assert match_spans(mine, [hull], exact=True) == []
    assert len(match_spans(mine, [hull], exact=False)) == 1


def test_a_quote_in_parts_overlaps_a_span_that_shares_a_part_not_one_in_the_gap():
    mine = quote_span(1, 1, [FIRST, SECOND])
    gap = quote_span(2, 2, [at(BODY, "she said")])._replace(parts=None)
    assert match_spans([mine], [gap], exact=False) == []
    second_only = quote_span(3, 2, [SECOND])._replace(parts=None)
    assert match_spans([mine], [second_only], exact=False) == [(mine, second_only)]


def test_the_larger_shared_part_wins_the_overlap_match():
    mine = quote_span(1, 1, [FIRST, SECOND])
    first_only = quote_span(2, 2, [FIRST])._replace(parts=None)
    second_only = quote_span(3, 2, [SECOND])._replace(parts=None)
    assert match_spans([mine], [second_only, first_only], exact=False) == [(mine, first_only)]


def test_agreement_counts_two_annotators_quotes_in_parts_as_matching(project, article, annotator, other_annotator):
    quote_in_parts(annotator, article)
    quote_in_parts(other_annotator, article, [FIRST, at(BODY, "and")])
    for person in (annotator, other_annotator):
        submit_article(actor=person, article=article)
    quotes = next(k for k in compute_agreement(project).kinds if k.kind == "quote")
    [pair] = quotes.pairs
    assert (pair.matches_exact, pair.matches_overlap) == (0, 1)


# --- the pages -----------------------------------------------------------------------------------------


def test_the_history_page_shows_the_parts_as_their_texts(article, annotator):
    quote = quote_in_parts(annotator, article)
    update_annotation(actor=annotator, annotation=quote, parts=None)
    page = events_of(secure_client(annotator).get(reverse("annotation_history", args=[quote.pk])).content.decode())
    joined = "We will act, … and soon."
    assert f"parts {joined} [{FIRST[0]}, {FIRST[1]}) [{SECOND[0]}, {SECOND[1]})" in page[0][1]
    assert f"parts {joined}" in page[1][1] and "→ none: one stretch of text" in page[1][1]


def test_the_workspace_marks_the_parts_lists_the_quote_once_and_its_form_lists_the_parts(
    article, annotator, django_assert_max_num_queries
):
    quote = quote_in_parts(annotator, article)
    client = secure_client(annotator)
    page = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    assert page.count(f'data-ann="{quote.pk}"') == 3  # a mark per part, and the list's item
    assert "We will act, … and soon." in page
    form = client.get(reverse("annotation_edit", args=[quote.pk]), headers={"HX-Request": "true"}).content.decode()
    assert form.count("data-part-remove") == 2 and 'aria-keyshortcuts="+"' in form
    with django_assert_max_num_queries(25):
        client.get(reverse("article_detail", args=[article.pk]))


def test_the_review_page_shows_a_quote_in_parts_with_its_parts(article, annotator, reviewer):
    quote_in_parts(annotator, article)
    submit_article(actor=annotator, article=article)
    page = secure_client(reviewer).get(reverse("article_review", args=[article.pk])).content.decode()
    assert "We will act, … and soon." in page


def test_the_workspace_form_saves_parts_and_moves_the_outer_part_with_the_span_end(article, annotator):
    quote = quote_in_parts(annotator, article)
    data = {"kind": "quote", "start": FIRST[0], "end": SECOND[1] + 1, "version": quote.version, "speaker": "She"}
    data |= {"quote_type": "direct", "parts": json.dumps([FIRST, SECOND])}
    response = secure_client(annotator).post(reverse("annotation_update", args=[quote.pk]), data)
    assert response.status_code in (200, 302)
    quote.refresh_from_db()
    assert quote.parts == [FIRST, [SECOND[0], SECOND[1] + 1]]
