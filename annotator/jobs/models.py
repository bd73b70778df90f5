"""A job: long work (an import, an export to a file, a suggestion run) that a worker process does in the
background. The queue itself is procrastinate's (its tables, its worker); this row is what people see:
state, progress, result, error, and whether someone asked to cancel it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class JobKind(models.TextChoices):
    IMPORT = "import", "Import a file"
    ARTICLE_LIST = "article_list", "Import a list of articles"
    SUGGEST = "suggest", "Suggestions for new articles"
    SUGGEST_PROJECT = "suggest_project", "Suggest again over the project"
    EXPORT = "export", "Export to a file"


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)
FINISHED_STATES = (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)


class JobQuerySet(models.QuerySet):
    def visible_to(self, user) -> JobQuerySet:
        """A job is seen by the members of its project (superusers see all); nobody else sees it."""
        from annotator.articles.models import Project

        return self.filter(project__in=Project.objects.visible_to(user))

    def active(self) -> JobQuerySet:
        return self.filter(state__in=ACTIVE_STATES)

    def preparing_suggestions_for(self, article_ids) -> JobQuerySet:
        """The suggestion jobs still to finish that cover any of these articles."""
        ids = [int(i) for i in article_ids]
        covers = Q()
        for article_id in ids:
            covers |= Q(params__article_ids__contains=[article_id])
        return self.active().filter(kind=JobKind.SUGGEST).filter(covers) if ids else self.none()


class Job(models.Model):
    kind = models.CharField(max_length=20, choices=JobKind.choices)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    project = models.ForeignKey("articles.Project", on_delete=models.CASCADE, related_name="jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)  # what the job works on (never a file's bytes)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)  # null until known
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)  # how many times a worker started it
    queue_job_id = models.BigIntegerField(null=True, blank=True)  # procrastinate's job id
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["project", "-id"], name="job_project_recent"),
            models.Index(fields=["kind"], name="job_active_kind", condition=Q(state__in=ACTIVE_STATES)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=JobState.values), name="job_state_known"),
            models.CheckConstraint(condition=Q(kind__in=JobKind.values), name="job_kind_known"),
            models.CheckConstraint(
                condition=Q(state__in=FINISHED_STATES, finished_at__isnull=False)
                | Q(state__in=ACTIVE_STATES, finished_at__isnull=True),
                name="job_finished_when_over",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def import_line(self) -> str:
        """An import's summary line (articles.services.summary_line) from what its result counts so far."""
        from annotator.articles.services import result_line

        return result_line(self.result or {})

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.state == JobState.SUCCEEDED else None
        return min(100, round(100 * self.done / self.total))


class JobInput(models.Model):
    """An uploaded file a job reads, kept in the database so that a worker on any host can read it; deleted
    when the job is over."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, primary_key=True, related_name="input")
    name = models.CharField(max_length=255)
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.name
