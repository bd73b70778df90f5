"""Jobs: start one, let its worker report progress and cancel at batch boundaries, finish or fail it, and
cancel it on a person's request. The API, the pages, the commands and the worker's task all call these.

A job's work is done in batches, each in one transaction with the job's progress (`record_batch`), so
that a worker killed between two batches leaves the job exactly where its last committed batch left it:
when procrastinate runs the job again, the work resumes after that batch, nothing done twice."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

import psycopg
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone

from annotator.accounts.models import Membership, Role, User
from annotator.articles.models import Project
from annotator.jobs.models import FINISHED_STATES, Job, JobInput, JobKind, JobState

logger = logging.getLogger(__name__)

# A job whose worker stopped (killed, out of memory, host lost) is run again this many times in all before it
# is marked failed: a file that kills every worker that reads it must not do so forever.
MAX_ATTEMPTS = 3


class JobCancelled(Exception):
    """Raised at a batch boundary when someone asked to cancel the job."""


def _deferrer(task, **options):
    """The task configured to be queued through Django's connection, so in the caller's transaction: a queue entry
    is committed with what the caller wrote or not at all, in a web process or a worker alike."""
    from procrastinate import manager
    from procrastinate.contrib.django.django_connector import DjangoConnector

    deferrer = task.configure(**options)
    deferrer.job_manager = manager.JobManager(DjangoConnector())
    return deferrer


def _defer(job: Job) -> int:
    """Queue the job in procrastinate, in the caller's transaction (the job row and its queue entry together)."""
    from annotator.jobs.tasks import run_job

    return _deferrer(run_job, queue=queue_of(job.kind), priority=priority_of(job.kind)).defer(job_id=job.pk)


def queue_indexing(project_id: int) -> None:
    """Queue the search indexing of the articles a job stored (outside any transaction, after the batch committed):
    an import job stores at the speed of the database and ends, and the articles become indexed right after it,
    before the suggestions (searches meanwhile match them on the fly). One indexing job waits per project at a
    time (procrastinate's queueing lock), at the priority of imports: after the imports queued before it, before
    suggestions. It indexes every article without a document when it runs."""
    from procrastinate import exceptions

    from annotator.jobs.tasks import index_articles

    lock = f"index_for_search:{project_id}"
    deferrer = _deferrer(
        index_articles, queue=queue_of(JobKind.IMPORT), priority=priority_of(JobKind.IMPORT), queueing_lock=lock
    )
    try:
        with transaction.atomic():  # a savepoint when the caller is in a transaction: the refusal rolls back only it
            deferrer.defer(project_id=project_id)
    except exceptions.AlreadyEnqueued:
        pass


def priority_of(kind: str) -> int:
    """A worker takes imports, exports and suggest-again before the suggestions that imports queue: an import
    sent after another is stored before the first one's suggestions are made."""
    return -1 if kind == JobKind.SUGGEST else 0


def queue_of(kind: str) -> str:
    """Suggestions wait in a queue of their own, so that a worker may be kept for imports and exports."""
    return "suggestions" if kind == JobKind.SUGGEST else "jobs"


@transaction.atomic
def start_job(
    *,
    kind: JobKind,
    project: Project,
    actor: User | None,
    params: dict[str, Any] | None = None,
    total: int | None = None,
    upload: tuple[str, bytes] | None = None,
) -> Job:
    """A new queued job, with the file it reads (name, bytes) when it has one. The caller checked permission."""
    job = Job.objects.create(kind=kind, project=project, created_by=actor, params=params or {}, total=total)
    if upload is not None:
        # In binary (%b) on a psycopg cursor: Django's cursor binds on the client, and would send a file of megabytes
        # as hex text for the server to parse (a quarter of a second for 5 MB).
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(
                "INSERT INTO jobs_jobinput (job_id, name, content) VALUES (%s, %s, %b)", [job.pk, upload[0], upload[1]]
            )
    job.queue_job_id = _defer(job)
    job.save(update_fields=["queue_job_id"])
    return job


def claim(job_id: int) -> Job | None:
    """The worker takes the job: running, one more attempt. None when there is nothing to do (over already,
    or cancelled before it started, which this marks)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state in FINISHED_STATES:
            return None
        if job.cancel_requested:
            _close(job, JobState.CANCELLED)
            return None
        if job.attempts >= MAX_ATTEMPTS:
            _close(job, JobState.FAILED, error=stopped_message(job))
            return None
        job.state = JobState.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["state", "attempts", "started_at"])
        return job


def stopped_message(job: Job) -> str:
    return (
        f"The worker running this job stopped {job.attempts} times before it was done (killed, out of memory, or "
        f"its host went away). {job.done} of {job.total if job.total is not None else 'the'} items were done and "
        "are kept. Check the worker's log and memory, then start the job again: what is stored already is "
        "recognised and not stored twice."
    )


def stop_if_cancelled(job: Job) -> None:
    """At a batch boundary: stop when someone asked to cancel (what earlier batches committed stays)."""
    if Job.objects.filter(pk=job.pk, cancel_requested=True).exists():
        raise JobCancelled


def record_batch(job: Job, *, done: int, total: int | None = None, result: dict[str, Any] | None = None) -> None:
    """Progress after a batch, written in the batch's own transaction (the caller's)."""
    job.done = done
    fields = ["done"]
    if total is not None:
        job.total = total
        fields.append("total")
    if result is not None:
        job.result = result
        fields.append("result")
    job.save(update_fields=fields)


def _close(job: Job, state: JobState, *, result: dict[str, Any] | None = None, error: str = "") -> None:
    job.state = state
    job.finished_at = timezone.now()
    if result is not None:
        job.result = result
    job.error = error
    # What the job read is not kept once it is over: an uploaded file, a long list's records (the result has the
    # summary of what became of them).
    job.params = {k: v for k, v in job.params.items() if k != "records"}
    job.save(update_fields=["state", "finished_at", "result", "error", "params"])
    JobInput.objects.filter(job=job).delete()


@transaction.atomic
def finish(job: Job, result: dict[str, Any]) -> None:
    """The job did all its work."""
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if locked.total is None:
        locked.total = locked.done
        locked.save(update_fields=["total"])
    _close(locked, JobState.SUCCEEDED, result=result)


@transaction.atomic
def fail(job: Job, error: str) -> None:
    """The job stopped on an error; what its committed batches did stays, and the error says so."""
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if locked.state in FINISHED_STATES:
        return
    _close(locked, JobState.FAILED, error=error)


@transaction.atomic
def mark_cancelled(job: Job) -> None:
    """The worker stopped at a batch boundary because someone asked; the result says what was kept."""
    locked = Job.objects.select_for_update().get(pk=job.pk)
    result = dict(locked.result or {})
    result["cancelled_after"] = locked.done
    result["note"] = (
        f"Cancelled after {locked.done} of {locked.total if locked.total is not None else '?'}: "
        "what was done before the cancel is kept."
    )
    _close(locked, JobState.CANCELLED, result=result)


def may_cancel(user: User, job: Job) -> bool:
    """The person who started a job and the project's admins may cancel it."""
    if job.created_by_id == user.pk:
        return True
    return Membership.objects.role_of(user, job.project) == Role.ADMIN


def cancel(*, actor: User, job: Job) -> Job:
    """Cancel a job: a queued one at once, a running one at its next batch boundary (what it committed stays).
    A job that is over cannot be cancelled (400)."""
    if not may_cancel(actor, job):
        raise PermissionDenied("Only the person who started this job or a project admin may cancel it.")
    from procrastinate.contrib.django import app

    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.state in FINISHED_STATES:
            raise ValidationError({"state": f"The job is {locked.state} already; there is nothing to cancel."})
        locked.cancel_requested = True
        locked.save(update_fields=["cancel_requested"])
        # Not started yet: take it out of the queue (refused when a worker has just taken it; that worker sees
        # cancel_requested when it claims the job).
        queued = locked.state == JobState.QUEUED and locked.queue_job_id is not None
        if queued and app.job_manager.cancel_job_by_id(locked.queue_job_id):
            _close(locked, JobState.CANCELLED, result={"cancelled_after": 0, "note": "Cancelled before it started."})
    return locked


class SideLine:
    """A connection of its own, in autocommit, for a job that reports progress while its main connection is
    inside one long transaction (an export reads one snapshot from start to end)."""

    def __init__(self, job: Job):
        self.job = job
        params = connections["default"].get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        self.connection = psycopg.connect(**params, autocommit=True)

    def progress(self, *, done: int, total: int | None = None) -> None:
        """Write the progress; raise JobCancelled when someone asked to cancel."""
        row = self.connection.execute(
            "UPDATE jobs_job SET done = %s, total = COALESCE(%s, total) WHERE id = %s RETURNING cancel_requested",
            [done, total, self.job.pk],
        ).fetchone()
        self.job.done = done
        if row and row[0]:
            raise JobCancelled

    def close(self) -> None:
        self.connection.close()


@contextlib.contextmanager
def side_line(job: Job) -> Iterator[SideLine]:
    line = SideLine(job)
    try:
        yield line
    finally:
        line.close()
