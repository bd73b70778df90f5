"""The annotation workflow: create, edit, delete, submit, review. Every interface calls these."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from annotator.accounts.models import REVIEW_ROLES, Role, User
from annotator.accounts.services import require_role
from annotator.annotations.creating import record_created, require_same_body
from annotator.annotations.kinds import Kind
from annotator.annotations.labels import clean_attributes, clean_label_config
from annotator.annotations.models import (
    Action,
    Anchor,
    Annotation,
    AnnotationEvent,
    Assignment,
    AssignmentStatus,
    Decision,
    Origin,
    Review,
    Status,
)
from annotator.annotations.parts import UNSET, clean_span_and_parts, edited_span
from annotator.articles.models import Article
from annotator.database import atomic_retried
from annotator.suggestions.resolution import resolution_note, resolve_suggestions
from annotator.values import clean_text

ALL_ROLES = frozenset(Role)


class ItemErrors(ValidationError):
    """Several items of one request were refused: their errors by index, nothing stored."""

    def __init__(self, errors: dict[int, dict[str, list[str]]]):
        self.item_errors = errors
        first = next(iter(errors.items()))
        super().__init__(f"{len(errors)} item(s) refused, nothing stored; item {first[0]}: {first[1]}")


class Conflict(Exception):
    """The annotation changed since the caller read it; `current` is its state now."""

    def __init__(self, message: str, current: Annotation | None):
        super().__init__(message)
        self.current = current


class StaleVersion(Conflict):
    """The caller's version of the annotation is not the stored one (HTTP's failed If-Match)."""


def history_event(
    annotation: Annotation, actor: User | None, action: str, *, changes=None, comment=""
) -> AnnotationEvent:
    """The history entry for what was just done to the annotation (not yet saved)."""
    return AnnotationEvent(
        annotation_id=annotation.pk,
        article_id=annotation.article_id,
        actor=actor,
        action=action,
        at=annotation.updated_at,
        changes=changes or {},
        state=annotation.snapshot(),
        comment=comment,
    )


def _record(annotation: Annotation, actor: User | None, action: str, *, changes=None, comment="") -> None:
    history_event(annotation, actor, action, changes=changes, comment=comment).save()


def set_assignment(article: Article, user: User, status: str, at) -> None:
    """Mark the user's work on the article in progress or submitted (one upsert)."""
    Assignment.objects.bulk_create(
        [
            Assignment(
                article=article,
                user=user,
                status=status,
                started_at=at,
                submitted_at=at if status == AssignmentStatus.SUBMITTED else None,
            )
        ],
        update_conflicts=True,
        unique_fields=["article", "user"],
        update_fields=["status", "submitted_at"],
    )


@atomic_retried
def create_annotation(
    *,
    actor: User,
    article: Article,
    kind: str,
    start: int | None = None,
    end: int | None = None,
    text: str | None = None,
    attributes: dict | None = None,
    parts: list | None = None,
) -> Annotation:
    """Any member tags an article; the annotation is the actor's draft. A quote may come in `parts` (parts.py)."""
    project = article.project
    require_role(actor, project, ALL_ROLES, to="annotate")
    now = timezone.now()
    annotation = checked_annotation(
        actor, article, project.label_config, now, kind, start, end, text, attributes, parts=parts
    )
    annotation.save(force_insert=True)
    resolve_suggestions(actor=actor, annotations=[annotation], now=now)
    record_created(
        article, actor, now, [history_event(annotation, actor, Action.CREATED, comment=resolution_note(annotation))]
    )
    return annotation


def checked_annotation(
    actor, article, label_config, now, kind, start, end, text, attributes, *, parts=None
) -> Annotation:
    """A new human annotation, its kind, span, parts and attributes checked (not saved yet)."""
    if kind not in Kind.values:
        raise ValidationError({"kind": f"{kind!r} is not a kind; the kinds are {', '.join(Kind.values)}"})
    start, end, text, parts = clean_span_and_parts(article.body, kind, start, end, text, parts)
    attributes = clean_attributes(kind, attributes or {}, label_config=label_config, body_length=len(article.body))
    fields = {"kind": kind, "start": start, "end": end, "text": text, "attributes": attributes, "parts": parts}
    return Annotation(article=article, **fields, author=actor, origin=Origin.HUMAN, created_at=now, updated_at=now)


BULK_LIMIT = 500


@atomic_retried
def create_annotations(*, actor: User, article: Article, items: list[dict]) -> list[Annotation]:
    """Many annotations on one article in one go: all stored, or none (errors by index)."""
    project = article.project
    require_role(actor, project, ALL_ROLES, to="annotate")
    if not items:
        raise ValidationError({"items": "send at least one annotation"})
    if len(items) > BULK_LIMIT:
        raise ValidationError({"items": f"{len(items)} annotations in one request; the limit is {BULK_LIMIT}"})
    config = clean_label_config(project.label_config)
    now = timezone.now()
    rows, errors = [], {}
    for index, item in enumerate(items):
        try:
            rows.append(
                checked_annotation(
                    actor,
                    article,
                    config,
                    now,
                    item.get("kind"),
                    item.get("start"),
                    item.get("end"),
                    item.get("text"),
                    item.get("attributes"),
                    parts=item.get("parts"),
                )
            )
        except ValidationError as exc:
            errors[index] = exc.message_dict
    if errors:
        raise ItemErrors(errors)
    created = Annotation.objects.bulk_create(rows)
    resolve_suggestions(actor=actor, annotations=created, now=now)
    record_created(
        article, actor, now, [history_event(a, actor, Action.CREATED, comment=resolution_note(a)) for a in created]
    )
    return created


def _lock(annotation: Annotation | int) -> Annotation:
    """The annotation's row, locked; only its row: FOR UPDATE over the join would lock its article and project
    too, and every write on the article (its foreign-key checks) would wait for this one, or deadlock with it."""
    pk = annotation.pk if isinstance(annotation, Annotation) else annotation
    # With orphans: an orphaned annotation (its text gone in a revision) is still deleted or placed again.
    locked = (
        Annotation.with_orphans.select_for_update(of=("self",)).select_related("article__project").filter(pk=pk).first()
    )
    if locked is None:
        raise Conflict("This annotation was deleted by someone else.", None)
    return locked


def _check_version(annotation: Annotation, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != annotation.version:
        raise StaleVersion(
            f"This annotation was changed by someone else (now version {annotation.version}, "
            f"you had version {expected_version}).",
            annotation,
        )


def edit_refusal(user: User, role: Role | None, annotation: Annotation) -> str | None:
    """Why the user may not edit or delete the annotation, or None when they may.

    Authors edit their own annotations until approved; reviewers and admins edit any.
    """
    if role is None:
        return "You are not a member of this project."
    if role in REVIEW_ROLES:
        return None
    if annotation.author_id != user.pk:
        return "Only the author or a reviewer may change this annotation."
    if annotation.status == Status.APPROVED:
        return "This annotation is approved and locked; ask a reviewer to change it."
    return None


def _require_editor(actor: User, annotation: Annotation, *, to: str) -> Role:
    role = require_role(actor, annotation.article.project, ALL_ROLES, to=to)
    refusal = edit_refusal(actor, role, annotation)
    if refusal:
        raise PermissionDenied(refusal)
    return role


REOPENED = "changed after its approval: back to review"


@atomic_retried
def update_annotation(
    *,
    actor: User,
    annotation: Annotation | int,
    expected_version: int | None = None,
    start: int | None = UNSET,
    end: int | None = UNSET,
    text: str | None = UNSET,
    attributes: dict | None = UNSET,
    parts: list | None = UNSET,
) -> Annotation:
    """Change the span, parts or attributes. A new start or end without parts moves a quote's first part's start or
    last part's end (parts.moved_hull); parts null make a quote in parts an ordinary span. A changed approved
    annotation goes back to review, whoever changes it; otherwise an author's edit (a reviewer's own annotation
    included) returns a submitted or rejected one to draft, and a reviewer's edit of someone else's keeps the
    status and is recorded as the reviewer's."""
    annotation = _lock(annotation)
    _check_version(annotation, expected_version)
    _require_editor(actor, annotation, to="edit this annotation")
    body = annotation.article.body
    before = annotation.snapshot()
    span_given = start is not UNSET or end is not UNSET or text is not UNSET or parts is not UNSET
    if span_given:
        annotation.start, annotation.end, annotation.text, annotation.parts = edited_span(
            annotation, start, end, text, parts
        )
        # A span given anew is where the person wants it: whatever a revision did to it is settled.
        annotation.anchor = Anchor.EXACT
        annotation.old_start = annotation.old_end = annotation.old_revision = None
    if attributes is not UNSET:
        annotation.attributes = clean_attributes(
            annotation.kind,
            attributes or {},
            label_config=annotation.article.project.label_config,
            body_length=len(body),
        )
    if annotation.author_id == actor.pk and annotation.status in (Status.SUBMITTED, Status.REJECTED):
        annotation.status = Status.DRAFT
    changes = {k: [before[k], v] for k, v in annotation.snapshot().items() if before[k] != v and k != "version"}
    if not changes:
        return annotation
    annotation.version += 1
    annotation.updated_at = timezone.now()
    comment = ""
    if annotation.status == Status.APPROVED:
        # The approving reviewer saw the content before this change, not after it.
        annotation.status = Status.SUBMITTED
        annotation.submitted_at = annotation.updated_at
        changes["status"] = [Status.APPROVED, Status.SUBMITTED]
        comment = REOPENED
    annotation.save()
    if span_given:
        require_same_body(annotation.article)
    _record(annotation, actor, Action.EDITED, changes=changes, comment=comment)
    return annotation


@atomic_retried
def delete_annotation(*, actor: User, annotation: Annotation | int, expected_version: int | None = None) -> None:
    """Authors delete their own until approved; reviewers and admins delete any. The history stays."""
    annotation = _lock(annotation)
    _check_version(annotation, expected_version)
    _require_editor(actor, annotation, to="delete this annotation")
    annotation.updated_at = timezone.now()
    _record(annotation, actor, Action.DELETED)
    annotation.delete()


@atomic_retried
def submit_article(*, actor: User, article: Article) -> int:
    """Submit the actor's draft annotations of the article for review; returns how many."""
    require_role(actor, article.project, ALL_ROLES, to="submit annotations")
    drafts = list(
        Annotation.objects.select_for_update().filter(article=article, author=actor, status=Status.DRAFT).order_by("id")
    )
    now = timezone.now()
    events = []
    for annotation in drafts:
        annotation.status = Status.SUBMITTED
        annotation.submitted_at = now
        annotation.updated_at = now
        annotation.version += 1
        events.append(
            history_event(annotation, actor, Action.SUBMITTED, changes={"status": [Status.DRAFT, Status.SUBMITTED]})
        )
    Annotation.objects.bulk_update(drafts, ["status", "submitted_at", "updated_at", "version"])
    AnnotationEvent.objects.bulk_create(events)
    set_assignment(article, actor, AssignmentStatus.SUBMITTED, now)
    return len(drafts)


def _clean_decision(decision: str, comment: str) -> str:
    if decision not in Decision.values:
        raise ValidationError({"decision": f"{decision!r} is not a decision; use approve or reject"})
    comment = clean_text(comment or "", "comment").strip()
    if decision == Decision.REJECT and not comment:
        raise ValidationError({"comment": "a rejection needs a comment that tells the author what to fix"})
    return comment


def decide_locked(
    actor: User, annotation: Annotation, decision: str, comment: str, expected_version: int | None
) -> Review:
    """Record one decision on a locked annotation (the caller checked the role and cleaned the comment)."""
    if annotation.author_id == actor.pk:
        raise PermissionDenied("Reviewers may not review their own annotations.")
    if annotation.status != Status.SUBMITTED:
        last = annotation.reviews.select_related("reviewer").order_by("-created_at").first()
        if annotation.status in (Status.APPROVED, Status.REJECTED) and last is not None:
            message = f"This annotation was already {annotation.status} by {last.reviewer.username}."
        else:
            message = f"Only submitted annotations are reviewed; this one is {annotation.status}."
        raise Conflict(message, annotation)
    _check_version(annotation, expected_version)
    if _sent_to_review_by_editing(annotation) == actor.pk:
        raise PermissionDenied(
            "You changed this annotation after its approval; another reviewer decides on your change."
        )
    return _record_decision(actor, annotation, decision, comment, timezone.now())


def _sent_to_review_by_editing(annotation: Annotation) -> int | None:
    """Who sent the annotation back to review by changing it after its approval, if that is how it got there."""
    last = (
        AnnotationEvent.objects.filter(annotation_id=annotation.pk, changes__status__1=Status.SUBMITTED)
        .order_by("-id")
        .values_list("action", "actor_id")
        .first()
    )
    return last[1] if last is not None and last[0] == Action.EDITED else None


def _record_decision(actor: User, annotation: Annotation, decision: str, comment: str, now) -> Review:
    """The review row, the annotation's new status and version, and the history entry of one decision."""
    review = Review.objects.create(
        annotation=annotation,
        reviewer=actor,
        decision=decision,
        comment=comment,
        annotation_version=annotation.version,
        created_at=now,
    )
    before = annotation.status
    annotation.status = Status.APPROVED if decision == Decision.APPROVE else Status.REJECTED
    annotation.version += 1
    annotation.updated_at = now
    if annotation.anchor == Anchor.CHANGED:
        annotation.anchor = Anchor.EXACT  # the reviewer looked at the text a revision changed
    annotation.save(update_fields=["status", "version", "updated_at", "submitted_at", "anchor"])
    action = Action.APPROVED if decision == Decision.APPROVE else Action.REJECTED
    _record(annotation, actor, action, changes={"status": [before, annotation.status]}, comment=comment)
    return review


@atomic_retried
def review_annotation(
    *,
    actor: User,
    annotation: Annotation | int,
    decision: str,
    comment: str = "",
    expected_version: int | None = None,
) -> Review:
    """Reviewers approve or reject a submitted annotation, never their own; a rejection needs a comment."""
    annotation = _lock(annotation)
    require_role(actor, annotation.article.project, REVIEW_ROLES, to="review annotations")
    comment = _clean_decision(decision, comment)
    review = decide_locked(actor, annotation, decision, comment, expected_version)
    return review


@atomic_retried
def review_annotations(
    *, actor: User, article: Article, ids: list[int], decision: str, comment: str = ""
) -> list[Review]:
    """Decide on several submitted annotations of one article at once: all of them, or none."""
    require_role(actor, article.project, REVIEW_ROLES, to="review annotations")
    comment = _clean_decision(decision, comment)
    if not ids:
        raise ValidationError({"ids": "name at least one annotation"})
    return [
        decide_locked(actor, annotation, decision, comment, None)
        for annotation in named_annotations(actor, article, ids)
    ]


def named_annotations(actor: User, article: Article, ids: list[int]) -> list[Annotation]:
    """The annotations of the article that the ids name, locked in id order; an id naming anything the actor
    may not see there is not found (so that nobody learns what exists elsewhere)."""
    wanted = sorted(set(ids))
    # Locked in id order, as every bulk decision does, so that two of them cannot deadlock.
    locked = list(
        Annotation.objects.visible_to(actor)
        .filter(article=article, pk__in=wanted)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if len(locked) != len(wanted):
        raise Http404("Not every annotation named is one of this article's.")
    return locked


@atomic_retried
def create_gold_annotation(
    *,
    actor: User,
    article: Article,
    kind: str,
    start: int | None,
    end: int | None,
    text: str | None = None,
    attributes: dict | None = None,
    parts: list | None = None,
) -> Annotation:
    """A reviewer's own annotation, approved at once: the gold version when annotators disagree."""
    require_role(actor, article.project, REVIEW_ROLES, to="create gold annotations")
    annotation = create_annotation(
        actor=actor, article=article, kind=kind, start=start, end=end, text=text, attributes=attributes, parts=parts
    )
    now = timezone.now()
    annotation.submitted_at = now
    _record_decision(actor, annotation, Decision.APPROVE, "gold annotation", now)
    return annotation


@atomic_retried
def edit_and_approve(
    *, actor: User, annotation: Annotation | int, expected_version: int | None = None, **changes
) -> Annotation:
    """A reviewer corrects a submitted annotation and approves it; the edit is recorded as the reviewer's."""
    annotation = _lock(annotation)
    require_role(actor, annotation.article.project, REVIEW_ROLES, to="review annotations")
    if annotation.status != Status.SUBMITTED:
        raise Conflict(f"Only submitted annotations are reviewed; this one is {annotation.status}.", annotation)
    annotation = update_annotation(actor=actor, annotation=annotation, expected_version=expected_version, **changes)
    decide_locked(actor, annotation, Decision.APPROVE, "", None)
    return annotation


RESTORE_WINDOW = dt.timedelta(minutes=5)


@atomic_retried
def restore_annotation(*, actor: User, event: AnnotationEvent) -> Annotation:
    """Undo a delete: whoever deleted an annotation may bring it back, as a draft, for a few minutes."""
    event = AnnotationEvent.objects.select_for_update(of=("self",)).select_related("article__project").get(pk=event.pk)
    require_role(actor, event.article.project, ALL_ROLES, to="restore annotations")
    if event.action != Action.DELETED or event.actor_id != actor.pk:
        raise PermissionDenied("Only the person who deleted an annotation may undo the delete.")
    if timezone.now() - event.at > RESTORE_WINDOW:
        raise ValidationError({"event": "The delete is too old to undo; create the annotation again."})
    restored_from = {"restored_from": [None, event.pk]}
    if AnnotationEvent.objects.filter(article_id=event.article_id, action=Action.CREATED, changes=restored_from):
        raise Conflict("This annotation was restored already.", None)
    state = event.state
    if state["start"] is None and state["text"] is not None:  # an orphan (anchoring.py) has no place to return to
        raise ValidationError({"event": "This annotation had lost its place in a revision; create it again."})
    now = timezone.now()
    fields = {name: state[name] for name in ("kind", "start", "end", "text", "attributes", "origin")}
    fields["parts"] = state.get("parts")  # history entries older than parts have none
    annotation = Annotation.objects.create(
        article=event.article, **fields, author_id=state["author"], created_at=now, updated_at=now
    )
    _record(annotation, actor, Action.CREATED, changes=restored_from, comment="undo of a delete")
    return annotation
