"""Writes for projects and articles: every view, API endpoint and command calls these."""

from __future__ import annotations

import contextlib
import json
import select
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import psycopg
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.text import slugify

from annotator.accounts.models import Role, User
from annotator.accounts.services import require_role, set_membership
from annotator.annotations.imports import AnnotationImport, annotation_import, import_annotations
from annotator.annotations.kinds import choice_attributes
from annotator.annotations.labels import clean_label_config
from annotator.articles import ingestion
from annotator.articles.ingestion import ArticleRecord, Item, Rejection, Skipped, content_hash
from annotator.articles.models import SEARCH_VECTOR, Article, Project, ScriptGrams
from annotator.articles.revisions import ImportRevisions
from annotator.database import atomic_retried
from annotator.suggestions.services import SuggestionRun, Text, suggest_new_articles
from annotator.values import clean_text

IMPORT_BATCH_SIZE = 500


def summary_line(added: int, duplicates: int, rejected: int, revised: int, annotations: int = 0) -> str:
    """An import's summary line, as load_articles prints it and the upload page and the job's result show it;
    `annotations`: those the new articles brought with them (an export, brat .ann files) and that were stored."""
    line = f"added {added}, duplicates {duplicates}, rejected {rejected}"
    line = f"{line}, revised {revised}" if revised else line
    return f"{line}, with {annotations} annotations" if annotations else line


def result_line(result: dict) -> str:
    """The summary line of an import job's result (ImportSummary.as_dict's counts, summed over its batches)."""
    return summary_line(*(result.get(k, 0) for k in ("added", "duplicates", "rejected", "revised", "annotations")))


@dataclass
class ImportSummary:
    added: int = 0
    duplicates: int = 0
    revised: int = 0  # records that corrected an article of the project (same url, another body): revisions.py
    annotations: int = 0  # stored with the new articles that brought them
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ids: list[int | None] = field(default_factory=list)
    suggestions: SuggestionRun = field(default_factory=SuggestionRun)
    # New articles that brought no annotations of their own and were not suggested yet (suggest="later").
    to_suggest: list[int] = field(default_factory=list)
    suggestion_jobs: int = 0  # the jobs queued to suggest for them

    def line(self) -> str:
        return summary_line(self.added, self.duplicates, len(self.rejected), self.revised, self.annotations)

    def as_dict(self) -> dict:
        return {
            "added": self.added,
            "duplicates": self.duplicates,
            "revised": self.revised,
            "annotations": self.annotations,
            "rejected": len(self.rejected),
            "errors": [{"where": r.where, "reason": r.reason} for r in self.rejected],
            "skipped": [{"where": s.where, "reason": s.reason} for s in self.skipped],
            "suggested": self.suggestions.created,
            "suggestion_jobs": self.suggestion_jobs,
        }


@transaction.atomic
def create_project(
    *,
    actor: User | None,
    name: str,
    slug: str = "",
    description: str = "",
    guidelines: str = "",
    label_config: dict | None = None,
    annotators_per_article: int = 1,
) -> Project:
    """Staff create projects and become their first admin (actor None: the command line)."""
    if actor is not None and not actor.is_staff:
        raise PermissionDenied("Only staff may create projects.")
    name = clean_text(name or "", "name").strip()
    slug = clean_text(slug or "", "slug") or slugify(name)
    description, guidelines = clean_text(description, "description"), clean_text(guidelines, "guidelines")
    errors = {}
    if not name:
        errors["name"] = "is required"
    if not slug:
        errors["slug"] = "is required (letters, digits, - and _)"
    elif Project.objects.filter(slug=slug).exists():
        errors["slug"] = f"a project with the slug {slug!r} exists already"
    if errors:
        raise ValidationError(errors)
    project = Project(
        name=name,
        slug=slug,
        description=description,
        guidelines=guidelines,
        label_config=clean_label_config(label_config if label_config is not None else {}),
        annotators_per_article=annotators_per_article,
    )
    project.full_clean()
    project.save()
    if actor is not None:
        set_membership(actor=None, project=project, user=actor, role=Role.ADMIN)
    return project


# One statement per batch: ON CONFLICT skips bodies the project has (also those another import is
# storing at this moment), and RETURNING says which rows are new. Django's bulk_create cannot return
# ids together with ignore_conflicts, and its client-side binding would inline megabytes of text.
# The arrays go in binary (%b): each string travels as its bytes, with no quoting to add here and
# none to parse on the server (in text, that took a third of the time of a batch of long bodies).
INSERT_ARTICLES = """
INSERT INTO articles_article
    (project_id, added_by_id, created_at, title, body, source, url, byline, published_at, language,
     metadata, content_hash)
SELECT %s, %s, now(), t.title, t.body, t.source, t.url, t.byline, t.published_at::timestamptz, t.language,
       t.metadata::jsonb, t.content_hash
FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[],
            %b::text[]) WITH ORDINALITY
     AS t(title, body, source, url, byline, published_at, language, metadata, content_hash, n)
ORDER BY t.n
ON CONFLICT (project_id, content_hash) DO NOTHING
RETURNING id, content_hash
"""
COLUMNS = ("title", "body", "source", "url", "byline", "published_at", "language", "metadata")


class _Batch:
    """A batch of records, deduplicated within itself, as the INSERT's parameters."""

    def __init__(
        self,
        project: Project,
        actor: User | None,
        records: list[ArticleRecord],
        slots: list[int],
        annotations: list[list[dict] | None] | None = None,
        plan: AnnotationImport | None = None,
        suggest: bool = False,
    ):
        self.project, self.records, self.slots = project, records, slots
        self.annotations, self.plan, self.suggest = annotations, plan, suggest
        self.suggestions = SuggestionRun()
        self.hashes = [content_hash(r.fields["body"]) for r in records]
        self.first_of: dict[str, int] = {}
        for i, h in enumerate(self.hashes):
            self.first_of.setdefault(h, i)
        order = sorted(self.first_of.values())
        columns: dict[str, list] = {name: [] for name in COLUMNS}
        for i in order:
            fields = records[i].fields
            for name in COLUMNS:
                value = fields[name]
                if name == "published_at":
                    value = value.isoformat() if value else None
                elif name == "metadata":
                    value = json.dumps(value, ensure_ascii=False)
                columns[name].append(value)
        self.unique_hashes = [self.hashes[i] for i in order]
        self.params = [project.pk, actor.pk if actor else None, *(columns[n] for n in COLUMNS), self.unique_hashes]

    def collect(self, cursor: psycopg.Cursor) -> list[tuple[int, bool]]:
        """After the INSERT ran on `cursor`: for each record, its article id and whether it is new."""
        new_ids = {h: i for i, h in cursor.fetchall()}
        missing = [h for h in self.unique_hashes if h not in new_ids]
        existing: dict[str, int] = {}
        if missing:
            cursor.execute(
                "SELECT content_hash, id FROM articles_article WHERE project_id = %s AND content_hash = ANY(%s)",
                [self.project.pk, missing],
            )
            existing = dict(cursor.fetchall())
        return [
            (new_ids[h] if h in new_ids else existing[h], h in new_ids and self.first_of[h] == i)
            for i, h in enumerate(self.hashes)
        ]

    def store_annotations(self, results: list[tuple[int, bool]]) -> None:
        """Store the annotations that came with the new articles, and the suggesters' suggestions for
        the others (an article that brings annotations, such as our own export, is annotated already),
        in the articles' transaction."""
        if self.suggest:
            brought = self.annotations or [None] * len(self.records)
            self.suggestions = suggest_new_articles(
                project=self.project,
                texts=[
                    Text(article_id, record.fields["title"], record.fields["body"])
                    for (article_id, is_new), record, items in zip(results, self.records, brought, strict=True)
                    if is_new and not items
                ],
            )
        if self.plan is None or self.annotations is None:
            return
        pending = [
            (article_id, items, record.where)
            for (article_id, is_new), items, record in zip(results, self.annotations, self.records, strict=True)
            if is_new and items
        ]
        if pending:
            import_annotations(plan=self.plan, articles=pending)


RETRYABLE = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)


@atomic_retried
def _store_batch(batch: _Batch) -> list[tuple[int, bool]]:
    """Store one batch in its own transaction and wait for it.

    Two imports that share bodies in different orders can deadlock on the unique index; PostgreSQL
    then aborts one of them, and the batch is run again (`atomic_retried`).
    """
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(INSERT_ARTICLES, batch.params)
        results = batch.collect(cursor)
    batch.store_annotations(results)
    return results


class _SentBatch:
    """A batch whose INSERT is on its way to the server (psycopg pipeline mode) in an open transaction,
    so that the next batch is read and normalised while PostgreSQL stores this one."""

    def __init__(self, batch: _Batch):
        self.batch = batch
        self.transaction = contextlib.ExitStack()  # outlives the pipeline: annotations are stored after it
        self.stack = contextlib.ExitStack()
        try:
            self.transaction.enter_context(transaction.atomic())
            connection.ensure_connection()
            conn = connection.connection
            self.stack.enter_context(conn.pipeline())
            self.cursor = self.stack.enter_context(psycopg.Cursor(conn))
            self.cursor.execute(INSERT_ARTICLES, batch.params)
            while conn.pgconn.flush():  # push the whole batch out now, not at the next sync
                select.select([], [conn.pgconn.socket], [])
        except BaseException:
            exc_info = sys.exc_info()
            self.stack.__exit__(*exc_info)
            self.transaction.__exit__(*exc_info)
            raise

    def finish(self) -> list[tuple[int, bool]]:
        """Wait for the INSERT, store the annotations that came along, and commit; a deadlock is retried
        the ordinary way."""
        try:
            with self.transaction:
                with self.stack:
                    results = self.batch.collect(self.cursor)
                self.batch.store_annotations(results)
                return results
        except RETRYABLE:
            return _store_batch(self.batch)


def import_articles(
    *,
    project: Project,
    actor: User | None,
    items: Iterable[Item],
    batch_size: int = IMPORT_BATCH_SIZE,
    progress: Callable[[ImportSummary], None] | None = None,
    suggest: bool | None = None,
) -> ImportSummary:
    """Store every good record of `items` (each batch atomically), skip duplicates, list the rejected.

    Project admins import; actor None is the command line. A record is stored whole or not at all, with
    the suggesters' suggestions for it (unless `suggest` is false; by default SUGGEST_ON_IMPORT).
    A record with the url of an article the project has, and another body, is that article's next revision.
    """
    if actor is not None:
        require_role(actor, project, {Role.ADMIN}, to="import articles")
    suggest = settings.SUGGEST_ON_IMPORT if suggest is None else suggest
    summary = ImportSummary()
    records: list[ArticleRecord] = []
    slots: list[int] = []
    annotations: list[list[dict] | None] = []
    plan: AnnotationImport | None = None  # made at the first record that brings annotations
    sent: _SentBatch | None = None
    corrections = ImportRevisions(project, actor)

    def finish_sent() -> None:
        nonlocal sent
        if sent is None:
            return
        done, sent = sent, None
        brought = done.batch.annotations or [None] * len(done.batch.slots)
        for slot, (article_id, is_new), items in zip(done.batch.slots, done.finish(), brought, strict=True):
            summary.ids[slot] = article_id
            if is_new:
                summary.added += 1
                summary.annotations += len(items or ())
                if not items and not done.batch.suggest:
                    summary.to_suggest.append(article_id)
            else:
                summary.duplicates += 1
        summary.suggestions.add(done.batch.suggestions)
        if progress:
            progress(summary)

    def send() -> None:
        nonlocal sent, records, slots, annotations
        batch = _Batch(project, actor, records, slots, annotations if plan else None, plan, suggest)
        records, slots, annotations = [], [], []
        finish_sent()
        sent = _SentBatch(batch)

    try:
        for item in items:
            if isinstance(item, Skipped):
                summary.skipped.append(item)
                continue
            summary.ids.append(None)
            if isinstance(item, Rejection):
                summary.rejected.append(item)
                continue
            if (corrected := corrections.target(item.fields)) is not None:
                finish_sent()  # a revision takes its own transaction, never the one a sent batch holds open
                try:
                    corrections.revise(corrected, item.fields, item.where)
                except ValidationError as exc:
                    summary.rejected.append(Rejection(item.where, "; ".join(exc.messages)))
                    continue
                summary.ids[-1] = corrected
                summary.revised += 1
                continue
            cleaned = None
            if item.annotations is not None:
                plan = plan or annotation_import(actor=actor, project=project)
                try:
                    cleaned = plan.clean(item.fields["body"], item.annotations)
                except ValidationError as exc:
                    summary.rejected.append(Rejection(item.where, "; ".join(exc.messages)))
                    continue
            records.append(item)
            slots.append(len(summary.ids) - 1)
            annotations.append(cleaned)
            if len(records) >= batch_size:
                send()
        if records:
            send()
        finish_sent()
    except BaseException:
        # Reading failed while a batch was in flight: store that batch (its records are good), as the
        # batches before it were, then report the failure.
        with contextlib.suppress(Exception):
            finish_sent()
        raise
    return summary


INDEX_BATCH_SIZE = 1000


def index_for_search(*, project: Project | None = None, batch_size: int = INDEX_BATCH_SIZE) -> int:
    """Compute the search document of the articles that have none (new or edited); returns how many.

    Imports store articles first and index them after, in batches of their own, so that storing runs
    at the speed of the database; until then, searches match those articles on the fly.
    """
    indexed = 0
    while True:
        with transaction.atomic():
            pending = Article.objects.unindexed()
            if project is not None:
                pending = pending.filter(project=project)
            ids = list(pending.select_for_update(skip_locked=True).values_list("pk", flat=True)[:batch_size])
            if not ids:
                return indexed
            indexed += Article.objects.filter(pk__in=ids).update(
                search_document=SEARCH_VECTOR, search_grams=ScriptGrams()
            )


PROJECT_SETTINGS = ("name", "description", "guidelines", "label_config", "annotators_per_article")
PROJECT_TEXTS = {"name", "description", "guidelines"}


def checked_label_config(project: Project, config) -> dict:
    """A new label config for the project, cleaned; a label still used by an annotation cannot be removed."""
    from annotator.annotations.models import Annotation

    config = clean_label_config(config)
    if project.pk is None:
        return config
    errors = {}
    for (kind, key), attribute in choice_attributes().items():
        removed = set(project.label_config.get(kind, {}).get(key, [])) - set(config[kind][key])
        if not removed:
            continue
        in_use = set(
            Annotation.objects.of_project(project)
            .filter(kind=kind, **{f"attributes__{attribute}__in": sorted(removed)})
            .values_list(f"attributes__{attribute}", flat=True)
            .distinct()
        )
        if in_use:
            errors[f"label_config.{kind}.{key}"] = (
                f"{', '.join(sorted(in_use))} {'is' if len(in_use) == 1 else 'are'} used by annotations; "
                "change those annotations first"
            )
    if errors:
        raise ValidationError(errors)
    return config


@transaction.atomic
def update_project(*, actor: User | None, project: Project, **changes) -> Project:
    """Project admins change a project's settings; a label still used by an annotation cannot be removed."""
    if actor is not None:
        require_role(actor, project, {Role.ADMIN}, to="change the project")
    project = Project.objects.select_for_update().get(pk=project.pk)
    unknown = sorted(set(changes) - set(PROJECT_SETTINGS))
    if "slug" in unknown and changes["slug"] == project.slug:
        unknown.remove("slug")
    if unknown:
        raise ValidationError({name: "cannot be changed here" for name in unknown})
    for name in PROJECT_TEXTS & changes.keys():
        changes[name] = clean_text(changes[name], name)
    if "label_config" in changes:
        changes["label_config"] = checked_label_config(project, changes["label_config"])
    for name, value in changes.items():
        setattr(project, name, value)
    project.full_clean(exclude=["slug"])
    project.save()
    return project


# --- the admin's writes: one article, deletes ------------------------------------------------------


@transaction.atomic
def add_article(*, actor: User | None, project: Project, fields: dict) -> Article:
    """One article, stored as an import of one record stores it (normalised, suggested); a body the project
    has already is refused."""
    try:
        record = ArticleRecord("the article", ingestion.clean_fields(fields))
    except ingestion.RecordError as exc:
        raise ValidationError({exc.field: str(exc)} if exc.field else str(exc)) from None
    summary = import_articles(project=project, actor=actor, items=[record])
    if summary.duplicates:
        raise ValidationError({"body": "This project has an article with the same body already."})
    index_for_search(project=project)
    return Article.objects.get(pk=summary.ids[0])


@transaction.atomic
def delete_article(*, actor: User | None, article: Article) -> None:
    """Project admins delete an article, with its annotations and their history."""
    if actor is not None:
        require_role(actor, article.project, {Role.ADMIN}, to="delete articles")
    article.delete()


@transaction.atomic
def delete_project(*, actor: User | None, project: Project) -> None:
    """Project admins delete a project with everything in it."""
    if actor is not None:
        require_role(actor, project, {Role.ADMIN}, to="delete the project")
    project.delete()
