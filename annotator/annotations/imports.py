"""Annotations that come with articles (our own JSON Lines export, or another tool's): checked as
`create_annotation` checks them, then stored in bulk with their history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from annotator.accounts.models import REVIEW_ROLES, Role, User
from annotator.accounts.services import require_role
from annotator.annotations.kinds import KINDS, Kind, Type, span_attributes
from annotator.annotations.labels import clean_attributes, clean_label_config
from annotator.annotations.models import Action, Annotation, AnnotationEvent, Decision, Origin, Review, Status
from annotator.annotations.parts import clean_span_and_parts
from annotator.annotations.services import ALL_ROLES, history_event
from annotator.articles.models import Project
from annotator.values import clean_json

# The fields of an exported annotation besides its attributes (which the exports also write flat).
IMPORT_FIELDS = frozenset(
    {"id", "kind", "start", "end", "text", "parts", "status", "origin", "annotator", "reviewer", "attributes"}
    | {"created_at", "updated_at"}
    | {a.span_text for a in span_attributes()}
)
# What a checked item gives the stored annotation as it is.
STORED = ("kind", "start", "end", "text", "parts", "attributes", "status", "origin", "author_id")
DECIDED = (Status.APPROVED, Status.REJECTED)


@dataclass
class AnnotationImport:
    """How annotations read with an article are stored in a project.

    An admin's import (or the command line's) keeps each annotation's status and origin; its author is
    the project member named by `annotator`, else the importing admin. An approval or rejection is kept
    only when `reviewer` names a member who reviews and is not the author (nobody reviews their own
    annotation); it is recorded as imported, by whom, naming that reviewer. Otherwise the annotation is
    imported as submitted, and its history says why. Anyone else's import makes every annotation a suggestion.
    """

    project: Project
    actor: User | None
    keep_status: bool
    label_config: dict
    members: dict[str, tuple[int, str]]  # username: (user id, role)

    def _author(self, username: Any) -> int | None:
        member = self.members.get(username) if isinstance(username, str) else None
        if member is not None:
            return member[0]
        if self.actor is not None:
            return self.actor.pk
        raise ValidationError(
            {"annotator": f"{username!r} is not a member of this project; add them first, or import as a project admin"}
        )

    def clean(self, body: str, items: Any) -> list[dict[str, Any]]:
        """The annotations of one article, checked as create_annotation checks them; errors name the item."""
        if not isinstance(items, list | tuple):
            raise ValidationError({"annotations": "must be a list of annotation objects"})
        cleaned = []
        for number, item in enumerate(items, start=1):
            try:
                cleaned.append(self._clean_one(body, item))
            except ValidationError as exc:
                detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
                raise ValidationError({"annotations": f"annotation {number}: {detail}"}) from None
        return cleaned

    def _clean_one(self, body: str, item: Any) -> dict[str, Any]:
        if not isinstance(item, dict):
            raise ValidationError({"annotation": "must be a JSON object"})
        clean_json(item, "annotation")  # before any of its keys is named in a message
        kind = item.get("kind")
        if kind not in Kind.values:
            raise ValidationError({"kind": f"{kind!r} is not a kind; the kinds are {', '.join(Kind.values)}"})
        names = KINDS[kind].names
        unknown = sorted(set(item) - IMPORT_FIELDS - set(names))
        if unknown:
            raise ValidationError({"attributes": f"{', '.join(unknown)}: not a field of a {kind}"})
        start, end, text, parts = clean_span_and_parts(
            body, kind, item.get("start"), item.get("end"), item.get("text"), item.get("parts")
        )
        nested = item.get("attributes")
        raw = nested if isinstance(nested, dict) else {n: item[n] for n in names if n in item}
        attributes = clean_attributes(kind, raw, label_config=self.label_config, body_length=len(body))
        for span_attribute in KINDS[kind].of_type(Type.SPAN):
            span, text_name = attributes.get(span_attribute.name), span_attribute.span_text
            if item.get(text_name) is not None and (span is None or body[span[0] : span[1]] != item[text_name]):
                raise ValidationError({text_name: f"does not match the body at {span_attribute.name} {span}"})
        status = item.get("status") or Status.DRAFT
        origin = item.get("origin") or Origin.HUMAN
        if status not in Status.values:
            raise ValidationError({"status": f"{status!r} is not a status; use one of {', '.join(Status.values)}"})
        if origin not in Origin.values:
            raise ValidationError({"origin": f"{origin!r} is not an origin; use one of {', '.join(Origin.values)}"})
        row = {"kind": kind, "start": start, "end": end, "text": text, "parts": parts, "attributes": attributes}
        row |= {"reviewer_id": None, "reviewer": None, "note": ""}
        if not self.keep_status:
            return {**row, "status": Status.DRAFT, "origin": Origin.SUGGESTED, "author_id": None}
        row |= {"status": status, "origin": origin, "author_id": self._author(item.get("annotator"))}
        if status not in DECIDED:
            return row
        reviewer = item.get("reviewer") if isinstance(item.get("reviewer"), str) else None
        refusal = self._decision_refusal(reviewer, row["author_id"])
        if refusal:
            return row | {"status": Status.SUBMITTED, "note": f"its {status} status was not imported: {refusal}"}
        return row | {"reviewer_id": self.members[reviewer][0], "reviewer": reviewer}

    def _decision_refusal(self, reviewer: str | None, author_id: int) -> str | None:
        """Why the file's decision cannot stand as one of this project's, or None when it can."""
        member = self.members.get(reviewer) if reviewer else None
        if member is None or member[1] not in REVIEW_ROLES:
            return f"{reviewer} is not a reviewer of this project" if reviewer else "the file names no reviewer"
        if member[0] == author_id:
            return f"{reviewer} is also its annotator, and nobody reviews their own annotation"
        return None


def annotation_import(*, actor: User | None, project: Project) -> AnnotationImport:
    """The rules for importing annotations into the project (actor None: the command line)."""
    role = None if actor is None else require_role(actor, project, ALL_ROLES, to="import annotations")
    members = {
        username: (user_id, member_role)
        for username, user_id, member_role in project.memberships.values_list("user__username", "user_id", "role")
    }
    return AnnotationImport(
        project=project,
        actor=actor,
        keep_status=actor is None or role == Role.ADMIN,
        label_config=clean_label_config(project.label_config),
        members=members,
    )


def annotations_author(*, project: Project, username: str) -> User:
    """The member of the project whose annotations a file without authors brings (brat: load_articles --as USERNAME,
    the import page's annotator)."""
    user = User.objects.filter(username=username, memberships__project=project).first()
    if user is None:
        raise ValidationError({"annotator": f"{username!r} is not a member of this project; add them first"})
    return user


@transaction.atomic
def import_annotations(
    *, plan: AnnotationImport, articles: list[tuple[int, list[dict[str, Any]], str]]
) -> list[Annotation]:
    """Store annotations that `plan.clean` checked, per (article id, annotations, where from), in bulk, each
    with its "created" history entry and, when it kept one, its imported decision (a review and an entry)."""
    now = timezone.now()
    rows, items, wheres = [], [], []
    for article_id, cleaned, where in articles:
        for item in cleaned:
            rows.append(
                Annotation(
                    article_id=article_id,
                    **{name: item[name] for name in STORED},
                    suggester="" if plan.keep_status else "import",
                    created_at=now,
                    updated_at=now,
                    submitted_at=now if item["status"] != Status.DRAFT else None,
                )
            )
            items.append(item)
            wheres.append(where)
    created = Annotation.objects.bulk_create(rows)
    importer = plan.actor.username if plan.actor is not None else "the command line"
    events, reviews = [], []
    for annotation, item, where in zip(created, items, wheres, strict=True):
        origin = f"imported from {where} by {importer}"
        events.append(
            history_event(
                annotation, plan.actor, Action.CREATED, comment="; ".join(filter(None, [origin, item["note"]]))
            )
        )
        if item["reviewer_id"] is None:
            continue
        events[-1].state["status"] = Status.SUBMITTED  # the decision is an entry of its own, the next one
        approved = annotation.status == Status.APPROVED
        comment = f"{item['reviewer']} {annotation.status} it, according to the file: {origin}"
        events.append(
            history_event(
                annotation,
                plan.actor,
                Action.APPROVED if approved else Action.REJECTED,
                changes={"status": [Status.SUBMITTED, annotation.status], "reviewer": [None, item["reviewer"]]},
                comment=comment,
            )
        )
        reviews.append(
            Review(
                annotation=annotation,
                reviewer_id=item["reviewer_id"],
                decision=Decision.APPROVE if approved else Decision.REJECT,
                comment=comment,
                annotation_version=annotation.version,
                created_at=now,
            )
        )
    AnnotationEvent.objects.bulk_create(events)
    Review.objects.bulk_create(reviews)
    return created
