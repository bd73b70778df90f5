"""The one row source of every export: a project's annotations, grouped per article, streamed.

Two server-side cursors (psycopg named cursors) read, in one read-only transaction that sees a single
snapshot, the articles that have at least one exported annotation (ordered by id) and the annotations
(ordered by article id, start, end, id); they are merged per article in Python. The process holds one
fetch of each cursor and one article's annotations at a time, so its memory does not grow with the
export, and an article's body is read once, not once per annotation.

An exported annotation has an author: a suggestion nobody accepted (origin suggested, no author) is
never exported. `reviewer` is the reviewer whose decision made the current status (the latest decision
on an approved or rejected annotation), else null.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import orjson
from django.db import connection, transaction
from psycopg import sql
from psycopg.types.json import set_json_loads

from annotator.annotations.models import Anchor, Status

# What no format exports, and why (the export page says it): the rule is `_exported_condition`.
NEVER_EXPORTED = "Suggestions nobody accepted are never exported: they have no author and nobody has checked them."
ARTICLES_PER_FETCH = 100
ANNOTATIONS_PER_FETCH = 5000
DECIDED = (Status.APPROVED.value, Status.REJECTED.value)
# An orphaned annotation (its text gone in a revision of the article) has no place in the body: never exported.
ANCHORED = sql.SQL("n.anchor <> {}").format(sql.Literal(Anchor.ORPHANED.value))
# Timestamps leave the database as text, UTC, to the second: the same bytes whatever the session zone.
UTC_SECONDS = '\'YYYY-MM-DD"T"HH24:MI:SS"Z"\''


class ArticleRow(NamedTuple):
    id: int
    title: str
    body: str
    source: str
    url: str
    byline: str
    published_at: str | None
    language: str
    revision: int = 1  # the article's revision: the offsets refer to its body


class AnnotationRow(NamedTuple):
    id: int
    article_id: int
    kind: str
    start: int | None
    end: int | None
    text: str | None
    status: str
    origin: str
    annotator: str
    reviewer: str | None
    attributes: dict[str, Any]
    created_at: str
    updated_at: str
    exported: bool  # False for a row read only as context (the quotes around a ClaimReview's claims)
    parts: list[list[int]] | None = None  # a quote in parts (annotations/parts.py): [[start, end], ...]


class ArticleGroup(NamedTuple):
    article: ArticleRow
    annotations: list[AnnotationRow]


@dataclass(frozen=True)
class Selection:
    """Which annotations of a project an export holds."""

    project_id: int
    statuses: tuple[str, ...]
    kinds: tuple[str, ...]
    since: dt.datetime | None = None  # on `updated_at`, inclusive
    until: dt.datetime | None = None  # on `updated_at`, exclusive
    with_verdict_only: bool = False  # claims without a verdict are left out (ClaimReview)
    context_kinds: tuple[str, ...] = ()  # read alongside, not exported


@dataclass
class Counts:
    """How many annotations (per kind, per status, per kind and status) and articles an export holds."""

    annotations: int = 0
    articles: int = 0
    by_kind_and_status: Counter = field(default_factory=Counter)

    def add(self, kind: str, status: str, count: int = 1) -> None:
        self.by_kind_and_status[kind, status] += count
        self.annotations += count

    def as_dict(self) -> dict[str, Any]:
        by_kind: Counter = Counter()
        by_status: Counter = Counter()
        nested: dict[str, dict[str, int]] = {}
        for (kind, status), count in sorted(self.by_kind_and_status.items()):
            by_kind[kind] += count
            by_status[status] += count
            nested.setdefault(kind, {})[status] = count
        return {
            "annotations": self.annotations,
            "articles": self.articles,
            "by_kind": dict(sorted(by_kind.items())),
            "by_status": dict(sorted(by_status.items())),
            "by_kind_and_status": nested,
        }


def _exported_condition(selection: Selection) -> tuple[sql.Composable, list[Any]]:
    """The SQL condition (on alias n) of an exported annotation, and its parameters."""
    parts = [
        sql.SQL("n.author_id IS NOT NULL"),
        ANCHORED,
        sql.SQL("n.status = ANY(%s)"),
        sql.SQL("n.kind = ANY(%s)"),
    ]
    params: list[Any] = [list(selection.statuses), list(selection.kinds)]
    if selection.with_verdict_only:
        parts.append(sql.SQL("n.attributes->>'verdict' IS NOT NULL"))
    if selection.since is not None:
        parts.append(sql.SQL("n.updated_at >= %s"))
        params.append(selection.since)
    if selection.until is not None:
        parts.append(sql.SQL("n.updated_at < %s"))
        params.append(selection.until)
    return sql.SQL("(") + sql.SQL(" AND ").join(parts) + sql.SQL(")"), params


def _articles_query(selection: Selection) -> tuple[sql.Composable, list[Any]]:
    exported, params = _exported_condition(selection)
    query = sql.SQL(
        "SELECT a.id, a.title, a.body, a.source, a.url, a.byline, "
        "to_char(a.published_at AT TIME ZONE 'UTC', {utc}), a.language, a.revision "
        "FROM articles_article a WHERE a.project_id = %s AND EXISTS "
        "(SELECT 1 FROM annotations_annotation n WHERE n.article_id = a.id AND {exported}) ORDER BY a.id"
    ).format(utc=sql.SQL(UTC_SECONDS), exported=exported)
    return query, [selection.project_id, *params]


def _annotations_query(selection: Selection) -> tuple[sql.Composable, list[Any]]:
    exported, params = _exported_condition(selection)
    wanted = exported
    wanted_params = list(params)
    if selection.context_kinds:
        wanted = sql.SQL(
            "({exported} OR (n.author_id IS NOT NULL AND {anchored} AND n.status = ANY(%s) AND n.kind = ANY(%s)))"
        ).format(exported=exported, anchored=ANCHORED)
        wanted_params += [list(selection.statuses), list(selection.context_kinds)]
    query = sql.SQL(
        'SELECT n.id, n.article_id, n.kind, n.start, n."end", n.text, n.status, n.origin, au.username, rv.username, '
        "n.attributes, to_char(n.created_at AT TIME ZONE 'UTC', {utc}), "
        "to_char(n.updated_at AT TIME ZONE 'UTC', {utc}), "
        "{exported}, n.parts "
        "FROM annotations_annotation n "
        "JOIN articles_article a ON a.id = n.article_id "
        "JOIN accounts_user au ON au.id = n.author_id "
        # The latest decision is the one with the highest annotation version (unique per annotation).
        "LEFT JOIN LATERAL (SELECT u.username FROM annotations_review r JOIN accounts_user u ON u.id = r.reviewer_id "
        "WHERE r.annotation_id = n.id AND n.status IN ({decided}) "
        "ORDER BY r.annotation_version DESC LIMIT 1) rv ON true "
        "WHERE a.project_id = %s AND {wanted} "
        'ORDER BY n.article_id, n.start, n."end", n.id'
    ).format(
        utc=sql.SQL(UTC_SECONDS),
        exported=exported,
        decided=sql.SQL(", ").join(sql.Literal(s) for s in DECIDED),
        wanted=wanted,
    )
    return query, [*params, selection.project_id, *wanted_params]


def count_selection(selection: Selection) -> Counts:
    """The counts of an export, from one aggregate query (before streaming it)."""
    exported, params = _exported_condition(selection)
    query = sql.SQL(
        "SELECT n.kind, n.status, count(*), count(DISTINCT n.article_id) "
        "FROM annotations_annotation n JOIN articles_article a ON a.id = n.article_id "
        "WHERE a.project_id = %s AND {exported} GROUP BY GROUPING SETS ((n.kind, n.status), ())"
    ).format(exported=exported)
    counts = Counts()
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute(query, [selection.project_id, *params])
        for kind, status, count, articles in cursor.fetchall():
            if kind is None:
                counts.articles = articles
            else:
                counts.add(kind, status, count)
    return counts


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """A transaction for the two cursors; when it starts here, it is read-only and sees one snapshot."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        connection.ensure_connection()
        if outermost:
            connection.connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # Every row will be read: plan the cursors for the whole result, not for its first tenth; and
        # compiling the plan (JIT) costs more than it saves on these simple row-by-row queries.
        connection.connection.execute("SET LOCAL cursor_tuple_fraction = 1.0; SET LOCAL jit = off")
        yield


_cursor_names = itertools.count()


def article_groups(selection: Selection, counts: Counts | None = None) -> Iterator[ArticleGroup]:
    """Every article with at least one exported annotation, in id order, with its annotations in
    (start, end, id) order. `counts`, when given, tallies what was streamed."""
    with _snapshot():
        raw = connection.connection
        number = next(_cursor_names)
        with (
            raw.cursor(name=f"export_articles_{number}", row_factory=lambda _: ArticleRow._make) as articles,
            raw.cursor(name=f"export_annotations_{number}", row_factory=lambda _: AnnotationRow._make) as annotations,
        ):
            set_json_loads(orjson.loads, annotations)
            articles.itersize = ARTICLES_PER_FETCH
            annotations.itersize = ANNOTATIONS_PER_FETCH
            articles.execute(*_articles_query(selection))
            annotations.execute(*_annotations_query(selection))
            rows = iter(annotations)
            row = next(rows, None)
            for article in articles:
                group = []
                # Rows of articles that hold only context (no exported annotation) are passed over.
                while row is not None and row.article_id < article.id:
                    row = next(rows, None)
                while row is not None and row.article_id == article.id:
                    group.append(row)
                    if counts is not None and row.exported:
                        counts.add(row.kind, row.status)
                    row = next(rows, None)
                if counts is not None:
                    counts.articles += 1
                yield ArticleGroup(article, group)
