"""A project's figures kept up to date article by article, so that a change costs its article, not the project.

Every figure of the dashboard (stats.py: progress and counts; agreement.py: span F1 and alpha) is a sum
over articles: what one article adds depends on that article's annotations and assignments alone. So
each article's share (`Share`) is stored (`ArticleFigures`), the project's total is stored beside it
(`ProjectFigures`), and when an article changes the total takes away its old share and adds its new one.

Which articles changed is known from the database itself: statement triggers on the annotation and
assignment tables (annotations' migration 0004) mark every article whose authored annotations or
assignments were inserted, updated or deleted in `FiguresDirty`, whatever wrote them (the services, the
admin, an import, `COPY`). Pending suggestions (no author) are nobody's work and mark nothing.

`current(project)` brings the total up to date, then returns it: when marks are waiting it takes the
project's row lock (one refresher per project at a time), recomputes the marked articles (two queries a
batch of 1,000), stores their shares and the new total, and removes the marks it has read — only those
still carrying the sequence number it read, so a write that committed meanwhile stays marked for the
next refresh. With no total yet (a new project, or a new server time zone, since days are counted in
it), it computes every article once. Readers cache what they derive from the total under its version.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

import orjson
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, When
from django.db.models.fields.json import KT
from django.db.models.functions import Lower, TruncDate

from annotator.annotations.kinds import KINDS, KindDefinition, Type
from annotator.annotations.models import Annotation, Assignment, AssignmentStatus, Status
from annotator.articles.models import Project
from annotator.reports.agreement import COUNTED, Span, Tally, add_counts
from annotator.reports.models import ArticleFigures, FiguresDirty, ProjectFigures

BATCH = 1_000
# Counts are keyed (author, kind, status, day as ISO text or "" for drafts).
CountKey = tuple[int, str, str, str]
# Progress is keyed (annotators who submitted the article, begun, an annotation waits for review).
ProgressKey = tuple[int, bool, bool]


@dataclass
class Share:
    """What some articles add to their project's figures; a project's total is the share of all its articles."""

    counts: Counter[CountKey] = field(default_factory=Counter)
    progress: Counter[ProgressKey] = field(default_factory=Counter)
    agreement: Tally = field(default_factory=Tally)

    def add(self, other: Share, sign: int = 1) -> None:
        add_counts(self.counts, other.counts, sign)
        add_counts(self.progress, other.progress, sign)
        self.agreement.add(other.agreement, sign)

    def is_empty(self) -> bool:
        return not self.counts and not self.progress and self.agreement.is_empty()

    def dumps(self) -> bytes:
        return orjson.dumps(
            {
                "counts": [[*key, n] for key, n in self.counts.items()],
                "progress": [[*key, n] for key, n in self.progress.items()],
                "agreement": self.agreement.to_json(),
            }
        )

    @classmethod
    def loads(cls, data: bytes | memoryview | None) -> Share:
        if not data:
            return cls()
        raw = orjson.loads(bytes(data))
        return cls(
            counts=Counter({(a, k, s, d): n for a, k, s, d, n in raw["counts"]}),
            progress=Counter({(s, b, w): n for s, b, w, n in raw["progress"]}),
            agreement=Tally.from_json(raw["agreement"]),
        )


# --- what articles add -----------------------------------------------------------------------------


def _columns() -> list[tuple[str, KindDefinition, tuple[str, ...]]]:
    """Per kind, the attributes read as the `first` and `second` label (agreement.LABELS, then `matched_by`)."""
    return [(name, kind, (*kind.compared, kind.matched_by)[:2]) for name, kind in KINDS.items() if kind.compared]


def _compared(kind: KindDefinition, name: str):
    """An attribute's value as agreement compares it: text without regard to case."""
    value = KT(f"attributes__{name}")
    return Lower(value) if kind.attribute[name].type == Type.TEXT else value


def _annotation_rows(**where) -> Iterator[tuple]:
    """The authored annotations of some articles, by article: what both the counts and agreement read."""
    first = Case(*[When(kind=name, then=_compared(kind, names[0])) for name, kind, names in _columns()])
    second = Case(*[When(kind=name, then=_compared(kind, names[1])) for name, kind, names in _columns() if names[1:]])
    day = Case(When(status__in=COUNTED, then=TruncDate("submitted_at")))
    rows = (
        Annotation.objects.filter(author__isnull=False, **where)
        .annotate(first_label=first, second_label=second, day=day)
        .order_by("article_id")
        .values_list(
            "article_id",
            "pk",
            "author_id",
            "kind",
            "start",
            "end",
            "status",
            "first_label",
            "second_label",
            "day",
            "parts",
        )
    )
    return rows.iterator(chunk_size=10_000)


def _assignments(**where) -> dict[int, tuple[list[int], int]]:
    """Article → (annotators who submitted it, in id order; how many assignments it has)."""
    result: dict[int, tuple[list[int], int]] = {}
    rows = Assignment.objects.filter(**where).order_by("article_id", "user_id")
    rows = rows.values_list("article_id", "user_id", "status")
    for article, group in groupby(rows.iterator(chunk_size=10_000), key=itemgetter(0)):
        group = list(group)
        result[article] = ([user for _, user, status in group if status == AssignmentStatus.SUBMITTED], len(group))
    return result


def _shares(rows: Iterable[tuple], assignments: dict[int, tuple[list[int], int]]) -> Iterator[tuple[int, Share]]:
    """Each article's share, from its annotation rows (by article) and its assignments."""
    seen = set()
    for article, group in groupby(rows, key=itemgetter(0)):
        seen.add(article)
        yield article, _share(list(group), *assignments.get(article, ([], 0)))
    for article, (submitted, assigned) in assignments.items():
        if article not in seen:
            yield article, _share([], submitted, assigned)


def _share(rows: list[tuple], submitted: list[int], assigned: int) -> Share:
    share = Share()
    waiting = False
    spans = []
    for row in rows:
        status, day = row[6], row[9]
        share.counts[(row[2], row[3], status, day.isoformat() if day else "")] += 1
        if status == Status.SUBMITTED:
            waiting = True
        if status in COUNTED:
            parts = tuple(map(tuple, row[10])) if row[10] else None
            spans.append(Span._make((*row[:9], parts)))
    share.progress[(len(submitted), bool(assigned or rows), waiting)] = 1
    if submitted:
        share.agreement.add_article(submitted, spans)
    return share


def compute(project: Project) -> Share:
    """The project's total from scratch, without storing anything (what the stored total must equal)."""
    total = Share()
    for _, share in _shares(_annotation_rows(article__project=project), _assignments(article__project=project)):
        total.add(share)
    return total


# --- keeping the stored total up to date ------------------------------------------------------------


@dataclass(frozen=True)
class Current:
    version: int
    share: Share | None  # None when the caller's cached figures of this version are still good


def version_of(project: Project) -> int | None:
    """The stored total's version when it is up to date (no article marked, days counted in the server's
    time zone), else None (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT version, time_zone FROM {ProjectFigures._meta.db_table} WHERE project_id = %s "  # noqa: S608 our tables
            f"AND NOT EXISTS (SELECT 1 FROM {FiguresDirty._meta.db_table} WHERE project_id = %s)",
            [project.pk, project.pk],
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] and row[1] == settings.TIME_ZONE else None


def current(project: Project, *, cached_version: int | None = None) -> Current:
    """The project's total, brought up to date first when articles changed (see the module doc).

    With `cached_version` equal to the up-to-date version, the total is not even read."""
    version = version_of(project)
    if version is not None and version == cached_version:
        return Current(version, None)
    if version is not None:
        last = _last.get(project.pk)
        if last is not None and last.version == version:
            return last
        data = ProjectFigures.objects.filter(project=project).values_list("data", flat=True).first()
        return _remember(project, Current(version, Share.loads(data)))
    return _remember(project, refresh(project))


# The last total read by this process, per project: the dashboard asks for the counts and for agreement
# one after the other, and the second should not read the total again.
_last: dict[int, Current] = {}


def _remember(project: Project, now: Current) -> Current:
    if len(_last) >= 16 and project.pk not in _last:
        _last.pop(next(iter(_last)))
    _last[project.pk] = now
    return now


@transaction.atomic
def refresh(project: Project) -> Current:
    """Recompute the marked articles of the project and store the new total (one refresher at a time)."""
    figures = _locked_figures(project)
    marks = list(FiguresDirty.objects.filter(project_id=project.pk).values_list("article_id", "seq"))
    time_zone = settings.TIME_ZONE
    up_to_date = figures.version and figures.time_zone == time_zone
    if up_to_date and not marks:  # another refresher was here first
        return Current(figures.version, Share.loads(figures.data))
    if not up_to_date:
        total = _rebuild(project)
    else:
        total = Share.loads(figures.data)
        for start in range(0, len(marks), BATCH):
            _update(project, total, [article for article, _ in marks[start : start + BATCH]])
    figures.data = total.dumps()
    figures.version += 1
    figures.time_zone = time_zone
    figures.save()
    if marks:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FiguresDirty._meta.db_table} AS d "  # noqa: S608 our table
                "USING unnest(%s::int[], %s::bigint[]) AS m(article, seq) "
                "WHERE d.article_id = m.article AND d.seq = m.seq",
                [[a for a, _ in marks], [s for _, s in marks]],
            )
    return Current(figures.version, total)


def _locked_figures(project: Project) -> ProjectFigures:
    table = ProjectFigures._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (project_id, version, time_zone, data) VALUES (%s, 0, '', NULL) "  # noqa: S608 our table
            "ON CONFLICT (project_id) DO NOTHING",
            [project.pk],
        )
    return ProjectFigures.objects.select_for_update().get(project=project)


def _rebuild(project: Project) -> Share:
    """Every article's share computed and stored anew; their sum."""
    ArticleFigures.objects.filter(project_id=project.pk).delete()
    total = Share()
    batch: list[tuple[int, bytes]] = []
    for article, share in _shares(_annotation_rows(article__project=project), _assignments(article__project=project)):
        total.add(share)
        batch.append((article, share.dumps()))
        if len(batch) >= 5_000:
            _store(project, batch)
            batch = []
    _store(project, batch)
    return total


def _update(project: Project, total: Share, articles: list[int]) -> None:
    old = dict(ArticleFigures.objects.filter(article_id__in=articles).values_list("article_id", "data"))
    new = dict(_shares(_annotation_rows(article_id__in=articles), _assignments(article_id__in=articles)))
    stored = []
    for article in articles:
        total.add(Share.loads(old.get(article)), -1)
        share = new.get(article)
        if share is not None and not share.is_empty():
            total.add(share)
            stored.append((article, share.dumps()))
    ArticleFigures.objects.filter(article_id__in=articles).delete()
    _store(project, stored)


def _store(project: Project, shares: list[tuple[int, bytes]]) -> None:
    if not shares:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ArticleFigures._meta.db_table} (article_id, project_id, data) "  # noqa: S608 our table
            "SELECT a, %s, d FROM unnest(%s::int[], %s::bytea[]) AS s(a, d)",
            [project.pk, [a for a, _ in shares], [d for _, d in shares]],
        )
