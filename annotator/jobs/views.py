"""A job in the browser: its page, the progress fragment that htmx polls every second while the job runs (the
polling stops with the job: the finished fragment has no trigger), and its Cancel button."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from annotator.articles.models import Project
from annotator.jobs.models import Job
from annotator.jobs.services import cancel, may_cancel
from annotator.suggestions.jobs import start_project_suggestions


def job_context(request: HttpRequest, job: Job) -> dict:
    return {"job": job, "project": job.project, "may_cancel": job.is_active and may_cancel(request.user, job)}


def _visible_job(request: HttpRequest, pk: int) -> Job:
    return get_object_or_404(Job.objects.visible_to(request.user).select_related("project"), pk=pk)


@require_GET
@login_required
@vary_on_headers("HX-Request")
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's progress, then its result (members of its project)."""
    job = _visible_job(request, pk)
    template = "jobs/job_detail.html#progress" if request.htmx else "jobs/job_detail.html"
    return render(request, template, job_context(request, job))


@require_POST
@login_required
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel: at once when queued, at the next batch boundary when running (what was committed stays)."""
    job = _visible_job(request, pk)
    error = None
    try:
        job = cancel(actor=request.user, job=job)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not request.htmx:
        return redirect("job_detail", job.pk)
    context = job_context(request, job) | {"error": error}
    return render(request, "jobs/job_detail.html#progress", context, status=400 if error else 200)


@require_POST
@login_required
def project_suggest(request: HttpRequest, slug: str) -> HttpResponse:
    """Reviewers and admins run the suggesters again over the whole project; the answer is the job's page."""
    project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
    job = start_project_suggestions(actor=request.user, project=project)
    return redirect("job_detail", job.pk)
