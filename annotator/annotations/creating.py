"""What a create writes after the new annotations' rows, in one statement: the check that no correction replaced
the article's body meanwhile, the author's work on the article marked in progress, and the history entries.

Three statements made with Django's ORM were a third of a single create's time in the worker (building and
compiling each costs more than PostgreSQL takes to run it); one written here costs a tenth of that
(tests/test_api_default_paths.py counts a create's statements; bench/README.md has the figures)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection

from annotator.annotations.models import AnnotationEvent, Assignment, AssignmentStatus
from annotator.articles.models import Article

_EVENT_FIELDS = [field for field in AnnotationEvent._meta.concrete_fields if not field.primary_key]
_EVENT_COLUMNS = ", ".join(connection.ops.quote_name(field.column) for field in _EVENT_FIELDS)
# Typed: a column of VALUES that holds only nulls would be text.
_EVENT_ROW = "(" + ", ".join(f"CAST(%s AS {field.db_type(connection)})" for field in _EVENT_FIELDS) + ")"
_WORK_AND_HISTORY = f"""
WITH work AS (
    INSERT INTO {Assignment._meta.db_table} (article_id, user_id, status, started_at, submitted_at)
    SELECT id, %s, %s, %s, NULL FROM {Article._meta.db_table} WHERE id = %s AND revision = %s
    ON CONFLICT (article_id, user_id) DO UPDATE SET status = EXCLUDED.status, submitted_at = NULL
    RETURNING 1
)
INSERT INTO {AnnotationEvent._meta.db_table} ({_EVENT_COLUMNS})
SELECT entry.* FROM (VALUES {{rows}}) AS entry ({_EVENT_COLUMNS}), work
RETURNING 1
"""  # noqa: S608 the table and column names are ours; the values are parameters


def corrected_meanwhile(current: int | None) -> ValidationError:
    message = f"The article was corrected meanwhile (now revision {current}): reload it and select the text again."
    return ValidationError({"start": message})


def require_same_body(article: Article) -> None:
    """Offsets checked against the body are stored only if no revision replaced it meanwhile (articles.revisions).
    Read after the annotations' rows: a correction locks the article until it commits, and the rows wait for it."""
    current = Article.objects.filter(pk=article.pk).values_list("revision", flat=True).first()
    if current != article.revision:
        raise corrected_meanwhile(current)


def record_created(article: Article, actor, now, events: list[AnnotationEvent]) -> None:
    """After the new annotations' rows (in the caller's transaction): refuse them if a correction replaced the
    body they were checked against (require_same_body's rule), start the actor's work on the article (as
    services.set_assignment does with IN_PROGRESS) and write the history entries, in one statement."""
    values = []
    for event in events:
        values += [field.get_db_prep_save(getattr(event, field.attname), connection) for field in _EVENT_FIELDS]
    sql = _WORK_AND_HISTORY.format(rows=", ".join([_EVENT_ROW] * len(events)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [actor.pk, AssignmentStatus.IN_PROGRESS.value, now, article.pk, article.revision, *values])
        written = cursor.fetchall()
    if len(written) != len(events):
        require_same_body(article)  # says which revision replaced it
        raise corrected_meanwhile(None)  # pragma: no cover - only when the article was deleted meanwhile
