from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Exists, F, Func, OuterRef, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact, GreaterThanOrEqual
from django.utils import timezone

from annotator.accounts.models import REVIEW_ROLES, Membership
from annotator.annotations.kinds import Kind
from annotator.annotations.parts import excerpt
from annotator.articles.models import Article, Project


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Origin(models.TextChoices):
    HUMAN = "human", "Human"
    SUGGESTED = "suggested", "Suggested"


class Anchor(models.TextChoices):
    """Where an annotation stands after the article's latest revision (contract §9)."""

    EXACT = "exact", "Exact"  # its text is unchanged (offsets moved by the edits before it)
    CHANGED = "changed", "Changed"  # the text inside the span was edited: the span covers the edited text
    ORPHANED = "orphaned", "Orphaned"  # its text is gone: no span; old offsets and text kept


class PartCount(Func):
    """How many parts a quote in parts has (SQL: the length of the array's first dimension)."""

    template = "array_length(%(expressions)s, 1)"
    output_field = models.IntegerField()


class FirstPartStart(Func):
    template = "(%(expressions)s)[1][1]"
    output_field = models.IntegerField()


class LastPartEnd(Func):
    template = "(%(expressions)s)[array_length(%(expressions)s, 1)][2]"
    output_field = models.IntegerField()


class AnnotationQuerySet(models.QuerySet):
    def visible_to(self, user) -> AnnotationQuerySet:
        """Reviewers and admins see every annotation of their projects; annotators see their own and
        the pending suggestions. A pending suggestion someone accepted or dismissed is gone for them
        (annotator.suggestions), not for the others."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        decided = Q(author__isnull=True, suggestion_outcomes__user=user)
        if user.is_superuser:
            return self.exclude(decided)
        review_projects = Membership.objects.filter(user=user, role__in=REVIEW_ROLES).values("project")
        member_projects = Membership.objects.filter(user=user).values("project")
        return self.filter(
            Q(article__project__in=review_projects)
            | Q(article__project__in=member_projects) & (Q(author=user) | Q(author__isnull=True))
        ).exclude(decided)

    def of_project(self, project: Project) -> AnnotationQuerySet:
        return self.filter(article__project=project)

    def submitted(self) -> AnnotationQuerySet:
        return self.filter(status=Status.SUBMITTED)

    def approved(self) -> AnnotationQuerySet:
        return self.filter(status=Status.APPROVED)

    def pending_suggestions(self) -> AnnotationQuerySet:
        return self.filter(origin=Origin.SUGGESTED, author__isnull=True)

    def orphaned(self) -> AnnotationQuerySet:
        return self.filter(anchor=Anchor.ORPHANED)


class AnchoredManager(models.Manager.from_queryset(AnnotationQuerySet)):
    """The annotations that have a place in the current body: an orphaned one (its text gone in a revision) is
    left out of everything that reads `Annotation.objects` (the workspace text, lists, agreement, exports,
    statistics); the few places that deal with orphans read `Annotation.with_orphans`."""

    def get_queryset(self) -> AnnotationQuerySet:
        return super().get_queryset().exclude(anchor=Anchor.ORPHANED)


class Annotation(models.Model):
    """A tagged span (or a document-level stance) of one article by one author.

    `start`/`end` count Unicode code points of the article body, half-open; `text` is body[start:end].
    """

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="annotations")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(null=True, blank=True)  # noqa: DJ001 null: a document-level stance has no text
    attributes = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.HUMAN)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="annotations"
    )
    suggester = models.CharField(max_length=100, blank=True, help_text="Name of the suggester that proposed it.")
    confidence = models.FloatField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    anchor = models.CharField(max_length=16, choices=Anchor.choices, default=Anchor.EXACT, db_default=Anchor.EXACT)
    # An orphaned annotation's last place: offsets into the body of revision `old_revision` (`text` is kept).
    old_start = models.PositiveIntegerField(null=True, blank=True)
    old_end = models.PositiveIntegerField(null=True, blank=True)
    old_revision = models.PositiveIntegerField(null=True, blank=True)
    # A quote in parts (contract §10): [[s, e], ...] sorted and disjoint, the first part starting at `start` and the
    # last ending at `end`; null for an ordinary span (one part equal to [start, end] is stored as null).
    parts = ArrayField(ArrayField(models.PositiveIntegerField(), size=2), null=True, blank=True)

    objects = AnchoredManager()
    with_orphans = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "start", "end", "id"]
        indexes = [
            models.Index(fields=["article", "start", "end"], name="annotation_article_span"),
            models.Index(fields=["author", "status"], name="annotation_author_status"),
            models.Index(fields=["status", "article"], name="annotation_status_article"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="annotation_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="annotation_status_valid"),
            models.CheckConstraint(condition=Q(origin__in=Origin.values), name="annotation_origin_valid"),
            models.CheckConstraint(
                condition=Q(
                    ~Q(anchor=Anchor.ORPHANED),
                    start__isnull=False,
                    end__isnull=False,
                    text__isnull=False,
                    start__gte=0,
                    end__gt=F("start"),
                )
                | Q(start__isnull=True, end__isnull=True, text__isnull=True, kind=Kind.STANCE, anchor=Anchor.EXACT)
                | Q(
                    anchor=Anchor.ORPHANED,
                    start__isnull=True,
                    end__isnull=True,
                    text__isnull=False,
                    old_start__isnull=False,
                    old_end__isnull=False,
                    old_revision__isnull=False,
                ),
                name="annotation_span_valid",
            ),
            models.CheckConstraint(
                condition=Q(text__isnull=True)
                | Q(anchor=Anchor.ORPHANED)
                | Exact(Length("text"), F("end") - F("start")),
                name="annotation_text_length_matches_span",
            ),
            models.CheckConstraint(condition=Q(anchor__in=Anchor.values), name="annotation_anchor_valid"),
            models.CheckConstraint(
                condition=Q(author__isnull=False) | Q(origin=Origin.SUGGESTED, status=Status.DRAFT),
                name="annotation_author_unless_pending_suggestion",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="annotation_version_positive"),
            # A quote in parts (annotations/parts.py): two parts or more, spanning start to end (an orphan's: its
            # old offsets). That they are sorted and disjoint is checked by the services.
            models.CheckConstraint(
                condition=Q(parts__isnull=True)
                | Q(
                    Q(~Q(anchor=Anchor.ORPHANED), start=FirstPartStart("parts"), end=LastPartEnd("parts"))
                    | Q(anchor=Anchor.ORPHANED, old_start=FirstPartStart("parts"), old_end=LastPartEnd("parts")),
                    GreaterThanOrEqual(PartCount("parts"), 2),
                    kind=Kind.QUOTE,
                ),
                name="annotation_parts_quote_hull",
            ),
        ]

    def __str__(self) -> str:
        where = f"[{self.start}, {self.end})" if self.start is not None else "document"
        return f"{self.kind} {where} of article {self.article_id}"

    @property
    def excerpt(self) -> str | None:
        """Its text as the pages show it: a quote in parts as its parts' texts joined by " … " (parts.py)."""
        return excerpt(self.text, self.start, self.parts if self.anchor != Anchor.ORPHANED else None)

    @property
    def is_document_level(self) -> bool:
        return self.start is None and self.anchor != Anchor.ORPHANED

    def snapshot(self) -> dict:
        """The fields a history entry records, JSON-ready."""
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "parts": self.parts,
            "attributes": self.attributes,
            "status": self.status,
            "origin": self.origin,
            "author": self.author_id,
            "version": self.version,
        }


class Decision(models.TextChoices):
    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"


class Review(models.Model):
    """A reviewer's decision on one version of an annotation; a rejection carries a comment."""

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    comment = models.TextField(blank=True)
    annotation_version = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["annotation_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(decision__in=Decision.values), name="review_decision_valid"),
            models.CheckConstraint(
                condition=Q(decision=Decision.APPROVE) | Q(comment__regex=r"\S"), name="review_reject_has_comment"
            ),
            models.UniqueConstraint(
                fields=["annotation", "annotation_version"], name="review_one_decision_per_annotation_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} of annotation {self.annotation_id} by {self.reviewer}"


class Action(models.TextChoices):
    CREATED = "created", "Created"
    EDITED = "edited", "Edited"
    DELETED = "deleted", "Deleted"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    UNDONE = "undone", "Undone"
    REANCHORED = "reanchored", "Re-anchored"  # the article got a new revision (articles.revisions)


class AnnotationEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> AnnotationEventQuerySet:
        """Reviewers and admins see the history of every annotation of their projects; annotators see the
        whole history of the annotations they authored or acted on (deleted ones too), and of the
        suggestions nobody has taken yet."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        review_projects = Membership.objects.filter(user=user, role__in=REVIEW_ROLES).values("project")
        member_projects = Membership.objects.filter(user=user).values("project")
        # Per annotation, not per event: a review's actor is the reviewer and a suggestion's first
        # events have no author, yet they belong to the author's history all the same.
        own = AnnotationEvent.objects.filter(
            Q(state__author=user.pk) | Q(actor=user), annotation_id=OuterRef("annotation_id")
        )
        pending_suggestion = Annotation.objects.pending_suggestions().filter(pk=OuterRef("annotation_id"))
        return self.filter(
            Q(article__project__in=review_projects)
            | Q(article__project__in=member_projects) & (Exists(own) | Exists(pending_suggestion))
        )

    def of_annotation(self, annotation_id: int) -> AnnotationEventQuerySet:
        """The events of one annotation, oldest first; they remain after the annotation is deleted."""
        return self.filter(annotation_id=annotation_id).order_by("at", "id")


class AnnotationEvent(models.Model):
    """One entry of the append-only history: who did what to an annotation, and when.

    The database refuses UPDATE and DELETE on this table, and the rows outlive the annotation.
    """

    annotation = models.ForeignKey(Annotation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="events")
    article = models.ForeignKey(Article, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now)
    changes = models.JSONField(default=dict, blank=True, help_text="field: [before, after]")
    state = models.JSONField(default=dict, blank=True, help_text="The annotation after the action (before a delete).")
    comment = models.TextField(blank=True)

    objects = AnnotationEventQuerySet.as_manager()

    class Meta:
        ordering = ["annotation_id", "at", "id"]
        indexes = [models.Index(fields=["annotation", "at"], name="event_annotation_at")]
        constraints = [models.CheckConstraint(condition=Q(action__in=Action.values), name="event_action_valid")]

    def __str__(self) -> str:
        return f"{self.action} annotation {self.annotation_id} at {self.at:%Y-%m-%d %H:%M:%S}"


class AssignmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"


class Progress(models.TextChoices):
    """Where a user stands on an article: their assignment's status, if they have one."""

    NOT_STARTED = "not_started", "not started"
    IN_PROGRESS = AssignmentStatus.IN_PROGRESS.value, "in progress"
    SUBMITTED = AssignmentStatus.SUBMITTED.value, "submitted"


class Assignment(models.Model):
    """An annotator's work on one article: started when they first tag or take it, ended by submitting."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    status = models.CharField(max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.IN_PROGRESS)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["article_id", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="assignment_one_per_article_and_user"),
            models.CheckConstraint(condition=Q(status__in=AssignmentStatus.values), name="assignment_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on article {self.article_id}: {self.status}"


class BulkKind(models.TextChoices):
    ACCEPT_ALL = "accept_all", "Accept all suggestions of a kind"
    APPROVE_REMAINING = "approve_remaining", "Approve all of an annotator"
    ADJUDICATE = "adjudicate", "Approve one version, reject its rivals"


class BulkAction(models.Model):
    """One action that changed many annotations at once, remembered so that its actor may undo it for a while.

    `entries` say what each annotation was before and is after: for decisions {"annotation", "review",
    "status" (before), "version" (after)}; for accepted suggestions {"suggestion", "annotation", "version"}.
    """

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=BulkKind.choices)
    at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    entries = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["actor", "article", "at"], name="bulkaction_actor_article_at")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=BulkKind.values), name="bulkaction_kind_valid")]

    def __str__(self) -> str:
        return f"{self.kind} by {self.actor_id} on article {self.article_id} at {self.at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def of_reviews(cls, actor, article, kind: str, reviews: list[Review], before: dict[int, str]) -> BulkAction:
        """Remember decisions just made; `before` is each annotation's status before its decision."""
        entries = [
            {
                "annotation": r.annotation_id,
                "review": r.pk,
                "status": before[r.annotation_id],
                "version": r.annotation.version,
            }
            for r in reviews
        ]
        return cls.objects.create(actor=actor, article=article, kind=kind, entries=entries)
