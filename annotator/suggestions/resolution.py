"""A person who tags the span of a pending suggestion themselves resolves that suggestion for themselves.

The rule (docs/suggestions.md): a new annotation of a person resolves the pending suggestions of the same kind
that they have not decided on whose span it equals or covers, or that cover it with nothing more than spaces
and punctuation around it (the quotation marks, a full stop). Of each suggester's suggestions so resolved, the
closest (the same span first, then the longest) counts as *accepted*, with the person's annotation as its
accepted version — unchanged if span and attributes are the suggestion's, edited otherwise; the suggester's
other ones there count as *dismissed* (it proposed more units than the person found). A span nested in a
suggestion with words around it is another unit (a quote inside a quote) and resolves nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from django.db.models import Exists, OuterRef, Q

from annotator.accounts.models import User
from annotator.annotations.models import Annotation
from annotator.articles.models import Article
from annotator.compiled import Compiled
from annotator.suggestions.figures import figures_changed
from annotator.suggestions.models import Outcome, SuggestionOutcome


def _only_marks(text: str) -> bool:
    return all(ch.isspace() or unicodedata.category(ch)[0] in "PZ" for ch in text)


def _resolves(body: str, annotation: Annotation, suggestion: Annotation) -> bool:
    if suggestion.kind != annotation.kind or suggestion.start is None or annotation.start is None:
        return False
    if annotation.start <= suggestion.start and suggestion.end <= annotation.end:
        return True
    if suggestion.start <= annotation.start and annotation.end <= suggestion.end:
        return _only_marks(body[suggestion.start : annotation.start] + body[annotation.end : suggestion.end])
    return False


def _closeness(annotation: Annotation, suggestion: Annotation) -> tuple:
    same = (suggestion.start, suggestion.end) == (annotation.start, annotation.end)
    return (not same, -(suggestion.end - suggestion.start), suggestion.pk)


def undecided_suggestions(user, article):
    """The article's pending suggestions the user has not decided on yet."""
    decided = SuggestionOutcome.objects.filter(suggestion=OuterRef("pk"), user=user)
    return Annotation.objects.pending_suggestions().filter(article=article).exclude(Exists(decided))


def _candidates(actor, article, spans: Sequence[Annotation]):
    """The pending suggestions the spans may resolve: only a suggestion inside an annotation of its kind, or around
    it, may be (_resolves). Locked in id order, as accepting them is, and read again once locked (a decision may
    have come first)."""
    nested = Q()
    for a in spans:
        nested |= Q(kind=a.kind) & (Q(start__gte=a.start, end__lte=a.end) | Q(start__lte=a.start, end__gte=a.end))
    return undecided_suggestions(actor, article).filter(nested).select_for_update(of=("self",)).order_by("pk")


_ONE_SPAN = Compiled(
    lambda kind, user_id, article_id, start, end: _candidates(
        User(pk=user_id), Article(pk=article_id), [Annotation(kind=kind, start=start, end=end)]
    )
)


def resolve_suggestions(*, actor, annotations: Sequence[Annotation], now) -> list[SuggestionOutcome]:
    """Record what the actor's new annotations (saved, of one article) resolve; sets each annotation's
    `resolved` to the suggestions it resolved. In the caller's transaction."""
    for annotation in annotations:
        annotation.resolved = []
    spans = [a for a in annotations if a.start is not None]
    if not spans:
        return []
    article = spans[0].article
    if len(spans) == 1:  # a single create: its SQL compiled once per kind
        one = spans[0]
        candidates = _ONE_SPAN.instances(one.kind, actor.pk, article.pk, one.start, one.end)
    else:
        candidates = list(_candidates(actor, article, spans))
    if not candidates:
        return []
    taken = set(
        SuggestionOutcome.objects.filter(suggestion__in=candidates, user=actor).values_list("suggestion_id", flat=True)
    )
    outcomes = []
    for annotation in spans:
        mine = [s for s in candidates if s.pk not in taken and _resolves(article.body, annotation, s)]
        by_suggester: dict[str, list[Annotation]] = {}
        for s in sorted(mine, key=lambda s: _closeness(annotation, s)):
            by_suggester.setdefault(s.suggester, []).append(s)
        for closest, *others in by_suggester.values():
            outcomes.append(
                SuggestionOutcome(
                    suggestion=closest, user=actor, outcome=Outcome.ACCEPTED, annotation=annotation, at=now
                )
            )
            outcomes += [SuggestionOutcome(suggestion=s, user=actor, outcome=Outcome.DISMISSED, at=now) for s in others]
        annotation.resolved = sorted(s.pk for s in mine)
        taken.update(annotation.resolved)
    if outcomes:
        SuggestionOutcome.objects.bulk_create(outcomes)
        figures_changed(article.project_id)
    return outcomes


def resolution_note(annotation: Annotation) -> str:
    """The history's words for what the annotation resolved."""
    resolved = getattr(annotation, "resolved", [])
    if not resolved:
        return ""
    return f"resolves suggestion{'s' * (len(resolved) > 1)} {', '.join(map(str, resolved))}"
