"""Decisions on many annotations at once: approve what one member left waiting, and adjudicate rival versions
of one unit. Both are undoable for a while (annotations.undo)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from annotator.accounts.models import REVIEW_ROLES, User
from annotator.accounts.services import require_role
from annotator.annotations.clusters import are_rivals, same_version
from annotator.annotations.models import Annotation, BulkAction, BulkKind, Decision, Review, Status
from annotator.annotations.services import decide_locked, named_annotations, review_annotations
from annotator.articles.models import Article
from annotator.database import atomic_retried


@dataclass(frozen=True)
class Decided:
    """What a bulk decision did: the reviews it made, and the BulkAction that undoes them (annotations.undo)."""

    reviews: list[Review]
    action: BulkAction


def waiting_of(article: Article, author: int | None) -> tuple[User, QuerySet]:
    """A member of the article's project and their annotations on it that wait for review, in text order (what
    "Approve all" approves, and what its confirmation lists); 404 for anyone who is not a member."""
    member = (
        User.objects.filter(pk=author, memberships__project=article.project).first() if author is not None else None
    )
    if member is None:
        raise Http404("No member of this project has that id.")
    waiting = Annotation.objects.filter(article=article, author=member, status=Status.SUBMITTED)
    return member, waiting.order_by("start", "pk")


@atomic_retried
def approve_remaining(*, actor: User, article: Article, author: int | None, ids: list[int] | None = None) -> Decided:
    """Approve every annotation of one member on the article that still waits for review (or those of them that
    `ids` name: the ones a confirmation listed); undoable (annotations.undo)."""
    require_role(actor, article.project, REVIEW_ROLES, to="review annotations")
    member, waiting = waiting_of(article, author)
    if ids is not None:
        waiting = waiting.filter(pk__in=ids)
    ids = list(waiting.values_list("pk", flat=True))
    if not ids:
        raise ValidationError({"author": f"{member.username} has no annotation waiting for review here"})
    reviews = review_annotations(actor=actor, article=article, ids=ids, decision=Decision.APPROVE)
    before = dict.fromkeys(ids, Status.SUBMITTED)
    return Decided(reviews, BulkAction.of_reviews(actor, article, BulkKind.APPROVE_REMAINING, reviews, before))


ADJUDICATED = "Another annotator's version of this span was approved."


@atomic_retried
def adjudicate(
    *, actor: User, article: Article, chosen: int, rivals: list[int], copies: list[int] = (), comment: str = ""
) -> Decided:
    """When annotators disagree: approve one version (`chosen` and its identical `copies` by other authors) and
    reject the rivals named, in one undoable decision. Only rivals of the chosen version may be named
    (clusters.are_rivals): a nested span is a unit of its own, an identical one the same version."""
    require_role(actor, article.project, REVIEW_ROLES, to="review annotations")
    named = named_annotations(actor, article, [chosen, *rivals, *copies])
    approval = next(a for a in named if a.pk == chosen)
    refused = [a.pk for a in named if a.pk in rivals and not are_rivals(approval, a)]
    refused += [a.pk for a in named if a.pk in copies and a.pk not in rivals and not same_version(approval, a)]
    if refused:
        raise ValidationError(
            {"rivals": f"annotation {', '.join(map(str, refused))} is no rival version of annotation {chosen}"}
        )
    comment = (comment or "").strip() or ADJUDICATED
    approved = [a for a in named if a.pk == chosen or a.pk in copies]
    reviews = [decide_locked(actor, a, Decision.APPROVE, "", None) for a in approved]
    reviews += [decide_locked(actor, a, Decision.REJECT, comment, None) for a in named if a not in approved]
    before = {a.pk: Status.SUBMITTED for a in named}
    return Decided(reviews, BulkAction.of_reviews(actor, article, BulkKind.ADJUDICATE, reviews, before))
