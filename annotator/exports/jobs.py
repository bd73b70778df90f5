"""Exports to a file, as jobs: the same stream as the streamed export, written by a worker under EXPORT_DIR
to a hidden partial name and renamed when complete (a file that is there is whole), downloaded by those
the streamed export allows, and deleted EXPORT_RETENTION_HOURS after it was made."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from annotator.accounts.models import REVIEW_ROLES, User
from annotator.accounts.services import require_role
from annotator.articles.models import Project
from annotator.exports.services import DEFAULT_STATUS, clean_filters, export_dataset, export_format
from annotator.jobs import services as jobs
from annotator.jobs.models import Job, JobKind, JobState


def start_export(
    *,
    actor: User,
    project: Project,
    format: str,
    status: str | None = DEFAULT_STATUS,
    kinds: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Job:
    """Reviewers and admins export the project's annotations to a file, as a job; bad filters are refused now."""
    require_role(actor, project, REVIEW_ROLES, to="export annotations")
    filters = clean_filters(export_format(format), status, kinds, since, until)
    params = {"format": format, "status": filters.status, "kinds": list(kinds or []), "since": since, "until": until}
    return jobs.start_job(kind=JobKind.EXPORT, project=project, actor=actor, params=params)


def export_dir(job: Job) -> Path:
    return Path(settings.EXPORT_DIR) / str(job.pk)


def run_export(job: Job) -> dict[str, Any]:
    """Write the export; the creator's role is checked again (it may have changed since the job was queued)."""
    params = job.params
    export = export_dataset(
        project=job.project,
        format=params["format"],
        status=params["status"],
        kinds=params.get("kinds") or None,
        since=params.get("since"),
        until=params.get("until"),
        actor=job.created_by,
    )
    folder = export_dir(job)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / export.filename
    partial = folder / f".{export.filename}.part"
    digest, size = hashlib.sha256(), 0
    try:
        with jobs.side_line(job) as line, partial.open("wb") as file:
            line.progress(done=0, total=export.counts["articles"])
            reported = time.monotonic()
            try:
                for chunk in export.chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    file.write(chunk)
                    if time.monotonic() - reported >= settings.EXPORT_PROGRESS_MS / 1000:
                        line.progress(done=export.chunks.streamed.articles)
                        reported = time.monotonic()
            finally:
                export.chunks.close()
            file.flush()
            os.fsync(file.fileno())
            line.progress(done=export.chunks.streamed.articles)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, final)
    expires = timezone.now() + dt.timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    return {
        "url": f"/api/v1/jobs/{job.pk}/download/",
        "filename": export.filename,
        "content_type": export.content_type,
        "size": size,
        "sha256": digest.hexdigest(),
        "counts": export.chunks.streamed.as_dict(),
        "expires_at": expires.isoformat(),
    }


class ExportGone(Exception):
    """The export's file was deleted at the end of its retention period."""


def export_file(*, actor: User, job: Job) -> tuple[Path, dict[str, Any]]:
    """The finished export's file, for those the streamed export allows (reviewers and admins of its project).
    A file past its retention period is deleted now (ExportGone)."""
    require_role(actor, job.project, REVIEW_ROLES, to="download exports")
    if job.kind != JobKind.EXPORT:
        raise PermissionDenied("This job is not an export; it has no file to download.")
    if job.state != JobState.SUCCEEDED or not job.result:
        raise ExportGone(f"The export is {job.state}: it has no file (yet).")
    if job.result.get("deleted") or _expired(job):
        _delete_files(job)
        raise ExportGone(
            f"The file was deleted after its retention period ({settings.EXPORT_RETENTION_HOURS} h); "
            "start a new export."
        )
    path = export_dir(job) / job.result["filename"]
    if not path.is_file():
        raise ExportGone("The file is missing from the export folder; start a new export.")
    return path, job.result


def _retention_cutoff() -> dt.datetime:
    """Export files of jobs finished before this are past their retention period."""
    return timezone.now() - dt.timedelta(hours=settings.EXPORT_RETENTION_HOURS)


def _expired(job: Job) -> bool:
    return job.finished_at is not None and job.finished_at < _retention_cutoff()


@transaction.atomic
def _delete_files(job: Job) -> None:
    shutil.rmtree(export_dir(job), ignore_errors=True)
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if locked.result and not locked.result.get("deleted"):
        locked.result = {**locked.result, "deleted": True}
        locked.save(update_fields=["result"])


def delete_expired_exports() -> int:
    """Delete the files of exports past EXPORT_RETENTION_HOURS, and the leftovers of failed or cancelled ones;
    the job rows stay (their result says the file was deleted)."""
    not_deleted = Q(result__isnull=True) | ~Q(result__has_key="deleted")
    old = Job.objects.filter(not_deleted, kind=JobKind.EXPORT, finished_at__lt=_retention_cutoff())
    deleted = 0
    for job in old.iterator():
        if job.state == JobState.SUCCEEDED:
            _delete_files(job)
            deleted += 1
        else:
            shutil.rmtree(export_dir(job), ignore_errors=True)
    return deleted
