"""Suggestions: made on import from every entry point and on demand, checked like anyone's annotations,
accepted or dismissed by each annotator for themselves, counted per suggester; the service, the pages and
the API together."""

from __future__ import annotations

import io
import json
import re
import threading
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotator.accounts.models import Role
from annotator.annotations.models import Annotation, AnnotationEvent, Status
from annotator.annotations.services import (
    Conflict,
    delete_annotation,
    review_annotation,
    submit_article,
    update_annotation,
)
from annotator.articles.ingestion import read_paths
from annotator.articles.models import Article
from annotator.articles.services import import_articles
from annotator.suggestions.figures import suggestion_figures
from annotator.suggestions.models import Outcome, SuggestionOutcome
from annotator.suggestions.registry import load
from annotator.suggestions.services import accept_all, accept_suggestion, dismiss_suggestion, suggest_articles
from tests.conftest import SecureClient, secure_client
from tests.factories import NEWS_BODY, ArticleFactory, MembershipFactory, ProjectFactory
from tests.jobs import job_result, page_after_job, run_queued_jobs
from tests.suggesters import FIXED, FixedSuggester, InvalidSuggester

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
QUOTES = ["inflation will fall below 3% by June,", "We have turned the corner,"]


@pytest.fixture(autouse=True)
def fixed_suggester(settings):
    settings.SUGGESTERS = [FIXED]
    settings.SUGGEST_ON_IMPORT = True


def pending(article) -> list[Annotation]:
    return list(Annotation.objects.pending_suggestions().filter(article=article).order_by("start", "kind"))


def suggested(project) -> list[Annotation]:
    return list(Annotation.objects.pending_suggestions().filter(article__project=project).order_by("pk"))


def record(body: str = NEWS_BODY) -> str:
    return json.dumps({"title": "Budget", "body": body}) + "\n"


@pytest.fixture
def article(project):
    article = ArticleFactory(project=project)
    suggest_articles(articles=[article])
    return article


def quote_of(article, text: str = QUOTES[1]) -> Annotation:
    return next(s for s in pending(article) if s.kind == "quote" and s.text == text)


# --- made on import, from every entry point ----------------------------------------------------------------


def test_an_import_suggests_quotes_with_speaker_and_cue_and_claims(project, tmp_path):
    (tmp_path / "a.jsonl").write_text(record(), encoding="utf-8")
    summary = import_articles(project=project, actor=None, items=read_paths([tmp_path / "a.jsonl"]))
    assert summary.added == 1 and summary.suggestions.created == 3
    article = Article.objects.get(project=project)
    quotes = [s for s in pending(article) if s.kind == "quote"]
    assert [q.text for q in quotes] == QUOTES
    body = article.body
    assert all(q.text == body[q.start : q.end] for q in quotes)
    assert quotes[0].attributes == {
        "speaker": "Ana Kovač",
        "speaker_span": None,
        "cue_span": [body.index("said"), body.index("said") + 4],
        "quote_type": "direct",
    }
    assert {(q.status, q.origin, q.author_id, q.suggester, q.confidence) for q in quotes} == {
        ("draft", "suggested", None, "test.fixed", 0.9)
    }
    claim = next(s for s in pending(article) if s.kind == "claim")
    assert claim.text == "inflation will fall below 3% by June,"
    assert claim.attributes["category"] == "statistic"
    # Each suggestion has its history from the start, made by no one.
    events = AnnotationEvent.objects.filter(annotation_id=claim.pk)
    assert [(e.action, e.actor_id, e.comment) for e in events] == [("created", None, "suggested by test.fixed")]
    assert events[0].state == claim.snapshot()


def test_load_articles_suggests_for_the_articles_it_adds_and_says_so(project, tmp_path):
    (tmp_path / "a.jsonl").write_text(record() + record(NEWS_BODY + " Again."), encoding="utf-8")
    err = StringIO()
    call_command("load_articles", str(tmp_path / "a.jsonl"), "--project", project.slug, stdout=StringIO(), stderr=err)
    assert "suggested 6 annotations on 2 articles" in err.getvalue()
    assert len(suggested(project)) == 6
    call_command("load_articles", str(tmp_path / "a.jsonl"), "--project", project.slug, stdout=StringIO(), stderr=err)
    assert len(suggested(project)) == 6  # duplicates are not added, nor suggested again


def test_the_api_create_and_upload_answer_first_and_their_suggestions_follow_as_jobs(project, admin):
    api = SecureClient()
    api.force_login(admin)
    created = api.post(
        f"/api/v1/projects/{project.slug}/articles/",
        data=json.dumps([{"body": NEWS_BODY}, {"body": "No quotes here."}]),
        content_type="application/json",
    )
    assert created.status_code == 201
    assert (created.json()["suggested"], created.json()["suggestion_jobs"]) == (0, 1)
    first = Article.objects.get(pk=created.json()["ids"][0])
    assert pending(first) == []  # the answer did not wait for the suggesters
    run_queued_jobs()
    assert len(pending(first)) == 3
    upload = io.BytesIO(record(NEWS_BODY + " Uploaded.").encode())
    upload.name = "more.jsonl"
    uploaded = api.post(f"/api/v1/projects/{project.slug}/articles/import/", {"file": upload})
    assert job_result(uploaded)["suggestion_jobs"] == 1
    assert len(suggested(project)) == 6


def test_the_upload_page_suggests_once_its_jobs_ran(project, admin):
    upload = io.BytesIO(record().encode())
    upload.name = "news.jsonl"
    client = secure_client(admin)
    response = client.post(reverse("article_import", args=[project.slug]), {"file": upload})
    assert suggested(project) == []
    assert page_after_job(client, response).status_code == 200
    assert len(suggested(project)) == 3


def test_an_article_added_in_the_admin_gets_suggestions(project, admin_client):
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        {"project": project.pk, "title": "Budget", "body": NEWS_BODY, "metadata": "{}"},
    )
    assert response.status_code == 302, response.content[:500]
    assert len(suggested(project)) == 3


def test_an_article_that_brings_its_annotations_gets_no_suggestions(project, admin, tmp_path):
    annotated = {"body": NEWS_BODY, "annotations": [{"kind": "claim", "start": 0, "end": 5, "text": NEWS_BODY[:5]}]}
    (tmp_path / "a.jsonl").write_text(json.dumps(annotated) + "\n" + record(NEWS_BODY + " Plain."), encoding="utf-8")
    summary = import_articles(project=project, actor=admin, items=read_paths([tmp_path / "a.jsonl"]))
    assert summary.added == 2 and summary.suggestions.articles == 1
    with_annotations, plain = summary.ids
    assert pending(Article.objects.get(pk=with_annotations)) == []
    assert len(pending(Article.objects.get(pk=plain))) == 3


def test_suggest_on_import_can_be_switched_off(project, settings, tmp_path):
    settings.SUGGEST_ON_IMPORT = False
    (tmp_path / "a.jsonl").write_text(record(), encoding="utf-8")
    assert import_articles(project=project, actor=None, items=read_paths([tmp_path / "a.jsonl"])).added == 1
    assert suggested(project) == []
    settings.SUGGEST_ON_IMPORT = True
    settings.SUGGESTERS = []  # no suggesters: nothing suggested either
    (tmp_path / "b.jsonl").write_text(record(NEWS_BODY + " B."), encoding="utf-8")
    assert import_articles(project=project, actor=None, items=read_paths([tmp_path / "b.jsonl"])).added == 1
    assert suggested(project) == []


def test_the_demo_article_comes_with_its_suggestions_and_a_second_set_up_adds_none(db):
    call_command("setup_demo", stdout=StringIO())
    article = Article.objects.get(project__slug="demo")
    first = {(s.pk, s.kind, s.text) for s in pending(article)}
    assert {kind for _, kind, _ in first} == {"quote", "claim"}
    assert ("quote", "has not improved") in {(kind, text) for _, kind, text in first}
    out = StringIO()
    call_command("setup_demo", stdout=out)
    assert {(s.pk, s.kind, s.text) for s in pending(article)} == first
    assert "suggested 0 annotations on 1 articles" in out.getvalue()


# --- checked like anyone's annotation; runs again without duplicates --------------------------------------


def test_an_invalid_candidate_is_dropped_and_a_failing_suggester_does_not_stop_the_import(project, settings, tmp_path):
    settings.SUGGESTERS = ["tests.suggesters.BrokenSuggester", "tests.suggesters.InvalidSuggester", FIXED]
    (tmp_path / "a.jsonl").write_text(record(), encoding="utf-8")
    summary = import_articles(project=project, actor=None, items=read_paths([tmp_path / "a.jsonl"]))
    assert summary.added == 1
    run = summary.suggestions
    assert (run.created, run.dropped, run.failed) == (5, 8, 1)
    assert "test.broken on article" in run.failures[0] and "the model is not loaded" in run.failures[0]
    assert {s.suggester for s in suggested(project)} == {"test.invalid", "test.fixed"}
    stance = Annotation.objects.get(kind="stance")
    assert (stance.start, stance.end, stance.text, stance.attributes["target"]) == (None, None, None, "inflation")


def test_running_again_keeps_what_is_proposed_again_and_adds_no_duplicate(project, article):
    before = {s.pk for s in pending(article)}
    run = suggest_articles(articles=[article])
    assert (run.created, run.kept, run.removed) == (0, 3, 0)
    assert {s.pk for s in pending(article)} == before


def test_running_again_withdraws_what_nobody_decided_on_and_keeps_decided_ones(project, article, annotator):
    dismissed = quote_of(article, QUOTES[0])
    dismiss_suggestion(actor=annotator, suggestion=dismissed)
    run = suggest_articles(articles=[article], suggesters=[InvalidSuggester()])
    assert run.created == 2
    # test.fixed was not asked: its suggestions stay.
    assert len([s for s in pending(article) if s.suggester == "test.fixed"]) == 3

    class Fewer(FixedSuggester):
        def suggest(self, body, title=""):
            return [c for c in super().suggest(body, title) if c.kind == "claim"]

    run = suggest_articles(articles=[article], suggesters=[Fewer()])
    assert (run.created, run.kept, run.removed) == (0, 1, 1)  # the undecided quote is withdrawn
    left = {(s.kind, s.text) for s in pending(article) if s.suggester == "test.fixed"}
    assert left == {("claim", QUOTES[0]), ("quote", QUOTES[0])}  # the dismissed quote stays: someone decided
    withdrawn = AnnotationEvent.objects.filter(action="deleted", actor=None).get()
    assert withdrawn.comment == "withdrawn: test.fixed no longer suggests it"


def test_a_bad_suggester_setting_names_the_path():
    with pytest.raises(ImproperlyConfigured, match=re.escape("tests.suggesters.Nowhere")):
        load(("tests.suggesters.Nowhere",))
    with pytest.raises(ImproperlyConfigured, match=re.escape("'tests.suggesters.Nameless' is not a suggester")):
        load(("tests.suggesters.Nameless",))
    with pytest.raises(ImproperlyConfigured, match=re.escape("named 'test.fixed' like another")):
        load((FIXED, FIXED))
    assert [s.name for s in load((FIXED, "tests.suggesters.SecondSuggester"))] == ["test.fixed", "test.second"]


def test_the_system_check_reports_a_bad_suggester(settings):
    from annotator.suggestions.checks import suggesters_load

    assert suggesters_load() == []
    settings.SUGGESTERS = ["tests.suggesters.Nowhere"]
    errors = suggesters_load()
    assert [e.id for e in errors] == ["suggestions.E001"] and "tests.suggesters.Nowhere" in errors[0].msg


# --- accepting and dismissing ------------------------------------------------------------------------------


def test_accepting_makes_my_draft_with_its_attributes_and_keeps_the_origin(article, annotator, other_annotator):
    suggestion = quote_of(article)
    mine = accept_suggestion(actor=annotator, suggestion=suggestion)
    assert (mine.author, mine.status, mine.origin, mine.suggester) == (annotator, "draft", "suggested", "test.fixed")
    assert (mine.kind, mine.start, mine.end, mine.text) == ("quote", suggestion.start, suggestion.end, suggestion.text)
    assert mine.attributes == suggestion.attributes and mine.attributes["speaker"] == "Ana Kovač"
    event = AnnotationEvent.objects.get(annotation_id=mine.pk)
    assert (event.action, event.actor, event.comment) == (
        "created",
        annotator,
        f"accepted suggestion {suggestion.pk} of test.fixed",
    )
    # Gone for me; still there for the other annotator, who decides for themselves.
    mine_visible = set(Annotation.objects.visible_to(annotator).filter(article=article).values_list("pk", flat=True))
    assert suggestion.pk not in mine_visible and mine.pk in mine_visible
    assert suggestion.pk in set(Annotation.objects.visible_to(other_annotator).values_list("pk", flat=True))
    theirs = accept_suggestion(actor=other_annotator, suggestion=suggestion)
    assert theirs.author == other_annotator and theirs.pk != mine.pk
    assert Annotation.objects.get(pk=suggestion.pk).author is None  # still a pending suggestion


def test_accepting_with_other_attributes_checks_them(article, annotator):
    suggestion = quote_of(article)
    with pytest.raises(ValidationError):
        accept_suggestion(actor=annotator, suggestion=suggestion, attributes={"quote_type": "sung"})
    mine = accept_suggestion(actor=annotator, suggestion=suggestion, attributes={"speaker": "Jürgen Weiß"})
    assert mine.attributes["speaker"] == "Jürgen Weiß"


def test_a_second_accept_or_an_accept_after_a_dismissal_is_a_conflict(article, annotator):
    accepted, dismissed = quote_of(article, QUOTES[1]), quote_of(article, QUOTES[0])
    accept_suggestion(actor=annotator, suggestion=accepted)
    with pytest.raises(Conflict, match="accepted this suggestion already"):
        accept_suggestion(actor=annotator, suggestion=accepted)
    with pytest.raises(Conflict, match="accepted this suggestion already"):
        dismiss_suggestion(actor=annotator, suggestion=accepted)
    dismiss_suggestion(actor=annotator, suggestion=dismissed)
    with pytest.raises(Conflict, match="You dismissed this suggestion already"):
        accept_suggestion(actor=annotator, suggestion=dismissed)
    assert Annotation.objects.filter(author=annotator).count() == 1


def test_only_pending_suggestions_are_accepted(article, annotator):
    mine = accept_suggestion(actor=annotator, suggestion=quote_of(article))
    with pytest.raises(ValidationError, match="not a pending suggestion"):
        accept_suggestion(actor=annotator, suggestion=mine)


def test_dismissing_hides_it_for_me_only(article, annotator, other_annotator, reviewer):
    suggestion = quote_of(article)
    outcome = dismiss_suggestion(actor=annotator, suggestion=suggestion)
    assert (outcome.outcome, outcome.annotation) == ("dismissed", None)
    assert not Annotation.objects.visible_to(annotator).filter(pk=suggestion.pk).exists()
    assert Annotation.objects.visible_to(other_annotator).filter(pk=suggestion.pk).exists()
    assert Annotation.objects.visible_to(reviewer).filter(pk=suggestion.pk).exists()


def test_outsiders_cannot_decide(article, outsider):
    with pytest.raises(PermissionDenied):
        accept_suggestion(actor=outsider, suggestion=quote_of(article))
    with pytest.raises(PermissionDenied):
        dismiss_suggestion(actor=outsider, suggestion=quote_of(article))


def test_accept_all_takes_every_undecided_suggestion_of_one_kind(article, annotator):
    dismiss_suggestion(actor=annotator, suggestion=quote_of(article, QUOTES[0]))
    accepted = accept_all(actor=annotator, article=article, kind="quote")
    assert [a.text for a in accepted.copies] == [QUOTES[1]]
    assert [entry["annotation"] for entry in accepted.action.entries] == [a.pk for a in accepted.copies]
    again = accept_all(actor=annotator, article=article, kind="quote")
    assert again.copies == [] and again.action is None  # nothing to undo
    assert [a.kind for a in accept_all(actor=annotator, article=article, kind="claim").copies] == ["claim"]
    assert SuggestionOutcome.objects.filter(user=annotator, outcome=Outcome.ACCEPTED).count() == 2
    with pytest.raises(ValidationError):
        accept_all(actor=annotator, article=article, kind="riddle")


def test_pending_suggestions_are_never_submitted_reviewed_or_exported(article, annotator, reviewer):
    accept_suggestion(actor=annotator, suggestion=quote_of(article))
    assert submit_article(actor=annotator, article=article) == 1
    assert Annotation.objects.pending_suggestions().filter(status=Status.DRAFT).count() == 3
    with pytest.raises(Conflict, match="Only submitted annotations are reviewed"):
        review_annotation(actor=reviewer, annotation=quote_of(article, QUOTES[0]), decision="approve")
    client = secure_client(reviewer)
    exported = client.get(f"/api/v1/projects/{article.project.slug}/export/?format=jsonl&status=all")
    lines = [json.loads(line) for line in b"".join(exported.streaming_content).decode().splitlines()]
    ids = [a["id"] for line in lines for a in line["annotations"]]
    assert len(ids) == 1 and all(a["origin"] == "suggested" for line in lines for a in line["annotations"])
    assert not set(ids) & {s.pk for s in pending(article)}


@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_once_make_one_draft(project, annotator):
    article = ArticleFactory(project=project)
    suggest_articles(articles=[article])
    suggestion = quote_of(article)
    barrier = threading.Barrier(2)
    results: list[object] = []

    def accept() -> None:
        try:
            barrier.wait()
            results.append(accept_suggestion(actor=annotator, suggestion=suggestion.pk))
        except Exception as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(type(r).__name__ for r in results) == ["Annotation", "Conflict"]
    assert Annotation.objects.filter(author=annotator).count() == 1
    assert SuggestionOutcome.objects.filter(user=annotator).count() == 1


# --- figures -----------------------------------------------------------------------------------------------


def test_figures_count_unchanged_edited_deleted_and_dismissed_per_suggester(project, annotator, other_annotator):
    article = ArticleFactory(project=project)
    suggest_articles(articles=[article])
    ArticleFactory(project=project)  # an article nobody suggested anything for
    quote_a, quote_b = quote_of(article, QUOTES[0]), quote_of(article, QUOTES[1])
    claim = next(s for s in pending(article) if s.kind == "claim")
    accept_suggestion(actor=annotator, suggestion=quote_a)  # unchanged
    edited = accept_suggestion(actor=annotator, suggestion=quote_b)
    update_annotation(actor=annotator, annotation=edited, attributes={**edited.attributes, "speaker": "Someone"})
    deleted = accept_suggestion(actor=annotator, suggestion=claim)
    delete_annotation(actor=annotator, annotation=deleted)
    dismiss_suggestion(actor=other_annotator, suggestion=quote_a)
    accept_suggestion(actor=other_annotator, suggestion=quote_b, attributes={"speaker": "Another"})  # edited
    [figures] = suggestion_figures(project)
    assert (figures.suggester, figures.suggested, figures.undecided) == ("test.fixed", 3, 0)
    assert (figures.accepted_unchanged, figures.accepted_edited, figures.accepted_deleted, figures.dismissed) == (
        1,
        2,
        1,
        1,
    )
    assert figures.precision == 3 / 5


def test_figures_are_on_the_dashboard_and_in_the_api(project, reviewer, annotator):
    article = ArticleFactory(project=project)
    suggest_articles(articles=[article])
    accept_suggestion(actor=annotator, suggestion=quote_of(article))
    dismiss_suggestion(actor=annotator, suggestion=quote_of(article, QUOTES[0]))
    client = secure_client(reviewer)
    page = client.get(reverse("project_dashboard", args=[project.slug])).content.decode()
    assert 'id="table-suggestions"' in page and "test.fixed" in page and "50%" in page
    figures = client.get(f"/api/v1/projects/{project.slug}/suggestions/").json()
    assert figures == [
        {
            "suggester": "test.fixed",
            "suggested": 3,
            "undecided": 1,
            "accepted_unchanged": 1,
            "accepted_edited": 0,
            "accepted_deleted": 0,
            "dismissed": 1,
            "precision": 0.5,
        }
    ]


def test_dashboard_queries_do_not_grow_with_suggestions(project, reviewer, annotator):
    client = secure_client(reviewer)
    url = reverse("project_dashboard", args=[project.slug])

    def decided_on(articles: int) -> None:
        for _ in range(articles):
            article = ArticleFactory(project=project)
            suggest_articles(articles=[article])
            accept_all(actor=annotator, article=article, kind="quote")
            dismiss_suggestion(actor=annotator, suggestion=pending(article)[0])

    def queries() -> tuple[int, int]:
        from django.core.cache import caches

        caches["figures"].clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        ours = [q for q in captured.captured_queries if "suggestions_suggestionoutcome" in q["sql"]]
        return len(captured), len(ours)

    decided_on(1)
    queries()  # the project's first figures
    decided_on(1)
    small = queries()
    decided_on(6)
    assert queries() == small
    assert small[1] == 1


# --- the workspace ----------------------------------------------------------------------------------------


def test_the_article_page_draws_suggestions_dashed_with_accept_and_dismiss(client, article, annotator):
    client.force_login(annotator)
    page = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    suggestion = quote_of(article)
    assert f'class="ann k-quote st-draft suggested" data-ann="{suggestion.pk}"' in page
    assert f'class="item k-quote st-draft suggestion" data-ann="{suggestion.pk}"' in page
    assert reverse("suggestion_accept", args=[suggestion.pk]) in page
    assert reverse("suggestion_dismiss", args=[suggestion.pk]) in page
    assert "Accept all quotes (2)" in page and "Accept all claims (1)" in page
    assert 'id="suggest"' in page


def test_accepting_on_the_page_swaps_the_suggestion_for_my_draft(client, article, annotator):
    client.force_login(annotator)
    suggestion = quote_of(article)
    response = client.post(reverse("suggestion_accept", args=[suggestion.pk]), headers=HX)
    assert response.status_code == 200
    mine = Annotation.objects.get(author=annotator)
    html = response.content.decode()
    assert f'<li id="item-{suggestion.pk}" hx-swap-oob="delete">' in html
    assert f'id="item-{mine.pk}"' in html and "Accept all quotes (1)" in html
    assert json.loads(response["HX-Trigger-After-Settle"]) == {
        "suggestionDecided": {"suggestion": suggestion.pk, "id": mine.pk}
    }
    again = client.post(reverse("suggestion_accept", args=[suggestion.pk]), headers=HX)
    assert again.status_code == 409 and "accepted this suggestion already" in again.content.decode()
    # Without htmx: the page again.
    other = quote_of(article, QUOTES[0])
    assert client.post(reverse("suggestion_dismiss", args=[other.pk])).status_code == 302


def test_dismissing_and_accepting_all_on_the_page(client, article, annotator):
    client.force_login(annotator)
    suggestion = quote_of(article)
    response = client.post(reverse("suggestion_dismiss", args=[suggestion.pk]), headers=HX)
    assert (
        response.status_code == 200
        and f'<li id="item-{suggestion.pk}" hx-swap-oob="delete">' in response.content.decode()
    )
    response = client.post(reverse("suggestions_accept_all", args=[article.pk]), {"kind": "quote"}, headers=HX)
    assert response.status_code == 200 and "Accepted 1 quote" in response.content.decode()
    assert Annotation.objects.filter(author=annotator, kind="quote").count() == 1


def test_the_suggest_button_runs_the_suggesters_again(client, project, annotator):
    article = ArticleFactory(project=project)
    client.force_login(annotator)
    response = client.post(reverse("article_suggest", args=[article.pk]), headers=HX)
    assert response.status_code == 200 and "3 new suggestions." in response.content.decode()
    response = client.post(reverse("article_suggest", args=[article.pk]), headers=HX)
    assert "0 new suggestions." in response.content.decode()
    assert len(pending(article)) == 3


def test_other_projects_suggestions_are_not_found_on_the_pages(article, outsider):
    client = secure_client(outsider)
    suggestion = quote_of(article)
    assert client.post(reverse("suggestion_accept", args=[suggestion.pk])).status_code == 404
    assert client.post(reverse("suggestion_dismiss", args=[suggestion.pk])).status_code == 404
    assert client.post(reverse("article_suggest", args=[article.pk])).status_code == 404
    assert client.post(reverse("suggestions_accept_all", args=[article.pk]), {"kind": "quote"}).status_code == 404


@pytest.mark.parametrize("suggestions", [1, 12])
def test_article_page_queries_do_not_grow_with_suggestions(
    client, project, annotator, suggestions, django_assert_max_num_queries
):
    article = ArticleFactory(project=project, body="“A”, “B”. " * suggestions)
    suggest_articles(articles=[article])
    assert len(pending(article)) == 2 * suggestions
    accept_suggestion(actor=annotator, suggestion=pending(article)[0])
    client.force_login(annotator)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("article_detail", args=[article.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        client.post(reverse("suggestion_dismiss", args=[pending(article)[-1].pk]), headers=HX)


# --- the API -----------------------------------------------------------------------------------------------


class Api(SecureClient):
    def post(self, path, data=None, **kwargs):
        body = json.dumps(data) if data is not None else ""
        return super().post(path, data=body, content_type="application/json", **kwargs)


def api(user) -> Api:
    client = Api()
    client.force_login(user)
    return client


def test_the_api_accepts_and_dismisses_suggestions(article, annotator):
    suggestion, other = quote_of(article), quote_of(article, QUOTES[0])
    client = api(annotator)
    response = client.post(f"/api/v1/annotations/{suggestion.pk}/accept/")
    assert response.status_code == 201
    body = response.json()
    assert (body["author"], body["origin"], body["status"]) == ("ann_annotator", "suggested", "draft")
    assert body["attributes"]["speaker"] == "Ana Kovač" and response["ETag"] == '"1"'
    again = client.post(f"/api/v1/annotations/{suggestion.pk}/accept/")
    assert again.status_code == 409 and "already" in again.json()["detail"]
    edited = client.post(f"/api/v1/annotations/{other.pk}/accept/", {"attributes": {"speaker": "Jürgen Weiß"}})
    assert edited.status_code == 201 and edited.json()["attributes"]["speaker"] == "Jürgen Weiß"
    claim = next(s for s in pending(article) if s.kind == "claim")
    dismissed = client.post(f"/api/v1/annotations/{claim.pk}/dismiss/")
    assert dismissed.status_code == 200 and dismissed.json() == {"suggestion": claim.pk, "outcome": "dismissed"}
    assert client.post(f"/api/v1/annotations/{body['id']}/accept/").status_code == 400  # not a suggestion
    listed = client.get(f"/api/v1/articles/{article.pk}/annotations/").json()["results"]
    assert {a["origin"] for a in listed} == {"suggested"} and all(a["author"] for a in listed)


def test_the_api_reruns_suggestions(project, annotator):
    article = ArticleFactory(project=project)
    response = api(annotator).post(f"/api/v1/articles/{article.pk}/suggest/")
    assert response.status_code == 200
    assert response.json() == {"created": 3, "kept": 0, "removed": 0, "dropped": 0, "failed": 0, "failures": []}
    assert api(annotator).post(f"/api/v1/articles/{article.pk}/suggest/").json()["kept"] == 3


def test_the_api_hides_other_projects_suggestions(article, outsider):
    suggestion = quote_of(article)
    client = api(outsider)
    assert client.post(f"/api/v1/annotations/{suggestion.pk}/accept/").status_code == 404
    assert client.post(f"/api/v1/annotations/{suggestion.pk}/dismiss/").status_code == 404
    assert client.post(f"/api/v1/articles/{article.pk}/suggest/").status_code == 404


def test_a_member_of_two_projects_gets_404_for_the_other(db):
    mine, theirs = ProjectFactory(), ProjectFactory()
    user = MembershipFactory(project=mine, role=Role.ANNOTATOR).user
    article = ArticleFactory(project=theirs)
    suggest_articles(articles=[article])
    assert api(user).post(f"/api/v1/annotations/{pending(article)[0].pk}/accept/").status_code == 404
