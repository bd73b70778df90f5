"""Corrected articles: a new revision of an article's body, and its annotations re-anchored (contract §9).

`revise_article` is the one way an article's body changes once stored: the API, the article page and imports
(a record with an article's `url` and another body) all call it.

Two revisions of one article at once are serialized: the second waits for the article row the first holds
locked, then is made against the first's result (its annotations are re-anchored from the first's body).
A caller that names the revision it corrected (`base_revision`) is told instead that it is out of date.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from annotator.accounts.models import REVIEW_ROLES, User
from annotator.accounts.services import require_role
from annotator.annotations.anchoring import (
    Reanchored,
    compact_diff,
    diff_ops,
    expand_diff,
    reanchor_annotations,
)
from annotator.articles.ingestion import RecordError, content_hash, normalize_body
from annotator.articles.models import Article, ArticleRevision
from annotator.values import clean_text

NOTE_MAX_CHARS = 2000

# Who corrects an article's text: project admins and reviewers (the pages show the form only to them).
CORRECTORS = REVIEW_ROLES


def may_correct(role) -> bool:
    return role in CORRECTORS


class StaleRevision(Exception):
    """The revision the caller corrected is not the article's current one any more."""

    def __init__(self, current: int):
        super().__init__(f"The article is at revision {current} now; correct that revision's text.")
        self.current = current


@dataclass(frozen=True)
class Revised:
    article: Article
    revision: ArticleRevision
    annotations: Reanchored

    @property
    def needs_a_look(self) -> int:
        return self.annotations.changed + self.annotations.orphaned


def revised_body(body: object) -> str:
    """The body as an import stores it (§3), or a ValidationError with the import's message."""
    try:
        return normalize_body(body)
    except RecordError as exc:
        raise ValidationError({"body": str(exc)}) from None


@transaction.atomic
def revise_article(
    *,
    actor: User | None,
    article: Article,
    body: object,
    note: str = "",
    base_revision: int | None = None,
) -> Revised:
    """Project admins and reviewers correct an article (actor None: an import by the command line): its next
    revision, every annotation re-anchored, in one transaction."""
    if actor is not None:
        require_role(actor, article.project, CORRECTORS, to="correct articles")
    body = revised_body(body)
    note = clean_text(note or "", "note").strip()
    if len(note) > NOTE_MAX_CHARS:
        raise ValidationError({"note": f"is {len(note)} characters, over the limit of {NOTE_MAX_CHARS}"})
    article = Article.objects.select_for_update(of=("self",)).select_related("project").get(pk=article.pk)
    if base_revision is not None and base_revision != article.revision:
        raise StaleRevision(article.revision)
    if body == article.body:
        raise ValidationError(
            {"body": f"The corrected text is the same as the current body (revision {article.revision}): no change."}
        )
    digest = content_hash(body)
    twin = Article.objects.filter(project=article.project_id, content_hash=digest).values_list("pk", flat=True).first()
    if twin is not None:
        raise ValidationError({"body": f"Another article of this project (id {twin}) has this body already."})
    now = timezone.now()
    old_body, old_revision = article.body, article.revision
    ops = diff_ops(old_body, body)  # once: the annotations are placed through it, and the diff page shows it
    revision = ArticleRevision.objects.create(
        article=article,
        number=old_revision + 1,
        body=body,
        content_hash=digest,
        author=actor,
        note=note,
        created_at=now,
        diff=compact_diff(ops),
    )
    article.body, article.content_hash, article.revision = body, digest, revision.number
    article.save(update_fields=["body", "content_hash", "revision"])
    annotations = reanchor_annotations(
        article=article, actor=actor, old_body=old_body, old_revision=old_revision, now=now, ops=ops
    )
    return Revised(article, revision, annotations)


def revision_diff(revision: ArticleRevision, previous: str) -> list[tuple[int, str]]:
    """What `revision` changed in the body before it (`previous`): the diff its correction stored, or, for a
    revision stored before diffs were, computed once and stored."""
    if revision.diff is not None:
        with contextlib.suppress(ValueError):  # one that does not join the two bodies is made again
            return expand_diff(previous, revision.body, revision.diff)
    ops = diff_ops(previous, revision.body)
    ArticleRevision.objects.filter(pk=revision.pk).update(diff=compact_diff(ops))
    return ops


def diff_html(old: str, new: str, ops: list[tuple[int, str]] | None = None) -> SafeString:
    """The change from one body to the next as HTML: removed text in <del>, added text in <ins>, all escaped.
    `ops`: their diff_ops, when known (a revision's stored diff)."""
    tags = {-1: ("<del>", "</del>"), 0: ("", ""), 1: ("<ins>", "</ins>")}
    pieces = []
    for op, text in diff_ops(old, new) if ops is None else ops:
        opening, closing = tags[op]
        pieces.append(f"{opening}{escape(text)}{closing}")
    return mark_safe("".join(pieces))  # noqa: S308 every piece of text is escaped above


class ImportRevisions:
    """The records of an import that correct an article of the project: the same `url` as an article it had
    before the import, and another body. Each becomes that article's next revision (the article with the lowest id,
    should several share the url). The annotations a record brings along are not imported onto a revision."""

    def __init__(self, project, actor: User | None):
        self.project, self.actor = project, actor
        self._by_url: dict[str, tuple[int, str]] | None = None

    def target(self, fields: dict) -> int | None:
        """The article the record corrects, or None (a new article, or the same body: a duplicate)."""
        url = fields.get("url")
        if not url:
            return None
        if self._by_url is None:
            rows = Article.objects.filter(project=self.project).exclude(url="").order_by("-pk")
            self._by_url = {u: (pk, digest) for u, pk, digest in rows.values_list("url", "pk", "content_hash")}
        found = self._by_url.get(url)
        if found is None or found[1] == content_hash(fields["body"]):
            return None
        return found[0]

    def revise(self, article_id: int, fields: dict, where: str) -> Revised:
        revised = revise_article(
            actor=self.actor,
            article=Article(pk=article_id, project=self.project),
            body=fields["body"],
            note=f"imported from {where}",
        )
        self._by_url[fields["url"]] = (article_id, revised.revision.content_hash)
        return revised
