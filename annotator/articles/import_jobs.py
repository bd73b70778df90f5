"""Imports as jobs: an uploaded file (the API and the upload page) or a long list of articles (the API; its checks
are in api/article_lists.py) is stored by a worker, a batch per transaction with the job's progress, so that a
worker killed midway leaves whole batches behind and the job, run again, goes on after the last one (duplicates
are recognised by content hash as always, so nothing is stored twice either way). The suggestions of the new
articles follow as jobs of their own, queued in the same transactions."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath

from django.conf import settings
from django.db import transaction

from annotator.accounts.models import Role, User
from annotator.accounts.services import require_role
from annotator.annotations.imports import annotations_author
from annotator.articles.ingestion import Item, read_named_file
from annotator.articles.ingestion.brat import BratImport, holds_brat, read_brat_zip
from annotator.articles.models import Project
from annotator.articles.services import ImportSummary, import_articles, index_for_search, result_line
from annotator.database import atomic_retried
from annotator.jobs import services as jobs
from annotator.jobs.models import Job, JobInput, JobKind
from annotator.suggestions.jobs import queue_suggestions

# A list of more articles than this, sent to POST /api/v1/projects/{slug}/articles/, is stored by a job (202);
# a shorter one is stored in the request, as before (201 or 200 with the summary).
LIST_JOB_THRESHOLD = 100
# Formats whose records are counted before the import starts, so that its progress has a total: reading them
# costs little next to storing. HTML (text extraction) and archives are not counted first.
COUNTED_FIRST = {".jsonl", ".json", ".csv", ".txt"}


def import_and_queue_suggestions(*, project: Project, actor: User | None, items: Iterable[Item]) -> ImportSummary:
    """An import in the request (one article, a short list): stored now, its suggestions queued as jobs."""
    summary = import_articles(project=project, actor=actor, items=items, suggest=False)
    index_for_search(project=project)
    summary.suggestion_jobs = len(queue_suggestions(project=project, actor=actor, article_ids=summary.to_suggest))
    return summary


def start_file_import(*, actor: User, project: Project, name: str, content: bytes, annotator: str | None = None) -> Job:
    """Project admins import a file (any format load_articles reads) as a job. A .zip that holds .ann files is brat
    standoff (docs/brat.md): its quotes are by `annotator`, a member (by default the admin who imports)."""
    require_role(actor, project, {Role.ADMIN}, to="import articles")
    params = {"file": name}
    if holds_brat(name, content):
        author = annotations_author(project=project, username=annotator or actor.username)
        params |= {"annotations": "brat", "annotator": author.username}
    upload = (name, content)
    return jobs.start_job(kind=JobKind.IMPORT, project=project, actor=actor, params=params, upload=upload)


# What a job's result adds up over its batches: the import summary's counts and lists (ImportSummary.as_dict), and
# the suggestion jobs queued.
SUMMED = ("added", "duplicates", "revised", "annotations", "rejected", "errors", "skipped", "suggestion_jobs")


def empty_result(*, with_ids: bool) -> dict:
    result = {key: [] if key in ("errors", "skipped") else 0 for key in SUMMED}
    return result | {"ids": []} if with_ids else result


def _batches(items: Iterable[Item], skip: int, size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for index, item in enumerate(items):
        if index < skip:
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def store_items(job: Job, items: Iterable[Item], *, with_ids: bool) -> dict:
    """Store the items a batch at a time (JOB_IMPORT_BATCH_SIZE records, the unit of progress and of cancelling),
    after those a previous attempt committed (job.done of them)."""
    result = job.result or empty_result(with_ids=with_ids)
    for batch in _batches(items, job.done, settings.JOB_IMPORT_BATCH_SIZE):
        jobs.stop_if_cancelled(job)
        result = _store_batch(job, batch, result, with_ids=with_ids)
        jobs.queue_indexing(job.project_id)
    return result


@atomic_retried
def _store_batch(job: Job, batch: list[Item], result: dict, *, with_ids: bool) -> dict:
    """One batch, its suggestion jobs and the job's progress, in one transaction."""
    summary = import_articles(
        project=job.project, actor=job.created_by, items=batch, batch_size=len(batch) + 1, suggest=False
    )
    queued = queue_suggestions(project=job.project, actor=job.created_by, article_ids=summary.to_suggest)
    batch_result = summary.as_dict() | {"suggestion_jobs": len(queued)}
    result = {**result, **{key: result.get(key, type(batch_result[key])()) + batch_result[key] for key in SUMMED}}
    result["line"] = result_line(result)  # so far: a job cancelled or failed after this batch says what it stored
    if with_ids:
        result["ids"] = result["ids"] + summary.ids
    jobs.record_batch(job, done=job.done + len(batch), result=result)
    return result


def run_file_import(job: Job) -> dict:
    upload = JobInput.objects.get(job=job)
    name, content = upload.name, bytes(upload.content)

    def items() -> Iterable[Item]:
        if job.params.get("annotations") == "brat":
            return read_brat_zip(name, lambda: io.BytesIO(content), tally=BratImport(job.params["annotator"]))
        return read_named_file(name, lambda: io.BytesIO(content))

    if job.total is None and PurePosixPath(name).suffix.lower() in COUNTED_FIRST:
        with transaction.atomic():
            jobs.record_batch(job, done=job.done, total=sum(1 for _ in items()))
    return store_items(job, items(), with_ids=False)
