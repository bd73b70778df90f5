"""The work queue: which article an annotator gets next, so that each article is done by k people."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from annotator.accounts.models import Membership, Role, User
from annotator.accounts.services import require_role
from annotator.annotations.models import Assignment, AssignmentStatus
from annotator.articles.models import Article, Project

ALL_ROLES = frozenset(Role)
LOCKED_RETRIES = 1000
LOCKED_PAUSE = 0.01  # seconds

# Assignments that count towards k: all but those left in progress past the timeout by a user who
# has not annotated the article.
ACTIVE_ASSIGNMENTS = """
SELECT count(*) FROM annotations_assignment s
WHERE s.article_id = a.id
  AND NOT (
    s.status = 'in_progress' AND s.started_at < %(stale_before)s
    AND NOT EXISTS (SELECT 1 FROM annotations_annotation n WHERE n.article_id = a.id AND n.author_id = s.user_id)
  )
"""
CANDIDATES = f"""
SELECT a.id FROM articles_article a
WHERE a.project_id = %(project)s
  AND a.id <> ALL(%(passed)s)
  AND NOT EXISTS (SELECT 1 FROM annotations_assignment s WHERE s.article_id = a.id AND s.user_id = %(user)s)
  AND ({ACTIVE_ASSIGNMENTS}) < %(k)s
ORDER BY a.id
LIMIT 1
"""  # noqa: S608 constant SQL; the values are parameters
# The candidate is locked (SKIP LOCKED: people asking at once take different articles), then its
# assignments are counted again in a statement of their own: its snapshot is taken after the lock, so
# it sees every hand-out committed before, and no article is handed out more than k times.
LOCK_CANDIDATE = CANDIDATES + "FOR UPDATE OF a SKIP LOCKED"
RECOUNT = f"SELECT ({ACTIVE_ASSIGNMENTS}) FROM articles_article a WHERE a.id = %(article)s"  # noqa: S608


def queue_timeout() -> dt.timedelta:
    return dt.timedelta(hours=settings.QUEUE_TIMEOUT_HOURS)


def held_article(*, user: User, project: Project) -> Article | None:
    """The article of the project I hold: taken (or handed to me) and not submitted, the oldest if several."""
    mine = (
        Assignment.objects.filter(user=user, article__project=project, status=AssignmentStatus.IN_PROGRESS)
        .order_by("started_at", "article_id")
        .select_related("article__project")
        .first()
    )
    return mine.article if mine is not None else None


def others_waiting(*, user: User, project: Project) -> bool:
    """Whether the queue has an article for the user besides the one they hold (nothing is taken)."""
    params = {
        "project": project.pk,
        "user": user.pk,
        "k": project.annotators_per_article,
        "stale_before": timezone.now() - queue_timeout(),
        "passed": [],
    }
    with connection.cursor() as cursor:
        cursor.execute(CANDIDATES, params)
        return cursor.fetchone() is not None


@transaction.atomic
def next_article(*, actor: User, project: Project) -> Article | None:
    """The article I should do next: the one I hold, else the oldest article that fewer than k annotators have
    taken and I have not, which is then mine; None when nothing is left."""
    require_role(actor, project, ALL_ROLES, to="take articles from the queue")
    mine = held_article(user=actor, project=project)
    if mine is not None:
        return mine
    now = timezone.now()
    params = {
        "project": project.pk,
        "user": actor.pk,
        "k": project.annotators_per_article,
        "stale_before": now - queue_timeout(),
    }
    params["passed"] = []
    with connection.cursor() as cursor:
        for _ in range(LOCKED_RETRIES):
            cursor.execute(LOCK_CANDIDATE, params)
            row = cursor.fetchone()
            if row is not None:
                cursor.execute(RECOUNT, params | {"article": row[0]})
                if cursor.fetchone()[0] < params["k"]:
                    break
                params["passed"].append(row[0])  # filled up meanwhile: look further
                continue
            # Every candidate may be locked by people served this very moment: once they are, look again
            # (each statement sees what they committed), unless nothing is left even counting those.
            cursor.execute(CANDIDATES, params)
            if cursor.fetchone() is None:
                return None
            time.sleep(LOCKED_PAUSE)
        else:
            return None
    Assignment.objects.create(article_id=row[0], user=actor, status=AssignmentStatus.IN_PROGRESS, started_at=now)
    return Article.objects.select_related("project").get(pk=row[0])


@transaction.atomic
def assign_article(*, actor: User | None, article: Article, username: str) -> Assignment:
    """Project admins hand an article to a member, named by username (beyond k if they choose to); it is then
    the next article the member's queue gives. Handing it again to someone who has it changes nothing."""
    if actor is not None:
        require_role(actor, article.project, {Role.ADMIN}, to="assign articles")
    user = User.objects.filter(username=username).first()
    if user is None or Membership.objects.role_of(user, article.project) is None:
        raise ValidationError({"username": f"{username!r} is not a member of the project {article.project.name!r}"})
    assignment, created = Assignment.objects.get_or_create(
        article=article, user=user, defaults={"status": AssignmentStatus.IN_PROGRESS, "started_at": timezone.now()}
    )
    if not created and assignment.status == AssignmentStatus.SUBMITTED:
        raise ValidationError({"username": f"{user.username} has submitted this article already"})
    return assignment
