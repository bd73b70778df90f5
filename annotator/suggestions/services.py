"""Suggestions: run the suggesters over articles, store what they propose, and let people accept or dismiss it.

A stored suggestion is an `Annotation` with origin "suggested", no author and status draft (a *pending*
suggestion). Every annotator of the article sees it until they decide: accepting makes a copy that is
their own draft (origin stays "suggested", for provenance), dismissing hides it from them; either way a
`SuggestionOutcome` records the decision, and `figures.suggestion_figures` counts them per suggester.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import psycopg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from annotator.accounts.models import User
from annotator.accounts.services import require_role
from annotator.annotations.kinds import Kind
from annotator.annotations.labels import clean_attributes, clean_label_config
from annotator.annotations.models import (
    Action,
    Annotation,
    AnnotationEvent,
    AssignmentStatus,
    BulkAction,
    BulkKind,
    Origin,
)
from annotator.annotations.parts import clean_span_and_parts
from annotator.annotations.services import (
    ALL_ROLES,
    Conflict,
    checked_annotation,
    history_event,
    set_assignment,
)
from annotator.articles.models import Article, Project
from annotator.suggestions.base import Candidate, OutOfTime, Suggester, time_budget
from annotator.suggestions.figures import figures_changed
from annotator.suggestions.models import Outcome, SuggestionOutcome
from annotator.suggestions.registry import suggesters as configured_suggesters
from annotator.suggestions.resolution import undecided_suggestions

logger = logging.getLogger(__name__)

# A candidate is stored at most this many times per article and suggester (a runaway model stays bounded).
MAX_PER_ARTICLE = 500
MAX_FAILURES_SHOWN = 20
KINDS = tuple(Kind.values)


@dataclass
class SuggestionRun:
    """What one run of the suggesters did."""

    articles: int = 0
    created: int = 0
    kept: int = 0  # proposed again, already stored
    removed: int = 0  # stored earlier, nobody decided on them, no longer proposed
    dropped: int = 0  # candidates that failed the checks a person's annotation must pass
    failed: int = 0  # a suggester raised on an article or ran past its time budget
    failures: list[str] = field(default_factory=list)  # the first few of those, for the log and the reply

    def fail(self, message: str) -> None:
        self.failed += 1
        if len(self.failures) < MAX_FAILURES_SHOWN:
            self.failures.append(message)

    def add(self, other: SuggestionRun) -> None:
        self.articles += other.articles
        self.created += other.created
        self.kept += other.kept
        self.removed += other.removed
        self.dropped += other.dropped
        self.failed += other.failed
        self.failures += other.failures[: MAX_FAILURES_SHOWN - len(self.failures)]

    def line(self) -> str:
        return (
            f"suggested {self.created} annotations on {self.articles} articles"
            f" ({self.kept} kept, {self.removed} withdrawn, {self.dropped} invalid dropped"
            f"{f', {self.failed} suggester failures' if self.failed else ''})"
        )


@dataclass(frozen=True)
class Text:
    """An article as the suggesters see it."""

    article_id: int
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class _Proposal:
    """A candidate that passed the checks, ready to be stored as a pending suggestion."""

    article_id: int
    suggester: str
    kind: str
    start: int | None
    end: int | None
    text: str | None
    attributes: dict
    confidence: float
    parts: list[list[int]] | None = None


def _key(a: _Proposal | Annotation) -> tuple:
    """What makes two suggestions the same: article, suggester, kind, span, parts and attributes."""
    attributes = tuple(sorted((name, repr(value)) for name, value in a.attributes.items()))
    parts = tuple(map(tuple, a.parts)) if a.parts else None
    return (a.article_id, a.suggester, a.kind, a.start, a.end, parts, attributes)


def _checked(text: Text, candidate, name: str, config: dict) -> _Proposal:
    """The candidate, checked as create_annotation checks anyone's annotation (kind, span, attributes)."""
    if not isinstance(candidate, Candidate):
        raise ValidationError(f"{type(candidate).__name__} is not a Candidate")
    confidence = candidate.confidence
    if not isinstance(confidence, int | float) or isinstance(confidence, bool) or not 0 <= confidence <= 1:
        raise ValidationError({"confidence": f"{confidence!r} is not a number from 0 to 1"})
    if isinstance(confidence, float) and math.isnan(confidence):
        raise ValidationError({"confidence": "is NaN"})
    kind = candidate.kind
    if kind not in KINDS:
        raise ValidationError({"kind": f"{kind!r} is not a kind; the kinds are {', '.join(KINDS)}"})
    start, end, span_text, parts = clean_span_and_parts(
        text.body, kind, candidate.start, candidate.end, None, candidate.parts
    )
    attributes = clean_attributes(
        kind, candidate.attributes, label_config=config, body_length=len(text.body), config_cleaned=True
    )
    return _Proposal(text.article_id, name, kind, start, end, span_text, attributes, float(confidence), parts)


def _within_budget(suggester: Suggester, text: Text) -> list:
    """The suggester's candidates for one text, or OutOfTime once it has spent SUGGEST_TIME_BUDGET_SECONDS."""
    budget = settings.SUGGEST_TIME_BUDGET_SECONDS
    started = time.monotonic()
    with time_budget(budget):
        candidates = list(suggester.suggest(text.body, text.title))
    # A suggester that never checks its budget cannot be stopped midway; what it returns late is dropped.
    if budget and time.monotonic() - started > budget:
        raise OutOfTime
    return candidates


def _propose(texts: Sequence[Text], suggesters: Sequence[Suggester], config: dict, run: SuggestionRun) -> dict:
    """Every checked candidate of every suggester for every text, by key (duplicates proposed once)."""
    proposed: dict[tuple, _Proposal] = {}
    for text in texts:
        for suggester in suggesters:
            try:
                candidates = _within_budget(suggester, text)
            except OutOfTime:
                budget = settings.SUGGEST_TIME_BUDGET_SECONDS
                logger.warning("suggester %s ran out of time on article %s", suggester.name, text.article_id)
                run.fail(
                    f"{suggester.name} on article {text.article_id}: stopped after its time budget of {budget:g} s"
                    " (SUGGEST_TIME_BUDGET_SECONDS); its suggestions for this article were dropped"
                )
                continue
            except Exception as exc:  # a team's model may fail on one article; the others still get theirs
                # The traceback once per suggester and run: a model that fails on every article would
                # otherwise print thousands.
                first = not any(f.startswith(f"{suggester.name} ") for f in run.failures)
                logger.warning("suggester %s failed on article %s", suggester.name, text.article_id, exc_info=first)
                run.fail(f"{suggester.name} on article {text.article_id}: {type(exc).__name__}: {exc}")
                continue
            stored = 0
            for candidate in candidates:
                try:
                    proposal = _checked(text, candidate, suggester.name, config)
                except ValidationError as exc:
                    logger.info("dropped a candidate of %s on article %s: %s", suggester.name, text.article_id, exc)
                    run.dropped += 1
                    continue
                key = _key(proposal)
                if key in proposed:
                    continue
                if stored >= MAX_PER_ARTICLE:
                    run.dropped += 1
                    continue
                proposed[key] = proposal
                stored += 1
    return proposed


# One statement for a whole batch: the suggestions, and their "created" history entries made from the rows
# it returns. The arrays go in binary (%b), as the article import sends its own: Django's bulk_create spent
# most of its time quoting them as text.
INSERT_SUGGESTIONS = """
WITH stored AS (
    INSERT INTO {annotations} (article_id, kind, start, "end", text, parts, attributes, status, origin, author_id,
                               suggester, confidence, version, created_at, updated_at)
    SELECT t.article_id::bigint, t.kind, t.start::integer, t."end"::integer, t.text, t.parts::integer[],
           t.attributes::jsonb, 'draft', 'suggested', NULL, t.suggester, t.confidence::float8, 1, %(now)s, %(now)s
    FROM unnest(%(article_ids)b::text[], %(kinds)b::text[], %(starts)b::text[], %(ends)b::text[],
                %(texts)b::text[], %(parts)b::text[], %(attributes)b::text[], %(suggesters)b::text[],
                %(confidences)b::text[])
         AS t(article_id, kind, start, "end", text, parts, attributes, suggester, confidence)
    RETURNING id, article_id, kind, start, "end", text, parts, attributes, suggester
)
INSERT INTO {events} (annotation_id, article_id, actor_id, action, at, changes, state, comment)
SELECT id, article_id, NULL, 'created', %(now)s, '{{}}'::jsonb,
       jsonb_build_object('kind', kind, 'start', start, 'end', "end", 'text', text, 'parts', to_jsonb(parts),
                          'attributes', attributes, 'status', 'draft', 'origin', 'suggested', 'author', NULL,
                          'version', 1),
       'suggested by ' || suggester
FROM stored
"""


def _insert(proposals: Sequence[_Proposal]) -> int:
    """Store the proposals as pending suggestions, each with its history entry; returns how many."""
    if not proposals:
        return 0

    def column(name: str) -> list[str | None]:
        values = (getattr(p, name) for p in proposals)
        return [None if value is None else str(value) for value in values]

    statement = INSERT_SUGGESTIONS.format(annotations=Annotation._meta.db_table, events=AnnotationEvent._meta.db_table)
    params = {
        "now": timezone.now(),
        "article_ids": column("article_id"),
        "kinds": column("kind"),
        "starts": column("start"),
        "ends": column("end"),
        "texts": column("text"),
        # PostgreSQL's array literal, '{{s,e},{s,e}}', cast to integer[] by the statement.
        "parts": [None if not p.parts else str(p.parts).replace("[", "{").replace("]", "}") for p in proposals],
        "attributes": [json.dumps(p.attributes, ensure_ascii=False) for p in proposals],
        "suggesters": column("suggester"),
        "confidences": [repr(p.confidence) for p in proposals],
    }
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def _store(
    project_id: int, label_config: dict, texts: Sequence[Text], suggesters: Sequence[Suggester], *, fresh: bool
) -> SuggestionRun:
    """Run the suggesters over texts of one project and store their suggestions (in the caller's transaction).

    Earlier suggestions of the same suggesters on these articles that are proposed again are kept as they
    are; those no longer proposed are withdrawn unless someone has decided on them. `fresh`: the articles
    are new, so there is nothing earlier to compare with.
    """
    run = SuggestionRun(articles=len(texts))
    if not texts or not suggesters:
        return run
    config = clean_label_config(label_config)
    proposed = _propose(texts, suggesters, config, run)
    withdrawn: list[Annotation] = []
    if not fresh:
        # Locked, then asked who decided in a statement of its own: a decision committed while this run
        # waited for the lock is seen, and one that comes later waits and finds the suggestion gone.
        earlier = list(
            Annotation.objects.pending_suggestions()
            .filter(article_id__in=[t.article_id for t in texts], suggester__in=[s.name for s in suggesters])
            .select_for_update()
            .order_by("pk")
        )
        decided = set(
            SuggestionOutcome.objects.filter(suggestion__in=[a.pk for a in earlier]).values_list(
                "suggestion_id", flat=True
            )
        )
        for annotation in earlier:
            if proposed.pop(_key(annotation), None) is not None:
                run.kept += 1
            elif annotation.pk not in decided:
                withdrawn.append(annotation)
    if withdrawn:
        now = timezone.now()
        for annotation in withdrawn:
            annotation.updated_at = now
        AnnotationEvent.objects.bulk_create(
            [
                history_event(a, None, Action.DELETED, comment=f"withdrawn: {a.suggester} no longer suggests it")
                for a in withdrawn
            ]
        )
        Annotation.objects.filter(pk__in=[a.pk for a in withdrawn]).delete()
        run.removed = len(withdrawn)
    run.created = _insert(list(proposed.values()))
    if run.created or withdrawn:
        figures_changed(project_id)
    return run


def suggest_new_articles(*, project: Project, texts: Sequence[Text]) -> SuggestionRun:
    """Suggestions for articles an import has just stored, in the import's transaction.

    A failing suggester or an invalid candidate never fails the import: they are counted and logged.
    """
    return _store(project.pk, project.label_config, texts, configured_suggesters(), fresh=True)


@transaction.atomic
def suggest_articles(
    *, articles: Iterable[Article | int], suggesters: Sequence[Suggester] | None = None
) -> SuggestionRun:
    """Run the suggesters (by default those of settings.SUGGESTERS) over articles again, without duplicates.

    Each article is locked for the run (FOR NO KEY UPDATE: people may go on annotating it), so that two
    runs on one article wait for each other rather than both store the same suggestions.
    """
    suggesters = configured_suggesters() if suggesters is None else tuple(suggesters)
    ids = sorted({a.pk if isinstance(a, Article) else int(a) for a in articles})
    rows = (
        Article.objects.select_for_update(no_key=True, of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "project_id", "project__label_config", "title", "body")
    )
    by_project: dict[int, tuple[dict, list[Text]]] = {}
    for pk, project_id, label_config, title, body in rows:
        by_project.setdefault(project_id, (label_config, []))[1].append(Text(pk, title, body))
    run = SuggestionRun()
    for project_id, (label_config, texts) in by_project.items():
        run.add(_store(project_id, label_config, texts, suggesters, fresh=False))
    return run


@transaction.atomic
def rerun_suggestions(*, actor: User, article: Article) -> SuggestionRun:
    """Any member who may annotate the article asks the suggesters again (the article page's Suggest)."""
    require_role(actor, article.project, ALL_ROLES, to="ask for suggestions")
    return suggest_articles(articles=[article])


# --- deciding ---------------------------------------------------------------------------------------


def _lock_suggestion(suggestion: Annotation | int) -> Annotation:
    pk = suggestion.pk if isinstance(suggestion, Annotation) else suggestion
    locked = Annotation.objects.select_for_update(of=("self",)).select_related("article__project").filter(pk=pk).first()
    if locked is None:
        raise Conflict("This suggestion is gone: the suggesters withdrew it or a reviewer deleted it.", None)
    if locked.origin != Origin.SUGGESTED or locked.author_id is not None:
        raise ValidationError({"suggestion": "this annotation is not a pending suggestion; only those are accepted"})
    return locked


def _refuse_second_decision(decided: SuggestionOutcome | None) -> None:
    """Each member decides once per suggestion."""
    if decided is None:
        return
    if decided.outcome == Outcome.ACCEPTED:
        raise Conflict(f"You accepted this suggestion already (annotation {decided.annotation_id}).", None)
    raise Conflict("You dismissed this suggestion already; tag the text yourself if you changed your mind.", None)


def _copy(actor: User, suggestion: Annotation, config: dict, now, attributes: dict | None) -> Annotation:
    """The actor's own draft made from the suggestion, span and attributes checked as for a new annotation."""
    copy = checked_annotation(
        actor,
        suggestion.article,
        config,
        now,
        suggestion.kind,
        suggestion.start,
        suggestion.end,
        suggestion.text,
        suggestion.attributes if attributes is None else attributes,
        parts=suggestion.parts,
    )
    copy.origin = Origin.SUGGESTED
    copy.suggester = suggestion.suggester
    copy.confidence = suggestion.confidence
    return copy


@transaction.atomic
def accept_suggestion(*, actor: User, suggestion: Annotation | int, attributes: dict | None = None) -> Annotation:
    """A member accepts a pending suggestion: a copy becomes their own draft (origin stays "suggested").

    `attributes` replace the suggestion's (the accepted copy then counts as edited). Each person decides
    once per suggestion; the suggestion stays pending for the article's other annotators.
    """
    suggestion = _lock_suggestion(suggestion)
    project = suggestion.article.project
    require_role(actor, project, ALL_ROLES, to="accept suggestions")
    _refuse_second_decision(suggestion.suggestion_outcomes.filter(user=actor).first())
    now = timezone.now()
    copy = _copy(actor, suggestion, clean_label_config(project.label_config), now, attributes)
    copy.save(force_insert=True)
    SuggestionOutcome.objects.create(
        suggestion=suggestion, user=actor, outcome=Outcome.ACCEPTED, annotation=copy, at=now
    )
    set_assignment(suggestion.article, actor, AssignmentStatus.IN_PROGRESS, now)
    history_event(
        copy, actor, Action.CREATED, comment=f"accepted suggestion {suggestion.pk} of {copy.suggester}"
    ).save()
    figures_changed(project.pk)
    return copy


@transaction.atomic
def dismiss_suggestion(*, actor: User, suggestion: Annotation | int) -> SuggestionOutcome:
    """A member dismisses a pending suggestion: it disappears for them, not for the other annotators."""
    suggestion = _lock_suggestion(suggestion)
    project = suggestion.article.project
    require_role(actor, project, ALL_ROLES, to="dismiss suggestions")
    _refuse_second_decision(suggestion.suggestion_outcomes.filter(user=actor).first())
    outcome = SuggestionOutcome.objects.create(suggestion=suggestion, user=actor, outcome=Outcome.DISMISSED)
    figures_changed(project.pk)
    return outcome


@dataclass(frozen=True)
class Accepted:
    """What "Accept all" did: the actor's new copies, and the BulkAction that undoes it (annotations.undo); None
    when nothing was left to accept."""

    copies: list[Annotation]
    action: BulkAction | None


@transaction.atomic
def accept_all(*, actor: User, article: Article, kind: str, ids: list[int] | None = None) -> Accepted:
    """Accept every suggestion of one kind on the article that the actor has not decided on yet (or those of
    them that `ids` name: the ones a confirmation listed). Undoable (annotations.undo)."""
    require_role(actor, article.project, ALL_ROLES, to="accept suggestions")
    if kind not in Kind.values:
        raise ValidationError({"kind": f"{kind!r} is not a kind; the kinds are {', '.join(Kind.values)}"})
    chosen = undecided_suggestions(actor, article).filter(kind=kind)
    if ids is not None:
        chosen = chosen.filter(pk__in=ids)
    # Locked in id order, as every bulk decision is, so that two of them cannot deadlock.
    pending = list(chosen.select_for_update(of=("self",)).select_related("article").order_by("pk"))
    decided = set(
        SuggestionOutcome.objects.filter(suggestion__in=[s.pk for s in pending], user=actor).values_list(
            "suggestion_id", flat=True
        )
    )  # a decision committed while this waited for the locks
    pending = [s for s in pending if s.pk not in decided]
    if not pending:
        return Accepted([], None)
    now = timezone.now()
    config = clean_label_config(article.project.label_config)
    copies = Annotation.objects.bulk_create([_copy(actor, s, config, now, None) for s in pending])
    SuggestionOutcome.objects.bulk_create(
        [
            SuggestionOutcome(suggestion=s, user=actor, outcome=Outcome.ACCEPTED, annotation=c, at=now)
            for s, c in zip(pending, copies, strict=True)
        ]
    )
    set_assignment(article, actor, AssignmentStatus.IN_PROGRESS, now)
    AnnotationEvent.objects.bulk_create(
        [
            history_event(c, actor, Action.CREATED, comment=f"accepted suggestion {s.pk} of {c.suggester}")
            for s, c in zip(pending, copies, strict=True)
        ]
    )
    entries = [
        {"suggestion": s.pk, "annotation": c.pk, "version": c.version, "kind": c.kind}
        for s, c in zip(pending, copies, strict=True)
    ]
    action = BulkAction.objects.create(actor=actor, article=article, kind=BulkKind.ACCEPT_ALL, entries=entries, at=now)
    figures_changed(article.project_id)
    return Accepted(copies, action)
