"""How people received each suggester's suggestions in a project: accepted unchanged or edited, deleted after
accepting, dismissed, or undecided. The services in `services.py` drop the cached figures when they change them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import caches
from django.db.models import Count, F, Q

from annotator.annotations.models import Annotation
from annotator.articles.models import Project
from annotator.suggestions.models import Outcome


@dataclass(frozen=True)
class SuggesterFigures:
    """How people received one suggester's suggestions in a project (each person's decision counts once)."""

    suggester: str
    suggested: int  # pending suggestions stored
    undecided: int  # of those, nobody has decided on yet
    accepted_unchanged: int  # the accepted copy still has the suggestion's span and attributes
    accepted_edited: int
    accepted_deleted: int  # accepted, then the copy was deleted
    dismissed: int

    @property
    def accepted(self) -> int:
        return self.accepted_unchanged + self.accepted_edited

    @property
    def decisions(self) -> int:
        return self.accepted + self.accepted_deleted + self.dismissed

    @property
    def precision(self) -> float | None:
        """Accepted ÷ decided (an accepted copy deleted later counts as a dismissal); None before any decision."""
        return self.accepted / self.decisions if self.decisions else None

    @property
    def unchanged_rate(self) -> float | None:
        return self.accepted_unchanged / self.accepted if self.accepted else None


CACHE_SECONDS = 60


def _figures_key(project_id: int) -> str:
    return f"suggestion-figures:{project_id}"


def figures_changed(project_id: int) -> None:
    """This process recounts the project's suggestion figures at its next view (others within CACHE_SECONDS)."""
    caches["figures"].delete(_figures_key(project_id))


def suggestion_figures(project: Project, *, revision: int | None = None) -> list[SuggesterFigures]:
    """Per suggester: suggested, undecided, accepted unchanged or edited, dismissed (one aggregate query).

    With the project's `revision` (the dashboard's), they are cached under it for up to CACHE_SECONDS; the
    decisions and runs here drop this process's copy at once.
    """
    key = _figures_key(project.pk)
    if revision is not None:
        cached = caches["figures"].get(key)
        if cached is not None and cached[0] == revision:
            return cached[1]
    outcome, copy = "suggestion_outcomes__outcome", "suggestion_outcomes__annotation"
    accepted = Q(**{outcome: Outcome.ACCEPTED})
    unchanged = Q(
        **{
            f"{copy}__kind": F("kind"),
            f"{copy}__start": F("start"),
            f"{copy}__end": F("end"),
            f"{copy}__attributes": F("attributes"),
        }
    )
    rows = (
        Annotation.objects.pending_suggestions()
        .filter(article__project=project)
        .values("suggester")
        .annotate(
            suggested=Count("pk", distinct=True),
            undecided=Count("pk", distinct=True, filter=Q(suggestion_outcomes__isnull=True)),
            accepted_unchanged=Count("suggestion_outcomes", filter=accepted & unchanged),
            accepted_kept=Count("suggestion_outcomes", filter=accepted & Q(**{f"{copy}__isnull": False})),
            accepted_deleted=Count("suggestion_outcomes", filter=accepted & Q(**{f"{copy}__isnull": True})),
            dismissed=Count("suggestion_outcomes", filter=Q(**{outcome: Outcome.DISMISSED})),
        )
        .order_by("suggester")
    )
    figures = [
        SuggesterFigures(
            suggester=row["suggester"],
            suggested=row["suggested"],
            undecided=row["undecided"],
            accepted_unchanged=row["accepted_unchanged"],
            accepted_edited=row["accepted_kept"] - row["accepted_unchanged"],
            accepted_deleted=row["accepted_deleted"],
            dismissed=row["dismissed"],
        )
        for row in rows
    ]
    if revision is not None:
        caches["figures"].set(key, (revision, figures), CACHE_SECONDS)
    return figures
