"""Suggesters and time: every built-in pattern runs in time linear in the body on hostile input, and a suggester
gets SUGGEST_TIME_BUDGET_SECONDS per article, after which its work there is dropped with a note, never a 500."""

from __future__ import annotations

import io
import json
import re
import time

import hypothesis
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.annotations.models import Annotation
from annotator.articles.ingestion import read_paths
from annotator.articles.services import import_articles
from annotator.jobs.models import Job, JobKind
from annotator.suggestions import claims, clauses, evaluation, indirect_quotes
from annotator.suggestions.claims import ClaimSuggester
from annotator.suggestions.quotes import QuoteSuggester, quote_candidates
from annotator.suggestions.services import suggest_articles
from annotator.suggestions.text import PADDING, paragraphs, sentences
from tests.conftest import SecureClient
from tests.factories import NEWS_BODY, ArticleFactory
from tests.jobs import job_result
from tests.suggesters import FIXED

SMALL, LARGE = 250_000, 1_000_000


def repeated(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


# What a hostile upload may hold: each must cost time in proportion to its size.
HOSTILE = {
    "one long word": lambda n: repeated("a", n),
    "one long capitalised word": lambda n: "A" + repeated("b", n - 1),
    "a run of punctuation": lambda n: repeated(".,;:!?—-", n),
    "a run of full stops": lambda n: repeated(".", n),
    "a hyphen chain": lambda n: repeated("ab-", n),
    "a run of hyphens": lambda n: repeated("-", n),
    "curly quotes that never close": lambda n: repeated("“a ", n),
    "guillemets that never close": lambda n: repeated("« a ", n),
    "low quotes that never close": lambda n: repeated("„a ", n),
    "straight double quotes": lambda n: repeated('"a ', n),
    "straight single quotes": lambda n: repeated(" 'a", n),
    "apostrophes": lambda n: repeated("’", n),
    "capitalised words": lambda n: repeated("Anna Bell ", n),
    "a dateline of capitals": lambda n: repeated("GENEVA ", n),
    "a dateline then hyphens": lambda n: "GENEVA" + repeated("-", n - 7) + "x",
    "many short sentences": lambda n: repeated("He said. ", n),
    "a run of spaces": lambda n: "a" + repeated(" ", n - 2) + "b",
    "a run of newlines": lambda n: "a" + repeated("\n", n - 2) + "b",
    "digits": lambda n: repeated("1", n),
    "digits then letters": lambda n: repeated("1", n - 2) + "ab",
    "digit groups": lambda n: repeated("1,2.", n),
    "said again and again": lambda n: repeated("said ", n),
    "said that again and again": lambda n: repeated("Ann said that ", n),
    "according to again and again": lambda n: repeated("according to ", n),
    "quotes with their cue": lambda n: repeated("“a” said Bo. ", n),
}


def suggest_everything(body: str) -> float:
    """CPU seconds the built-in suggesters take on a body, nothing cached from an earlier run (CPU time: the
    machine running the tests may be shared, and the wall clock counts the others' work too)."""
    quote_candidates.cache_clear()
    sentences.cache_clear()
    paragraphs.cache_clear()
    started = time.process_time()
    QuoteSuggester().suggest(body)
    ClaimSuggester().suggest(body)
    return time.process_time() - started


@pytest.fixture(scope="module", autouse=True)
def warm():
    suggest_everything(NEWS_BODY)  # spaCy loads once, outside the measurements


@pytest.mark.parametrize("shape", HOSTILE)
def test_the_builtin_suggesters_take_linear_time_on_hostile_input(shape):
    small = suggest_everything(HOSTILE[shape](SMALL))
    large = suggest_everything(HOSTILE[shape](LARGE))
    # Four times the text: linear is 4x, quadratic 16x; 8x leaves room for the cyclic garbage collector, which
    # walks a heap that grows with the text (6.4x measured on cue-dense bodies). A floor for timing noise.
    assert large < 8 * max(small, 0.05)
    # Linear but not fast: a megabyte of one-word sentences or of quotations takes the quote rules 10-30 s, which
    # is what SUGGEST_TIME_BUDGET_SECONDS is for. Before the patterns were linear, a megabyte took hours.
    assert large < 60


# --- the time budget --------------------------------------------------------------------------------------


@pytest.fixture
def budget(settings):
    settings.SUGGESTERS = ["tests.suggesters.SlowSuggester", FIXED]
    settings.SUGGEST_TIME_BUDGET_SECONDS = 0.2
    settings.SUGGEST_ON_IMPORT = True


def stored_by(article, suggester: str) -> list[Annotation]:
    return list(Annotation.objects.pending_suggestions().filter(article=article, suggester=suggester))


@pytest.mark.django_db
def test_a_suggester_past_its_budget_counts_as_failed_and_stores_nothing(project, budget):
    article = ArticleFactory(project=project)
    run = suggest_articles(articles=[article])
    assert run.failed == 1
    assert run.failures == [
        f"test.slow on article {article.pk}: stopped after its time budget of 0.2 s (SUGGEST_TIME_BUDGET_SECONDS);"
        " its suggestions for this article were dropped"
    ]
    assert stored_by(article, "test.slow") == []
    assert len(stored_by(article, "test.fixed")) == 3  # the other suggester keeps its work


@pytest.mark.django_db
def test_a_suggester_that_checks_its_budget_is_stopped_there(project, settings):
    settings.SUGGESTERS = ["tests.suggesters.LoopingSuggester"]
    settings.SUGGEST_TIME_BUDGET_SECONDS = 0.2
    article = ArticleFactory(project=project)
    started = time.monotonic()
    run = suggest_articles(articles=[article])
    assert time.monotonic() - started < 5
    assert run.failed == 1 and "test.looping on article" in run.failures[0]
    assert stored_by(article, "test.looping") == []


@pytest.mark.django_db
def test_an_import_stores_the_article_when_a_suggester_runs_out_of_time(project, budget, tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"title": "Budget", "body": NEWS_BODY}) + "\n", encoding="utf-8")
    summary = import_articles(project=project, actor=None, items=read_paths([tmp_path / "a.jsonl"]))
    assert summary.added == 1
    assert summary.suggestions.failed == 1 and "time budget" in summary.suggestions.failures[0]
    article = project.articles.get()
    assert stored_by(article, "test.slow") == [] and len(stored_by(article, "test.fixed")) == 3


@pytest.mark.django_db
def test_the_api_suggest_answers_200_with_the_suggester_that_ran_out_of_time(
    project, annotator, budget, django_assert_max_num_queries
):
    article = ArticleFactory(project=project)
    client = SecureClient()
    client.force_login(annotator)
    with django_assert_max_num_queries(30):
        response = client.post(f"/api/v1/articles/{article.pk}/suggest/")
    assert response.status_code == 200
    reply = response.json()
    assert (reply["created"], reply["failed"]) == (3, 1)
    assert reply["failures"][0].startswith(f"test.slow on article {article.pk}: stopped after its time budget")


@pytest.mark.django_db
def test_an_upload_and_its_suggestion_job_succeed_when_a_suggester_runs_out_of_time(project, admin, budget):
    client = SecureClient()
    client.force_login(admin)
    upload = io.BytesIO((json.dumps({"body": NEWS_BODY}) + "\n").encode())
    upload.name = "slow.jsonl"
    response = client.post(f"/api/v1/projects/{project.slug}/articles/import/", {"file": upload})
    assert job_result(response)["added"] == 1
    assert Job.objects.get(kind=JobKind.SUGGEST).result["created"] == 3
    assert project.articles.count() == 1


# --- the linear patterns match what the backtracking ones matched ------------------------------------------

SHORT_TEXT = st.text(alphabet="1,.ab -x_é\n’'s", max_size=16)


@hypothesis.settings(max_examples=3000, deadline=None)
@given(SHORT_TEXT)
def test_the_linear_claim_patterns_find_what_the_backtracking_ones_found(text):
    assert claims.NUMBER.findall(text) == re.findall(r"(?<![\w.-])\d[\d,.]*(?![\w-]*[A-Za-z]{2})", text)
    assert claims.HYPHENATED.findall(text) == re.findall(r"[a-z]+-[a-z]+", text)
    assert evaluation.EDGE_PUNCTUATION.sub("", text) == re.sub(r"^[\s.,;:—–-]+|[\s.,;:—–-]+$", "", text)


@hypothesis.settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="abnduts,;' ’\nilyw", max_size=24))
def test_the_end_anchored_patterns_searched_from_the_last_words_find_what_a_whole_search_found(text):
    def same(pattern: re.Pattern, start: int) -> bool:
        found, whole = pattern.search(text, start), pattern.search(text)
        return (found and found.span()) == (whole and whole.span())

    assert same(indirect_quotes.AND_BEFORE, indirect_quotes._last_words(text, 1))
    assert same(indirect_quotes.PROGRESSIVE, indirect_quotes._last_words(text, 2))
    lead = text.rstrip(PADDING)
    found = clauses.COORDINATED.search(lead, clauses._before_last_word(lead))
    whole = clauses.COORDINATED.search(lead)
    assert (found and found.span()) == (whole and whole.span())
