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

from django.core.cache import caches
from django.db import models
from django.utils import timezone

from annotator.accounts.models import User
from annotator.annotations.kinds import Kind
from annotator.annotations.models import Status
from annotator.articles.models import Article, Project
from annotator.reports import figures
from annotator.reports.figures import Share


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


def stats_of(share: Share, project: Project, *, revision: int) -> ProjectStats:
    """The counts of a project's share (figures.py): two queries, the articles and the annotators' names."""
    k = project.annotators_per_article
    states: Counter[str] = Counter()
    for (submitted, begun, waiting), n in share.progress.items():
        if submitted >= k:
            states[ArticleState.SUBMITTED if waiting else ArticleState.REVIEWED] += n
        elif begun:
            states[ArticleState.IN_PROGRESS] += n
    articles = Article.objects.filter(project=project).count()
    states[ArticleState.NOT_STARTED] = articles - sum(states.values())
    progress = [StateCount(state.value, state.label, states[state]) for state in ArticleState]
    by_kind: dict[str, Counter[str]] = {kind: Counter() for kind in Kind.values}
    by_author: dict[int, Counter[str]] = defaultdict(Counter)
    per_author_day: dict[int, Counter[dt.date]] = defaultdict(Counter)
    for (author, kind, status, day), n in share.counts.items():
        by_kind[kind][status] += n
        by_author[author][status] += n
        if day:
            per_author_day[author][dt.date.fromisoformat(day)] += n
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
        articles=articles,
        annotators_per_article=k,
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


def compute_stats(project: Project) -> ProjectStats:
    """The project's counts computed from every article now (what `project_stats` must equal)."""
    return stats_of(figures.compute(project), project, revision=0)


def project_stats(project: Project) -> ProjectStats:
    """The project's counts, from its stored share brought up to date (figures.py); the counts of one
    version of the share and of one k are cached."""
    key = f"stats:{project.pk}"
    cached = caches["figures"].get(key)
    fresh = cached is not None and cached.annotators_per_article == project.annotators_per_article
    now = figures.current(project, cached_version=cached.revision if fresh else None)
    if now.share is None:
        return cached
    stats = stats_of(now.share, project, revision=now.version)
    caches["figures"].set(key, stats, timeout=None)
    return stats
