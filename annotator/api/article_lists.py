"""A list of articles sent to `POST /api/v1/projects/{slug}/articles/`: each item checked as the API checks one
article, in the request for a short list and by a job's worker for a long one (the request then stores the list
as it came and answers 202, without spending a millisecond an item on the checks)."""

from __future__ import annotations

import json

from rest_framework.exceptions import ValidationError

from annotator.accounts.models import Role, User
from annotator.accounts.services import require_role
from annotator.api import serializers as s
from annotator.articles.import_jobs import store_items
from annotator.articles.ingestion import ArticleRecord, RecordError, Rejection, clean_fields
from annotator.articles.models import Project
from annotator.jobs import services as jobs
from annotator.jobs.models import Job, JobInput, JobKind


def checked_records(items: list) -> tuple[list[ArticleRecord | Rejection], dict[str, list[str]]]:
    """Each item as a record to store, or a Rejection naming it and why; and the field errors of the last refused
    item (what a single object refused answers with)."""
    records: list[ArticleRecord | Rejection] = []
    errors: dict[str, list[str]] = {}
    # One serializer checks every item: DRF builds a serializer's fields (a deep copy of each declared field) once
    # per instance, which was half the time of a list of 1,000 when each item had its own.
    serializer = s.ArticleInputSerializer()
    for index, item in enumerate(items):
        try:
            validated = serializer.run_validation(item)
        except ValidationError as exc:
            detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
            errors = {k: [str(m) for m in v] if isinstance(v, list) else [str(v)] for k, v in detail.items()}
            records.append(Rejection(f"item {index}", "; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items())))
            continue
        try:
            records.append(ArticleRecord(f"item {index}", clean_fields(dict(validated))))
        except RecordError as exc:
            errors = {exc.field or "non_field_errors": [str(exc)]}
            records.append(Rejection(f"item {index}", str(exc)))
    return records, errors


def start_list_import(*, actor: User, project: Project, body: bytes, count: int) -> Job:
    """Project admins import a long list of articles (the request's JSON body, as sent) as a job."""
    require_role(actor, project, {Role.ADMIN}, to="import articles")
    return jobs.start_job(
        kind=JobKind.ARTICLE_LIST, project=project, actor=actor, total=count, upload=("articles.json", body)
    )


def run_list_import(job: Job) -> dict:
    items = json.loads(bytes(JobInput.objects.get(job=job).content))
    records, _ = checked_records(items)
    return store_items(job, records, with_ids=True)
