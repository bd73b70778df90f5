"""The review day's rules in the domain: which annotations are rivals (the side-by-side units), adjudication
rejecting only rivals after a preview, bulk actions undone exactly, and a person's tagging resolving the
suggestion it covers; the services, the pages and the API together."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from annotator.annotations.bulk_decisions import adjudicate, approve_remaining
from annotator.annotations.clusters import adjudication_plan, are_rivals, clusters
from annotator.annotations.models import Annotation, AnnotationEvent, BulkAction, Review, Status
from annotator.annotations.services import (
    Conflict,
    create_annotation,
    delete_annotation,
    review_annotation,
    submit_article,
    update_annotation,
)
from annotator.annotations.undo import undo_bulk_action
from annotator.suggestions.figures import suggestion_figures
from annotator.suggestions.models import Outcome, SuggestionOutcome
from annotator.suggestions.services import accept_all, suggest_articles
from tests.conftest import secure_client
from tests.factories import ArticleFactory, MembershipFactory
from tests.suggesters import FIXED
from tests.test_api import Api

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}

BODY = (
    "The minister said: “We will cut taxes, and as my father said “never waste a crisis”, we will not wait.” "
    "Critics said the plan was late."
)
OUTER = "“We will cut taxes, and as my father said “never waste a crisis”, we will not wait.”"
INNER = "never waste a crisis"


def statuses() -> dict[int, str]:
    return dict(Annotation.objects.values_list("pk", "status"))


def span(text: str) -> tuple[int, int]:
    start = BODY.index(text)
    return start, start + len(text)


def quote(author, article, text: str, speaker: str = "The minister", *, submit: bool = False) -> Annotation:
    start, end = span(text)
    annotation = create_annotation(
        actor=author,
        article=article,
        kind="quote",
        start=start,
        end=end,
        attributes={"speaker": speaker, "quote_type": "direct"},
    )
    if submit:
        submit_article(actor=author, article=article)
        annotation.refresh_from_db()
    return annotation


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, body=BODY)


@pytest.fixture
def third_annotator(project):
    from annotator.accounts.models import Role

    return MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="tess_annotator").user


@pytest.fixture
def two_versions(article, annotator, other_annotator):
    """Both annotators drew the same outer quote and the same nested quote inside it (bug 3's article)."""
    mine = [quote(annotator, article, OUTER), quote(annotator, article, INNER, "His father")]
    theirs = [quote(other_annotator, article, OUTER), quote(other_annotator, article, INNER, "His father")]
    submit_article(actor=annotator, article=article)
    submit_article(actor=other_annotator, article=article)
    return [Annotation.objects.get(pk=a.pk) for a in mine + theirs]


@pytest.fixture
def three_versions(article, annotator, other_annotator, third_annotator):
    """Two identical outer quotes, a rival of theirs (another speaker), and a quote nested in them; submitted."""
    chosen = quote(annotator, article, OUTER)
    same = quote(other_annotator, article, OUTER)
    rival = quote(third_annotator, article, OUTER, speaker="His father")
    nested = quote(third_annotator, article, INNER, speaker="His father")
    for user in (annotator, other_annotator, third_annotator):
        submit_article(actor=user, article=article)
    return [Annotation.objects.get(pk=a.pk) for a in (chosen, same, rival, nested)]


# --- the units: rivals, versions, nesting ----------------------------------------------------------------------


def test_identical_quotes_are_one_version_and_a_nested_quote_is_a_unit_of_its_own(two_versions):
    outer_mine, inner_mine, outer_theirs, inner_theirs = two_versions
    rows = clusters(two_versions)
    assert len(rows) == 2
    assert [sorted(a.pk for a in row.annotations) for row in rows] == [
        sorted([outer_mine.pk, outer_theirs.pk]),
        sorted([inner_mine.pk, inner_theirs.pk]),
    ]
    assert [len(row.versions) for row in rows] == [1, 1]
    assert [row.agreement for row in rows] == ["exact", "exact"]
    assert not are_rivals(outer_mine, inner_theirs)


def test_rivals_are_the_same_span_with_other_attributes_or_crossing_spans(article, annotator, other_annotator):
    a = quote(annotator, article, OUTER)
    b = quote(other_annotator, article, OUTER, speaker="Someone else")
    crossing_start = span(OUTER)[0] + 3
    c = create_annotation(
        actor=other_annotator, article=article, kind="quote", start=crossing_start, end=span("Critics")[1]
    )
    claim = create_annotation(actor=other_annotator, article=article, kind="claim", start=a.start, end=a.end)
    assert are_rivals(a, b) and are_rivals(a, c)
    assert not are_rivals(a, claim)  # another kind is another unit
    rows = clusters([a, b, c, claim])
    quote_rows = [r for r in rows if r.kind == "quote"]
    assert len(quote_rows) == 1 and len(quote_rows[0].versions) == 3
    assert quote_rows[0].agreement == "overlap"


# --- adjudication: a preview, then only rivals ------------------------------------------------------------------


def test_adjudicating_a_nested_quote_does_not_touch_the_outer_quote(two_versions, reviewer, article):
    outer_mine, inner_mine, outer_theirs, inner_theirs = two_versions
    review_annotation(actor=reviewer, annotation=outer_mine, decision="approve")
    plan = adjudication_plan(inner_mine, Annotation.objects.exclude(pk=inner_mine.pk), reviewer.pk)
    assert plan.rivals == [] and plan.copies == [inner_theirs]
    with pytest.raises(ValidationError, match="no rival version"):
        adjudicate(actor=reviewer, article=article, chosen=inner_mine.pk, rivals=[outer_theirs.pk])
    assert Annotation.objects.get(pk=outer_theirs.pk).status == Status.SUBMITTED
    adjudicate(actor=reviewer, article=article, chosen=inner_mine.pk, rivals=[], copies=[inner_theirs.pk])
    assert statuses() == {
        outer_mine.pk: Status.APPROVED,
        inner_mine.pk: Status.APPROVED,
        outer_theirs.pk: Status.SUBMITTED,
        inner_theirs.pk: Status.APPROVED,
    }


def test_adjudication_rejects_the_rival_versions_and_approves_the_identical_one(
    article, annotator, other_annotator, third_annotator, reviewer
):
    chosen = quote(annotator, article, OUTER)
    same = quote(other_annotator, article, OUTER)
    rival = quote(third_annotator, article, OUTER, speaker="His father")
    for user in (annotator, other_annotator, third_annotator):
        submit_article(actor=user, article=article)
    for a in (chosen, same, rival):
        a.refresh_from_db()
    plan = adjudication_plan(chosen, [same, rival], reviewer.pk)
    assert (plan.copies, plan.rivals) == ([same], [rival])
    adjudicate(actor=reviewer, article=article, chosen=chosen.pk, rivals=[rival.pk], copies=[same.pk])
    assert statuses() == {chosen.pk: Status.APPROVED, same.pk: Status.APPROVED, rival.pk: Status.REJECTED}
    with pytest.raises(ValidationError, match="no rival version"):
        adjudicate(actor=reviewer, article=article, chosen=chosen.pk, rivals=[], copies=[rival.pk])


def test_the_side_by_side_table_shows_one_row_per_unit_and_no_adjudication_without_rivals(
    client, two_versions, reviewer, article, django_assert_max_num_queries
):
    client.force_login(reviewer)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("article_review", args=[article.pk])).content.decode()
    table = page[page.index('id="comparison"') :]
    assert table.count('<tr class="agreement-exact">') == 2
    assert "agreement-overlap" not in table
    assert "reject 1 rival" not in table and 'class="adjudicate"' not in table
    assert 'href="#comparison"' in page[: page.index('id="article-body"')]  # reachable from the top


def test_the_adjudication_preview_lists_what_will_be_rejected_and_confirming_does_exactly_that(
    client, article, three_versions, reviewer, django_assert_max_num_queries
):
    chosen, same, rival, nested = three_versions
    client.force_login(reviewer)
    url = reverse("adjudication_preview", args=[article.pk]) + f"?chosen={chosen.pk}"
    with django_assert_max_num_queries(8):
        preview = client.get(url, headers=HX)
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Rejects 1 rival version" in html and "tess_annotator" in html
    assert f'name="rivals" value="{rival.pk}"' in html and f'name="copies" value="{same.pk}"' in html
    assert f'value="{nested.pk}"' not in html
    assert not Review.objects.exists()  # a preview decides nothing
    assert client.get(url).status_code == 200  # without htmx: a page of its own
    with django_assert_max_num_queries(30):
        response = client.post(
            reverse("article_review_bulk", args=[article.pk]),
            {"action": "adjudicate", "chosen": chosen.pk, "copies": [same.pk], "rivals": [rival.pk]},
            headers=HX,
        )
    assert response.status_code == 200
    assert "Approved 2 annotations of one version and rejected 1." in response.content.decode()
    assert reverse("bulk_undo", args=[BulkAction.objects.get().pk]) in response.content.decode()
    assert Annotation.objects.get(pk=nested.pk).status == Status.SUBMITTED


def test_annotators_may_not_see_an_adjudication_preview(client, two_versions, article, annotator):
    client.force_login(annotator)
    url = reverse("adjudication_preview", args=[article.pk]) + f"?chosen={two_versions[0].pk}"
    assert client.get(url, headers=HX).status_code == 403


def test_the_api_previews_an_adjudication_and_takes_the_explicit_list(article, three_versions, annotator, reviewer):
    chosen, same, rival, nested = three_versions
    api = Api(reviewer)
    url = f"/articles/{article.pk}/adjudication/"
    plan = api.get(f"{url}?chosen={chosen.pk}").json()
    assert plan == {"chosen": chosen.pk, "copies": [same.pk], "rivals": [rival.pk], "untouched": []}
    refused = api.post(url, {"chosen": chosen.pk, "rivals": [rival.pk, nested.pk]})
    assert refused.status_code == 400 and "no rival version" in refused.content.decode()
    assert statuses()[rival.pk] == Status.SUBMITTED
    decided = api.post(url, {"chosen": chosen.pk, "copies": plan["copies"], "rivals": plan["rivals"]})
    assert decided.status_code == 200
    assert sorted((r["annotation"], r["decision"]) for r in decided.json()) == sorted(
        [(chosen.pk, "approve"), (same.pk, "approve"), (rival.pk, "reject")]
    )
    assert Api(annotator).get(f"{url}?chosen={chosen.pk}").status_code == 403
    # The reviewer's recent bulk actions, and the undo of this one.
    recent = api.get("/bulk-actions/").json()
    assert [(a["kind"], sorted(a["annotations"])) for a in recent] == [
        ("adjudicate", sorted([chosen.pk, same.pk, rival.pk]))
    ]
    assert Api(annotator).post(f"/bulk-actions/{recent[0]['id']}/undo/").status_code == 404
    undone = api.post(f"/bulk-actions/{recent[0]['id']}/undo/")
    assert undone.status_code == 200 and undone.json()["undone_at"]
    assert set(statuses().values()) == {Status.SUBMITTED}
    assert api.post(f"/bulk-actions/{recent[0]['id']}/undo/").status_code == 400


# --- undo -------------------------------------------------------------------------------------------------------


def test_undoing_an_adjudication_restores_statuses_and_removes_its_decisions(
    article, annotator, other_annotator, reviewer
):
    chosen = quote(annotator, article, OUTER)
    rival = quote(other_annotator, article, OUTER, speaker="His father")
    submit_article(actor=annotator, article=article)
    submit_article(actor=other_annotator, article=article)
    before = {a.pk: (a.status, a.version) for a in Annotation.objects.all()}
    adjudicate(actor=reviewer, article=article, chosen=chosen.pk, rivals=[rival.pk])
    action = BulkAction.objects.get()
    undo_bulk_action(actor=reviewer, action=action)
    after = {a.pk: a for a in Annotation.objects.all()}
    assert {pk: a.status for pk, a in after.items()} == {pk: status for pk, (status, _) in before.items()}
    assert all(after[pk].version > version for pk, (_, version) in before.items())  # versions only go forward
    assert not Review.objects.exists()
    assert list(AnnotationEvent.objects.filter(annotation_id=rival.pk).values_list("action", flat=True))[-2:] == [
        "rejected",
        "undone",
    ]
    with pytest.raises(ValidationError, match="undone already"):
        undo_bulk_action(actor=reviewer, action=action)
    # Decided again, as if the first decision never happened.
    review_annotation(actor=reviewer, annotation=rival, decision="approve")


def test_an_undo_is_refused_when_something_changed_since(article, annotator, reviewer, admin):
    first = quote(annotator, article, OUTER)
    second = quote(annotator, article, INNER, "His father")
    submit_article(actor=annotator, article=article)
    approve_remaining(actor=reviewer, article=article, author=annotator.pk)
    update_annotation(actor=admin, annotation=second, attributes={"speaker": "Father", "quote_type": "direct"})
    with pytest.raises(Conflict, match=r"Nothing was undone: annotation .* changed since"):
        undo_bulk_action(actor=reviewer, action=BulkAction.objects.get())
    assert Annotation.objects.get(pk=first.pk).status == Status.APPROVED
    assert Review.objects.count() == 2


def test_only_the_actor_undoes_and_only_for_a_while(article, annotator, reviewer, admin):
    quote(annotator, article, OUTER, submit=True)
    approve_remaining(actor=reviewer, article=article, author=annotator.pk)
    action = BulkAction.objects.get()
    with pytest.raises(PermissionDenied):
        undo_bulk_action(actor=admin, action=action)
    BulkAction.objects.filter(pk=action.pk).update(at=timezone.now() - timezone.timedelta(minutes=6))
    with pytest.raises(ValidationError, match="too old"):
        undo_bulk_action(actor=reviewer, action=action)


def test_approve_all_asks_first_and_its_undo_is_offered_and_works_on_the_page(
    client, article, annotator, reviewer, django_assert_max_num_queries
):
    first = quote(annotator, article, OUTER)
    quote(annotator, article, INNER, "His father", submit=True)
    client.force_login(reviewer)
    url = reverse("approve_remaining_preview", args=[article.pk]) + f"?author={annotator.pk}"
    with django_assert_max_num_queries(6):
        preview = client.get(url, headers=HX).content.decode()
    assert "Approve all 2 of ann_annotator?" in preview and f'name="ids" value="{first.pk}"' in preview
    response = client.post(
        reverse("article_review_bulk", args=[article.pk]),
        {"action": "approve_remaining", "author": annotator.pk, "ids": [first.pk]},
        headers=HX,
    )
    assert "Approved 1 annotation of ann_annotator." in response.content.decode()
    action = BulkAction.objects.get()
    with django_assert_max_num_queries(20):
        undone = client.post(reverse("bulk_undo", args=[action.pk]), headers=HX)
    assert undone.status_code == 200 and "1 annotation waits for review again" in undone.content.decode()
    assert set(Annotation.objects.values_list("status", flat=True)) == {Status.SUBMITTED}
    again = client.post(reverse("bulk_undo", args=[action.pk]), headers=HX)
    assert again.status_code == 422 and "undone already" in again.content.decode()
    assert secure_client(annotator).post(reverse("bulk_undo", args=[action.pk]), headers=HX).status_code == 404


@pytest.mark.parametrize("claims", [1, 8])
def test_undo_queries_do_not_grow_with_the_annotations_it_restores(
    client, article, annotator, reviewer, claims, django_assert_max_num_queries
):
    for i in range(claims):
        create_annotation(actor=annotator, article=article, kind="claim", start=i, end=i + 5)
    submit_article(actor=annotator, article=article)
    approve_remaining(actor=reviewer, article=article, author=annotator.pk)
    client.force_login(reviewer)
    with django_assert_max_num_queries(17):
        response = client.post(reverse("bulk_undo", args=[BulkAction.objects.get().pk]), headers=HX)
    assert response.status_code == 200
    assert set(Annotation.objects.values_list("status", flat=True)) == {Status.SUBMITTED}


@pytest.fixture
def suggested_article(project, settings):
    settings.SUGGESTERS = [FIXED]
    from tests.factories import NEWS_BODY

    article = ArticleFactory(project=project, body=NEWS_BODY)
    suggest_articles(articles=[article])
    return article


def pending_quotes(article):
    return list(Annotation.objects.pending_suggestions().filter(article=article, kind="quote").order_by("start"))


def test_accept_all_asks_first_and_its_undo_leaves_the_suggestions_pending_again(
    client, suggested_article, annotator, django_assert_max_num_queries
):
    article = suggested_article
    client.force_login(annotator)
    with django_assert_max_num_queries(8):
        preview = client.get(
            reverse("suggestions_accept_all_preview", args=[article.pk]) + "?kind=quote", headers=HX
        ).content.decode()
    assert "Accept 2 suggested quotes?" in preview
    assert not Annotation.objects.filter(author=annotator).exists()
    ids = [s.pk for s in pending_quotes(article)]
    with django_assert_max_num_queries(20):
        response = client.post(
            reverse("suggestions_accept_all", args=[article.pk]), {"kind": "quote", "ids": ids}, headers=HX
        )
    assert "Accepted 2 quotes" in response.content.decode() and 'id="undo"' in response.content.decode()
    assert SuggestionOutcome.objects.filter(user=annotator).count() == 2
    action = BulkAction.objects.get()
    with django_assert_max_num_queries(25):
        undone = client.post(reverse("bulk_undo", args=[action.pk]), headers=HX)
    assert undone.status_code == 200 and "2 suggestions are pending again" in undone.content.decode()
    assert not Annotation.objects.filter(author=annotator).exists()
    assert not SuggestionOutcome.objects.exists()
    assert AnnotationEvent.objects.filter(action="deleted", actor=annotator).count() == 2


def test_an_accept_all_undo_is_refused_once_a_copy_was_changed(suggested_article, annotator):
    accepted = accept_all(actor=annotator, article=suggested_article, kind="quote")
    copies = accepted.copies
    delete_annotation(actor=annotator, annotation=copies[0])
    with pytest.raises(Conflict, match="Nothing was undone"):
        undo_bulk_action(actor=annotator, action=accepted.action)
    assert Annotation.objects.filter(pk=copies[1].pk).exists()


# --- tagging resolves the suggestion it covers ------------------------------------------------------------------


def test_tagging_the_span_of_a_suggestion_resolves_it_as_accepted(suggested_article, annotator, other_annotator):
    article = suggested_article
    first, _second = pending_quotes(article)
    mine = create_annotation(
        actor=annotator, article=article, kind="quote", start=first.start, end=first.end, attributes=first.attributes
    )
    outcome = SuggestionOutcome.objects.get(suggestion=first, user=annotator)
    assert (outcome.outcome, outcome.annotation_id) == (Outcome.ACCEPTED, mine.pk)
    assert first not in Annotation.objects.visible_to(annotator)  # gone from the list
    assert first in Annotation.objects.visible_to(other_annotator)  # still pending for the others
    assert "resolves suggestion" in AnnotationEvent.objects.get(annotation_id=mine.pk).comment
    figures = suggestion_figures(article.project)[0]
    assert (figures.accepted_unchanged, figures.accepted_edited, figures.dismissed) == (1, 0, 0)


def test_a_span_within_the_suggestion_but_for_its_quotation_marks_resolves_it_as_edited(suggested_article, annotator):
    article = suggested_article
    _first, second = pending_quotes(article)
    assert second.text == "We have turned the corner,"
    create_annotation(actor=annotator, article=article, kind="quote", start=second.start, end=second.end - 1)
    assert SuggestionOutcome.objects.get(suggestion=second).outcome == Outcome.ACCEPTED
    figures = suggestion_figures(article.project)[0]
    assert (figures.accepted_unchanged, figures.accepted_edited) == (0, 1)


def test_a_nested_span_another_kind_or_a_partial_overlap_resolves_nothing(suggested_article, annotator):
    article = suggested_article
    first, second = pending_quotes(article)
    create_annotation(actor=annotator, article=article, kind="quote", start=first.start + 1, end=first.start + 10)
    create_annotation(actor=annotator, article=article, kind="claim", start=second.start, end=second.end)
    create_annotation(actor=annotator, article=article, kind="quote", start=first.start - 5, end=first.start + 5)
    assert not SuggestionOutcome.objects.exists()


def test_tagging_through_the_api_resolves_the_suggestion_too(suggested_article, annotator):
    article = suggested_article
    first, second = pending_quotes(article)
    api = Api(annotator)
    one = api.post(f"/articles/{article.pk}/annotations/", {"kind": "quote", "start": first.start, "end": first.end})
    assert one.status_code == 201
    many = api.post(
        f"/articles/{article.pk}/annotations/",
        [{"kind": "quote", "start": second.start - 1, "end": second.end + 1}],
    )
    assert many.status_code == 201
    outcomes = dict(SuggestionOutcome.objects.filter(user=annotator).values_list("suggestion_id", "annotation_id"))
    assert outcomes == {first.pk: one.json()["id"], second.pk: many.json()[0]["id"]}


def test_tagging_on_the_page_takes_the_resolved_suggestion_out_of_the_list(
    client, suggested_article, annotator, django_assert_max_num_queries
):
    article = suggested_article
    first, _second = pending_quotes(article)
    client.force_login(annotator)
    with django_assert_max_num_queries(40):
        response = client.post(
            reverse("annotation_create", args=[article.pk]),
            {"kind": "quote", "start": first.start, "end": first.end, "text": first.text, "quote_type": "direct"},
            headers=HX,
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="item-{first.pk}"' not in html or f'<li id="item-{first.pk}" hx-swap-oob="delete">' in html
