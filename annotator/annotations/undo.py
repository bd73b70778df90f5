"""Undoing an action that changed many annotations at once (accept all, approve all, adjudicate).

Its actor may undo it for RESTORE_WINDOW, as a delete may be undone: every annotation it changed goes back to
exactly its state before (the status, the decision removed; an accepted suggestion pending again and its copy
gone), each with a history entry. If anything it changed has changed since, nothing is undone.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from annotator.accounts.models import User
from annotator.accounts.services import require_role
from annotator.annotations.models import Action, Annotation, AnnotationEvent, BulkAction, BulkKind, Review, Status
from annotator.annotations.services import ALL_ROLES, RESTORE_WINDOW, Conflict, history_event
from annotator.database import atomic_retried
from annotator.suggestions.figures import figures_changed
from annotator.suggestions.models import SuggestionOutcome

CHANGED_SINCE = "Nothing was undone: {what} changed since ({why}). Decide on it again instead."


def _changed(what: str, why: str) -> Conflict:
    return Conflict(CHANGED_SINCE.format(what=what, why=why), None)


def undo_refusal(actor: User, action: BulkAction) -> str | None:
    """Why the actor may not undo the action now, or None when they may."""
    if action.actor_id != actor.pk:
        return "Only the person who did it may undo it."
    if action.undone_at is not None:
        return "This was undone already."
    if timezone.now() - action.at > RESTORE_WINDOW:
        return "This is too old to undo; decide on the annotations one by one."
    return None


@atomic_retried
def undo_bulk_action(*, actor: User, action: BulkAction | int) -> BulkAction:
    """Undo one of the actor's recent bulk actions: all of it, or nothing if anything it changed has changed."""
    pk = action.pk if isinstance(action, BulkAction) else action
    action = BulkAction.objects.select_for_update(of=("self",)).select_related("article__project").get(pk=pk)
    require_role(actor, action.article.project, ALL_ROLES, to="undo")
    refusal = undo_refusal(actor, action)
    if refusal:
        raise (PermissionDenied if action.actor_id != actor.pk else ValidationError)(refusal)
    ids = sorted(entry["annotation"] for entry in action.entries)
    # Locked in id order, as every bulk decision is, so that an undo and a decision cannot deadlock.
    locked = {a.pk: a for a in Annotation.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")}
    now = timezone.now()
    if action.kind == BulkKind.ACCEPT_ALL:
        _undo_accepted(actor, action, locked, now)
    else:
        _undo_decisions(actor, action, locked, now)
    action.undone_at = now
    action.save(update_fields=["undone_at"])
    return action


def _undo_decisions(actor: User, action: BulkAction, locked: dict[int, Annotation], now) -> None:
    events = []
    for entry in action.entries:
        annotation = locked.get(entry["annotation"])
        if annotation is None:
            raise _changed(f"annotation {entry['annotation']}", "it was deleted")
        if annotation.version != entry["version"]:
            raise _changed(f"annotation {annotation.pk}", f"it is {annotation.status}, version {annotation.version}")
        before = annotation.status
        annotation.status = entry["status"]
        annotation.version += 1
        annotation.updated_at = now
        events.append(
            history_event(
                annotation,
                actor,
                Action.UNDONE,
                changes={"status": [before, annotation.status]},
                comment=f"undo of “{action.get_kind_display()}”",
            )
        )
    Review.objects.filter(pk__in=[entry["review"] for entry in action.entries]).delete()
    Annotation.objects.bulk_update(list(locked.values()), ["status", "version", "updated_at"])
    AnnotationEvent.objects.bulk_create(events)


def _undo_accepted(actor: User, action: BulkAction, locked: dict[int, Annotation], now) -> None:
    outcomes = {
        o.annotation_id: o
        for o in SuggestionOutcome.objects.select_for_update(of=("self",)).filter(
            user=actor, annotation_id__in=list(locked)
        )
    }
    for entry in action.entries:
        copy = locked.get(entry["annotation"])
        if copy is None:
            raise _changed(f"the accepted {entry.get('kind', 'suggestion')}", "you deleted it")
        if copy.version != entry["version"] or copy.status != Status.DRAFT:
            raise _changed(f"annotation {copy.pk}", f"it is {copy.status}, version {copy.version}")
        outcome = outcomes.get(copy.pk)
        if outcome is None or outcome.suggestion_id != entry["suggestion"]:
            raise _changed(f"suggestion {entry['suggestion']}", "it was withdrawn")
    events = []
    for copy in locked.values():
        copy.updated_at = now
        events.append(history_event(copy, actor, Action.DELETED, comment=f"undo of “{action.get_kind_display()}”"))
    AnnotationEvent.objects.bulk_create(events)
    SuggestionOutcome.objects.filter(pk__in=[o.pk for o in outcomes.values()]).delete()
    Annotation.objects.filter(pk__in=list(locked)).delete()
    figures_changed(action.article.project_id)
