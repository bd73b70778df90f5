"""A project's work in numbers, counted by PostgreSQL: progress, annotations, annotators, days.

Progress of an article, with k the project's annotators per article:
    reviewed      k or more annotators have submitted it and none of its annotations waits for review
    submitted     k or more annotators have submitted it and some annotation waits for review
    in progress   someone has begun it (taken it from the queue or tagged it), fewer than k submitted
    not started   nobody has begun it
Annotations are counted by kind and status; pending suggestions (no author yet) are not anyone's work
and are left out. An annotator's throughput counts their submitted, approved and rejected annotations
by the day of their (latest) submission; their rejection rate is rejected ÷ (approved + rejected) of
their annotations as they stand now (a rejected annotation that was corrected and approved counts as
approved). Days are calendar days in the server's time zone (TIME_ZONE).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from annotator.accounts.models import User
from annotator.annotations.labels import Kind
from annotator.annotations.models import Annotation, Assignment, AssignmentStatus, ProjectRevision, Status
from annotator.articles.models import Article, Project

# Changes outside the annotation services (an import, a queue hand-out) do not move the revision:
# the counts are recomputed at least this often all the same.
CACHE_SECONDS = 60


class ArticleState(models.TextChoices):
    NOT_STARTED = "not_started", "not started"
    IN_PROGRESS = "in_progress", "in progress"
    SUBMITTED = "submitted", "submitted"
    REVIEWED = "reviewed", "reviewed"


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    articles: int


@dataclass(frozen=True)
class KindStatusCount:
    kind: str
    draft: int
    submitted: int
    approved: int
    rejected: int

    @property
    def total(self) -> int:
        return self.draft + self.submitted + self.approved + self.rejected


@dataclass(frozen=True)
class AnnotatorThroughput:
    annotator: str
    submitted: int  # submitted, approved or rejected: everything they handed in
    waiting: int
    approved: int
    rejected: int
    drafts: int
    active_days: int
    first_day: dt.date | None
    last_day: dt.date | None

    @property
    def per_active_day(self) -> float | None:
        return self.submitted / self.active_days if self.active_days else None

    @property
    def rejection_rate(self) -> float | None:
        decided = self.approved + self.rejected
        return self.rejected / decided if decided else None


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    annotations: int


@dataclass(frozen=True)
class AnnotatorDayCount:
    annotator: str
    day: dt.date
    annotations: int


@dataclass(frozen=True)
class ProjectStats:
    revision: int
    computed_at: dt.datetime
    articles: int
    annotators_per_article: int
    progress: list[StateCount]
    by_kind: list[KindStatusCount]
    per_annotator: list[AnnotatorThroughput]
    per_day: list[DayCount]
    per_annotator_day: list[AnnotatorDayCount]


def article_progress(project: Project) -> list[StateCount]:
    """How many of the project's articles are in each state (one query)."""
    k = project.annotators_per_article
    submitted = (
        Assignment.objects.filter(article=OuterRef("pk"), status=AssignmentStatus.SUBMITTED)
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    begun = Exists(Assignment.objects.filter(article=OuterRef("pk"))) | Exists(
        Annotation.objects.filter(article=OuterRef("pk"), author__isnull=False)
    )
    waiting = Exists(Annotation.objects.filter(article=OuterRef("pk"), status=Status.SUBMITTED))
    state = Case(
        When(Q(submitted__gte=k) & waiting, then=Value(ArticleState.SUBMITTED)),
        When(submitted__gte=k, then=Value(ArticleState.REVIEWED)),
        When(begun, then=Value(ArticleState.IN_PROGRESS)),
        default=Value(ArticleState.NOT_STARTED),
        output_field=models.CharField(),
    )
    counts = dict(
        Article.objects.filter(project=project)
        .alias(submitted=Coalesce(Subquery(submitted), 0))
        .annotate(state=state)
        .order_by()
        .values("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return [StateCount(state.value, state.label, counts.get(state.value, 0)) for state in ArticleState]


def compute_stats(project: Project, *, revision: int = 0) -> ProjectStats:
    """The project's counts, computed now (three queries)."""
    progress = article_progress(project)
    rows = (
        Annotation.objects.filter(article__project=project, author__isnull=False)
        .annotate(day=Case(When(~Q(status=Status.DRAFT), then=TruncDate("submitted_at"))))
        .order_by()
        .values_list("author_id", "kind", "status", "day")
        .annotate(n=Count("pk"))
    )
    by_kind: dict[str, Counter[str]] = {kind: Counter() for kind in Kind.values}
    by_author: dict[int, Counter[str]] = defaultdict(Counter)
    per_author_day: dict[int, Counter[dt.date]] = defaultdict(Counter)
    for author, kind, status, day, n in rows:
        by_kind[kind][status] += n
        by_author[author][status] += n
        if day is not None:
            per_author_day[author][day] += n
    names = dict(User.objects.filter(pk__in=by_author).values_list("pk", "username")) if by_author else {}
    days = {names[author]: counts for author, counts in per_author_day.items()}
    per_annotator = []
    for author, username in sorted(names.items(), key=lambda item: item[1]):
        counts, active = by_author[author], days.get(username, Counter())
        per_annotator.append(
            AnnotatorThroughput(
                annotator=username,
                submitted=counts[Status.SUBMITTED] + counts[Status.APPROVED] + counts[Status.REJECTED],
                waiting=counts[Status.SUBMITTED],
                approved=counts[Status.APPROVED],
                rejected=counts[Status.REJECTED],
                drafts=counts[Status.DRAFT],
                active_days=len(active),
                first_day=min(active, default=None),
                last_day=max(active, default=None),
            )
        )
    total_per_day: Counter[dt.date] = Counter()
    for active in days.values():
        total_per_day.update(active)
    return ProjectStats(
        revision=revision,
        computed_at=timezone.now(),
        articles=sum(p.articles for p in progress),
        annotators_per_article=project.annotators_per_article,
        progress=progress,
        by_kind=[KindStatusCount(kind, *(by_kind[kind][s] for s in Status.values)) for kind in Kind.values],
        per_annotator=per_annotator,
        per_day=[DayCount(day, total_per_day[day]) for day in sorted(total_per_day)],
        per_annotator_day=[
            AnnotatorDayCount(username, day, n)
            for username in sorted(days)
            for day, n in sorted(days[username].items())
        ],
    )


def project_stats(project: Project) -> ProjectStats:
    """The project's counts, computed once per revision (and at least every CACHE_SECONDS), then cached."""
    revision = ProjectRevision.objects.number_of(project)
    key = f"stats:{project.pk}"
    cached = cache.get(key)
    if cached is not None and cached.revision == revision:
        return cached
    stats = compute_stats(project, revision=revision)
    cache.set(key, stats, CACHE_SECONDS)
    return stats
