"""The procrastinate tasks: `run_job` does any job (by its kind), `index_articles` indexes what imports stored,
`retry_stalled_jobs` runs again the jobs of a
worker that stopped sending heartbeats (killed), `delete_expired_exports` keeps the export folder to its
retention period. procrastinate's Django app finds this module by its name (tasks.py)."""

from __future__ import annotations

import logging

from django.db import close_old_connections, connection
from django.utils.module_loading import import_string
from procrastinate.contrib.django import app

from annotator.jobs import services
from annotator.jobs.models import Job, JobKind

logger = logging.getLogger(__name__)

# The function that does each kind of job: it takes the Job, works in batches (services.record_batch,
# services.stop_if_cancelled) and returns the job's result.
HANDLERS = {
    JobKind.IMPORT: "annotator.articles.import_jobs.run_file_import",
    JobKind.ARTICLE_LIST: "annotator.api.article_lists.run_list_import",
    JobKind.SUGGEST: "annotator.suggestions.jobs.run_suggest",
    JobKind.SUGGEST_PROJECT: "annotator.suggestions.jobs.run_suggest_project",
    JobKind.EXPORT: "annotator.exports.jobs.run_export",
}

# A worker that has sent no heartbeat for this long (it sends one every 10 s) is taken for dead, and the jobs
# it was running are queued again.
STALLED_AFTER_SECONDS = 60


@app.task(name="annotator.run_job", pass_context=False)
def run_job(job_id: int) -> None:
    """Do one job; an error marks it failed with a message a person can act on."""
    _fresh_connection()
    try:
        job = services.claim(job_id)
        if job is None:
            return
        handler = import_string(HANDLERS[job.kind])
        try:
            result = handler(job)
        except services.JobCancelled:
            services.mark_cancelled(job)
            return
        except Exception as exc:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            services.fail(job, failure_message(job, exc))
            return
        services.finish(job, result)
    finally:
        _release_connection()


@app.task(name="annotator.index_for_search", pass_context=False)
def index_articles(project_id: int) -> int:
    """Compute the search documents of a project's articles that have none (those an import job just stored);
    queued by `services.queue_indexing`, at most one waiting per project."""
    from annotator.articles.models import Project
    from annotator.articles.services import index_for_search

    _fresh_connection()
    try:
        project = Project.objects.filter(pk=project_id).first()
        return index_for_search(project=project) if project is not None else 0
    finally:
        _release_connection()


def _fresh_connection() -> None:
    """A worker thread's connection may have been closed by the server since its last job (Django closes such
    connections at each request; a worker has no requests). Inside a transaction (a test calling the task
    itself) the connection is the caller's and stays."""
    if not connection.in_atomic_block:
        close_old_connections()


def _release_connection() -> None:
    """procrastinate runs each sync task in a thread of a pool: the thread's connection is closed after the job,
    so that no connection is left open by a thread that may never run a job again."""
    if not connection.in_atomic_block:
        connection.close()


def failure_message(job: Job, exc: Exception) -> str:
    done = Job.objects.filter(pk=job.pk).values_list("done", flat=True).first() or 0
    reason = "; ".join(getattr(exc, "messages", None) or [str(exc) or type(exc).__name__])
    return (
        f"Stopped after {done} items: {reason}. What was done before the error is kept; fix the cause and "
        "start the job again (what is stored already is recognised and not stored twice)."
    )


@app.periodic(cron="* * * * *", periodic_id="retry_stalled_jobs")
@app.task(name="annotator.retry_stalled_jobs", queueing_lock="retry_stalled_jobs", pass_context=False)
async def retry_stalled_jobs(timestamp: int) -> int:
    """Queue again the jobs whose worker stopped (procrastinate's stalled-jobs recipe)."""
    return await recover_stalled_jobs(STALLED_AFTER_SECONDS)


async def recover_stalled_jobs(seconds_since_heartbeat: float) -> int:
    """Run again each job left running by a worker silent this long; the job resumes after its last batch."""
    stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds_since_heartbeat)
    for queued in stalled:
        logger.warning("job %s of a stopped worker is queued again", queued.id)
        await app.job_manager.retry_job(queued)
    return len(stalled)


@app.periodic(cron="*/15 * * * *", periodic_id="delete_expired_exports")
@app.task(name="annotator.delete_expired_exports", queueing_lock="delete_expired_exports", pass_context=False)
def delete_expired_exports(timestamp: int) -> int:
    from annotator.exports.jobs import delete_expired_exports as delete

    _fresh_connection()
    try:
        return delete()
    finally:
        _release_connection()
