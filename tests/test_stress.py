"""Lost updates under load: bench/stress.py's workload, smaller, against the production server on loopback."""

from __future__ import annotations

import threading
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.db import connection, transaction

from annotator.annotations.models import Annotation
from annotator.annotations.services import _lock, create_annotation
from annotator.database import atomic_retried
from bench.stress import check, latency_lines, run_workload, set_up

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_mixed_writes_lose_nothing_duplicate_nothing_and_answer_every_stale_if_match_412(live_app):
    world = set_up(articles=20, annotators=2, reviewers=1)
    address = urlsplit(live_app)
    started = time.monotonic()
    workers, elapsed = run_workload((address.hostname, address.port), world, clients=4, operations=1000)
    verdict = check(workers, world.project_id)
    report = "\n".join([f"{elapsed:.1f} s", *verdict.lines(), *latency_lines(workers)])
    assert not verdict.client_errors, report
    assert not verdict.server_errors, report
    assert not verdict.lost, report + "\n" + "\n".join(verdict.lost[:10])
    assert not verdict.duplicated, report + "\n" + "\n".join(verdict.duplicated[:10])
    assert not verdict.stale_wrong, report
    assert not verdict.history, report + "\n" + "\n".join(verdict.history)
    assert verdict.stale_sent > 0 and verdict.stale_412 > 0, report
    assert verdict.by_status[201] > 100 and verdict.by_status[204] > 0, report
    assert not verdict.timeouts, report
    # About 10 s on a quiet machine; the bound only catches a run that hangs (the machine may be busy).
    assert time.monotonic() - started < 300, report


def test_an_edit_in_progress_does_not_hold_up_a_create_on_the_same_article(article, annotator, other_annotator):
    """Edits, deletes and reviews lock their annotation with FOR UPDATE; over its join with the article and
    project, that locked those rows too, so a create on the article (its foreign-key check) waited for the
    edit, and an edit and a create could deadlock (bench/stress.py found it: a 503)."""
    first = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    locked, release = threading.Event(), threading.Event()

    def edit_in_progress():
        try:
            with transaction.atomic():
                _lock(first.pk)  # what update_annotation, delete_annotation and review_annotation begin with
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=edit_in_progress)
    holder.start()
    assert locked.wait(10)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            create_annotation(actor=other_annotator, article=article, kind="claim", start=6, end=10)
    finally:
        release.set()
        holder.join()
    assert Annotation.objects.filter(article=article).count() == 2


def test_two_writers_that_deadlock_are_both_served_one_of_them_retried(article, annotator):
    one = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    two = create_annotation(actor=annotator, article=article, kind="claim", start=6, end=10)
    both_hold_one = threading.Barrier(2)
    attempts: Counter = Counter()
    outcomes: dict[str, str] = {}

    def writer(name: str, first: int, second: int) -> None:
        @atomic_retried
        def lock_both_rows() -> None:
            attempts[name] += 1
            Annotation.objects.select_for_update().get(pk=first)
            if attempts[name] == 1:
                both_hold_one.wait(10)  # each holds one row and now asks for the other's: a deadlock
            Annotation.objects.select_for_update().get(pk=second)

        try:
            lock_both_rows()
            outcomes[name] = "ok"
        except Exception as exc:
            outcomes[name] = repr(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=writer, args=("a", one.pk, two.pk)),
        threading.Thread(target=writer, args=("b", two.pk, one.pk)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes == {"a": "ok", "b": "ok"}
    assert sorted(attempts.values()) == [1, 2]
