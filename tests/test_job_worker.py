"""Jobs run by real workers: procrastinate's worker as a separate process (`manage.py procrastinate worker`), killed
with SIGKILL in the middle of an import and replaced; and the worker run in this process, as procrastinate's docs
show for tests (`app.run_worker(wait=False)`). These tests commit their data (transaction=True): the workers read
it through connections of their own."""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.utils import timezone
from procrastinate.contrib.django import app

from annotator.articles.import_jobs import start_file_import
from annotator.articles.models import Article
from annotator.exports.jobs import start_export
from annotator.jobs.models import Job, JobState
from annotator.jobs.tasks import recover_stalled_jobs
from tests.browser import ROOT, database_url

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLES = 6000
BATCH = 100


@pytest.fixture(autouse=True)
def empty_queue():
    """procrastinate's tables are not Django-managed, so the flush between these tests (and --reuse-db between
    sessions) leaves their rows: each test starts and ends with an empty queue."""

    def empty() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,"
                " procrastinate_workers CASCADE"
            )

    empty()
    yield
    empty()


def feed(n: int) -> bytes:
    lines = (
        json.dumps({"title": f"Report {i}", "body": f"Report {i}: the harbour board met again. " * 8}) for i in range(n)
    )
    return "\n".join(lines).encode()


def in_thread(function, *args):
    """Run `function` in a thread of its own: the browser tests' Playwright (sync API) keeps an event loop running
    in this one for the whole session, where neither asyncio.run nor async_to_sync may start another."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def worker(*args: str, **environ: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "JOB_IMPORT_BATCH_SIZE": str(BATCH),
        "SUGGEST_ON_IMPORT": "false",
        **environ,
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(condition, timeout: float = 60.0, every: float = 0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    raise AssertionError("timed out")


def kill_when(process: subprocess.Popen, condition, every: float = 0.01) -> None:
    """SIGKILL the worker once `condition` holds (nothing of it runs after: no clean-up, no last write)."""
    try:
        wait_for(condition, every=every)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()


def test_a_worker_killed_mid_import_loses_nothing_and_the_job_resumes_on_another_worker(project, admin):
    job = start_file_import(actor=admin, project=project, name="reports.jsonl", content=feed(ARTICLES))
    kill_when(worker(), lambda: Job.objects.filter(pk=job.pk, done__gte=3 * BATCH).exists())
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.done < ARTICLES, "the import finished before the kill: make it longer"
    # Whole batches only, and exactly those the job counts as done: the progress is committed with each batch.
    assert job.done % BATCH == 0
    assert Article.objects.filter(project=project).count() == job.done == job.result["added"]

    # procrastinate's stalled-jobs recipe (run every minute by a worker): the killed worker sends no heartbeat.
    assert in_thread(async_to_sync(recover_stalled_jobs), 0) == 1
    second = worker("--one-shot")
    _, errors = second.communicate(timeout=120)
    assert second.returncode == 0, errors.decode()[-2000:]

    job.refresh_from_db()
    assert (job.state, job.attempts, job.done, job.error) == (JobState.SUCCEEDED, 2, ARTICLES, "")
    assert (job.result["added"], job.result["duplicates"], job.result["rejected"]) == (ARTICLES, 0, 0)
    titles = Article.objects.filter(project=project).values_list("title", flat=True)
    assert len(titles) == len(set(titles)) == ARTICLES
    # The search indexing the import queued after its batches ran in the worker too.
    assert not Article.objects.filter(project=project).unindexed().exists()


def test_the_worker_run_in_process_does_a_job_as_the_docs_show_for_tests(project, admin):
    job = start_file_import(actor=admin, project=project, name="two.jsonl", content=feed(2))

    # The worker's connector, as `manage.py procrastinate worker` uses (Django's own connector defers jobs only).
    def run_worker() -> None:
        with app.replace_connector(app.connector.get_worker_connector()):
            app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)

    in_thread(run_worker)
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.result["added"] == 2


SENTENCE = "The council met and the budget rose. "


def approved_claims(project, author, *, articles: int, per_article: int) -> int:
    """Approved claims written with COPY, as bench/export.py builds its projects; how many."""
    connection.ensure_connection()
    now = timezone.now()
    with connection.connection.cursor() as cursor:
        with cursor.copy(
            "COPY articles_article (project_id, title, body, source, url, byline, language, metadata, content_hash,"
            " created_at) FROM STDIN"
        ) as copy:
            for n in range(articles):
                body = f"Article {n}. " + SENTENCE * per_article
                digest = hashlib.sha256(body.encode()).hexdigest()
                copy.write_row((project.pk, f"A{n}", body, "", "", "", "en", "{}", digest, now))
        cursor.execute("SELECT id, body FROM articles_article WHERE project_id = %s ORDER BY id", [project.pk])
        rows = cursor.fetchall()
        with cursor.copy(
            'COPY annotations_annotation (article_id, kind, start, "end", text, attributes, status, origin, author_id,'
            " suggester, version, created_at, updated_at, submitted_at) FROM STDIN"
        ) as copy:
            for article_id, body in rows:
                for i in range(per_article):
                    start = body.index(SENTENCE) + i * len(SENTENCE)
                    end = start + len("The council")
                    copy.write_row(
                        (
                            article_id,
                            "claim",
                            start,
                            end,
                            body[start:end],
                            "{}",
                            "approved",
                            "human",
                            author.pk,
                            "",
                            3,
                            now,
                            now,
                            now,
                        )
                    )
    return articles * per_article


def test_a_worker_killed_mid_export_leaves_no_file_and_the_job_run_again_writes_it_whole(
    project, reviewer, annotator, settings, tmp_path
):
    exports = tmp_path / "exports"
    total = approved_claims(project, annotator, articles=400, per_article=300)
    job = start_export(actor=reviewer, project=project, format="jsonl", status="approved")
    first = worker(EXPORT_DIR=str(exports), EXPORT_PROGRESS_MS="0")  # progress after every article: seen midway
    kill_when(first, lambda: Job.objects.filter(pk=job.pk, done__gt=0).exists(), every=0.02)
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and 0 < job.done < job.total, "the export ended before the kill"
    folder = exports / str(job.pk)
    assert [p.name for p in folder.iterdir()] == [f".{project.slug}-approved.jsonl.part"]  # only the hidden part

    assert in_thread(async_to_sync(recover_stalled_jobs), 0) == 1
    second = worker("--one-shot", EXPORT_DIR=str(exports))
    _, errors = second.communicate(timeout=300)
    assert second.returncode == 0, errors.decode()[-2000:]
    job.refresh_from_db()
    assert (job.state, job.attempts, job.result["counts"]["annotations"]) == (JobState.SUCCEEDED, 2, total)
    assert [p.name for p in folder.iterdir()] == [job.result["filename"]]
    content = (folder / job.result["filename"]).read_bytes()
    assert hashlib.sha256(content).hexdigest() == job.result["sha256"]
    assert sum(len(json.loads(line)["annotations"]) for line in content.splitlines()) == total
