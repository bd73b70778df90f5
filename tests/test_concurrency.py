"""Several people at once, each on their own database connection."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from annotator.annotations.models import Review, Status
from annotator.annotations.services import Conflict, create_annotation, review_annotation, submit_article
from annotator.articles.ingestion import ArticleRecord, clean_fields
from annotator.articles.models import Article
from annotator.articles.services import import_articles
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(*functions):
    """Run each function in its own thread (and so its own connection), released together."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def worker(i, function):
        try:
            barrier.wait()
            results[i] = ("ok", function())
        except Exception as exc:
            results[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_reviewers_deciding_at_once_store_one_decision(project, article, annotator, reviewer, admin):
    annotation = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    submit_article(actor=annotator, article=article)
    results = run_at_once(
        lambda: review_annotation(actor=reviewer, annotation=annotation.pk, decision="approve"),
        lambda: review_annotation(actor=admin, annotation=annotation.pk, decision="reject", comment="Too short."),
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, Conflict)
    assert "already" in str(error)
    assert Review.objects.filter(annotation=annotation).count() == 1
    annotation.refresh_from_db()
    assert annotation.status in (Status.APPROVED, Status.REJECTED)
    assert annotation.version == 3


def test_two_imports_of_the_same_articles_at_once_store_each_body_once(project):
    records = [
        ArticleRecord(f"line {i}", clean_fields({"body": f"Story {i}: the mayor said “no comment” — again."}))
        for i in range(300)
    ]
    results = run_at_once(
        lambda: import_articles(project=project, actor=None, items=iter(records), batch_size=50),
        lambda: import_articles(project=project, actor=None, items=iter(records), batch_size=50),
    )
    assert [kind for kind, _ in results] == ["ok", "ok"]
    summaries = [value for _, value in results]
    assert sum(s.added for s in summaries) == 300
    assert sum(s.duplicates for s in summaries) == 300
    assert Article.objects.filter(project=project).count() == 300
    assert summaries[0].ids == summaries[1].ids


def test_two_annotators_submitting_at_once_each_submit_only_their_own(project, article, annotator):
    other = MembershipFactory(project=project).user
    for user in (annotator, other):
        for start in range(0, 20, 5):
            create_annotation(actor=user, article=article, kind="claim", start=start, end=start + 4)
    results = run_at_once(
        lambda: submit_article(actor=annotator, article=article),
        lambda: submit_article(actor=other, article=article),
    )
    assert results == [("ok", 4), ("ok", 4)]


def test_imports_sharing_bodies_in_opposite_orders_both_finish(project):
    records = [
        ArticleRecord(f"line {i}", clean_fields({"body": f"Report {i}: “prices rose 4%,” the agency said."}))
        for i in range(400)
    ]
    results = run_at_once(
        lambda: import_articles(project=project, actor=None, items=iter(records), batch_size=400),
        lambda: import_articles(project=project, actor=None, items=iter(records[::-1]), batch_size=400),
    )
    assert [kind for kind, _ in results] == ["ok", "ok"]
    assert Article.objects.filter(project=project).count() == 400
    assert sum(summary.added for _, summary in results) == 400
