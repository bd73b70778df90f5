"""Jobs in tests: run the queued ones in this thread, as a worker would (procrastinate's task, called as a function,
so the test's transaction sees what they write), and read what a started job ended with."""

from __future__ import annotations

from django.db import connection

from annotator.jobs.models import Job, JobState
from annotator.jobs.tasks import index_articles, run_job


def run_queued_jobs(*, rounds: int = 20) -> list[Job]:
    """Run every queued job, and the jobs those queue (an import queues its suggestions), oldest first."""
    ran: list[Job] = []
    for _ in range(rounds):
        run_queued_indexing()
        queued = list(Job.objects.filter(state=JobState.QUEUED).order_by("pk"))
        if not queued:
            return ran
        for job in queued:
            run_job(job_id=job.pk)
            ran.append(job)
    raise AssertionError("jobs kept queueing jobs")


def run_queued_indexing() -> list[int]:
    """Run the search indexing that import jobs queued (`jobs.services.queue_indexing`), as a worker would, and take
    it off procrastinate's queue; the projects indexed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE task_name = 'annotator.index_for_search' AND status = 'todo' "
            "RETURNING (args->>'project_id')::int"
        )
        projects = [row[0] for row in cursor.fetchall()]
    for project_id in projects:
        index_articles(project_id=project_id)
    return projects


def finished_job(response) -> dict:
    """After an answer that started a job (202, Location): run the queue, and the job as the API shows it."""
    assert response.status_code == 202, response.content
    location = response["Location"]
    assert location.startswith("/api/v1/jobs/")
    run_queued_jobs()
    job = Job.objects.get(pk=int(location.rstrip("/").rsplit("/", 1)[1]))
    return {"id": job.pk, "state": job.state, "result": job.result, "error": job.error, "done": job.done}


def job_result(response) -> dict:
    """The result of the job an answer started, once the queue has run; the job must have succeeded."""
    job = finished_job(response)
    assert job["state"] == JobState.SUCCEEDED, job
    return job["result"]


def page_after_job(client, response):
    """After a page's POST started a job (a redirect to the page that follows it): run the queue, then that page."""
    assert response.status_code == 302, response.content
    run_queued_jobs()
    return client.get(response["Location"], secure=True)
