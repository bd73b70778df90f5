"""Suggestions as jobs: those of newly imported articles (queued by the import, in batches, so that the import
answers at the speed of storing), and "suggest again" over a whole project."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction

from annotator.accounts.models import REVIEW_ROLES, User
from annotator.accounts.services import require_role
from annotator.articles.models import Article, Project
from annotator.jobs import services as jobs
from annotator.jobs.models import Job, JobKind
from annotator.suggestions.registry import suggesters as configured_suggesters
from annotator.suggestions.services import SuggestionRun, suggest_articles

# Articles per suggestion job queued by an import (about 16 ms an article with the default suggesters: a job
# of 2 s), and per transaction inside a job (the unit of progress and of cancelling).
ARTICLES_PER_SUGGESTION_JOB = 100
ARTICLES_PER_SUGGESTION_BATCH = 20


def queue_suggestions(*, project: Project, actor: User | None, article_ids: Sequence[int]) -> list[Job]:
    """Queue the suggesters over newly imported articles (in the caller's transaction), in jobs of
    ARTICLES_PER_SUGGESTION_JOB; none when SUGGEST_ON_IMPORT is off or no suggester is configured."""
    if not article_ids or not settings.SUGGEST_ON_IMPORT or not configured_suggesters():
        return []
    step = ARTICLES_PER_SUGGESTION_JOB
    return [
        jobs.start_job(
            kind=JobKind.SUGGEST,
            project=project,
            actor=actor,
            params={"article_ids": list(article_ids[i : i + step])},
            total=len(article_ids[i : i + step]),
        )
        for i in range(0, len(article_ids), step)
    ]


def _run_dict(run: SuggestionRun) -> dict:
    fields = ("articles", "created", "kept", "removed", "dropped", "failed", "failures")
    return {name: getattr(run, name) for name in fields}


def _add(result: dict, run: SuggestionRun) -> dict:
    total = SuggestionRun(**{k: v for k, v in result.items() if k in SuggestionRun.__dataclass_fields__})
    total.add(run)
    return _run_dict(total)


def run_suggest(job: Job) -> dict:
    """Suggestions for the job's articles, a batch at a time; an article deleted meanwhile is passed over."""
    ids = job.params["article_ids"]
    result = job.result or _run_dict(SuggestionRun())
    for start in range(job.done, len(ids), ARTICLES_PER_SUGGESTION_BATCH):
        jobs.stop_if_cancelled(job)
        chunk = ids[start : start + ARTICLES_PER_SUGGESTION_BATCH]
        with transaction.atomic():
            result = _add(result, suggest_articles(articles=chunk))
            jobs.record_batch(job, done=start + len(chunk), result=result)
    return result


def start_project_suggestions(*, actor: User, project: Project) -> Job:
    """Reviewers and admins run the suggesters again over every article of the project, as a job."""
    require_role(actor, project, REVIEW_ROLES, to="run the suggesters over the whole project")
    total = Article.objects.filter(project=project).count()
    return jobs.start_job(kind=JobKind.SUGGEST_PROJECT, project=project, actor=actor, total=total)


def run_suggest_project(job: Job) -> dict:
    """Suggest again over the project's articles in id order; the last id done is kept with the progress, so a
    job run again after its worker was killed goes on from there."""
    result = job.result or {**_run_dict(SuggestionRun()), "last_id": 0}
    total = Article.objects.filter(project_id=job.project_id).count()
    while True:
        jobs.stop_if_cancelled(job)
        chunk = list(
            Article.objects.filter(project_id=job.project_id, pk__gt=result["last_id"])
            .order_by("pk")
            .values_list("pk", flat=True)[:ARTICLES_PER_SUGGESTION_BATCH]
        )
        if not chunk:
            return result
        with transaction.atomic():
            result = {**_add(result, suggest_articles(articles=chunk)), "last_id": chunk[-1]}
            jobs.record_batch(job, done=min(job.done + len(chunk), total), total=total, result=result)
