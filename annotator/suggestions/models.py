"""What each person did with each suggestion: accepted it (and which annotation became theirs) or dismissed it.

A suggestion itself is an `Annotation` with origin "suggested" and no author (a *pending* suggestion);
it stays pending for everyone else when one annotator decides on it, since each of the article's k
annotators decides for themselves.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from annotator.annotations.models import Annotation


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class SuggestionOutcome(models.Model):
    """One person's decision on one pending suggestion; accepting made `annotation`, their own draft."""

    suggestion = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="suggestion_outcomes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    # The accepted copy, or the person's own annotation that stands for it (tagging its span resolves it;
    # one annotation may stand for the suggestions of several suggesters); null after a dismissal, or once
    # that annotation is deleted.
    annotation = models.ForeignKey(
        Annotation, null=True, blank=True, on_delete=models.SET_NULL, related_name="accepted_from"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["suggestion_id", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "user"], name="suggestion_outcome_one_per_user"),
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="suggestion_outcome_valid"),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.ACCEPTED) | Q(annotation__isnull=True),
                name="suggestion_outcome_dismissal_has_no_annotation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.outcome} suggestion {self.suggestion_id}"
