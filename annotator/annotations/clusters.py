"""Units of an article's annotations, for the review page's side-by-side table and for adjudication.

The rule (docs/reviewing.md): two annotations of one kind are *rivals* — versions of the same unit that
exclude each other — when they have the same span and different attributes, or overlapping spans neither
of which contains the other. Identical annotations (same kind, span and attributes) are one version with
several authors. A span nested in another is a unit of its own (a quote inside a quote, a claim inside a
quote). Document-level stances are rivals when they name the same target (case ignored) and differ.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404

from annotator.accounts.models import REVIEW_ROLES
from annotator.accounts.services import require_role
from annotator.annotations.models import Annotation, Status


def _attributes_key(a: Annotation) -> tuple:
    return tuple(sorted((name, repr(value)) for name, value in (a.attributes or {}).items()))


def version_key(a: Annotation) -> tuple:
    """What two identical annotations share: kind, span, parts (a quote in parts) and attributes."""
    parts = tuple(map(tuple, a.parts)) if a.parts else None
    return (a.kind, a.start, a.end, parts, _attributes_key(a))


def same_version(a: Annotation, b: Annotation) -> bool:
    """Identical annotations: one version, whoever drew it."""
    return version_key(a) == version_key(b)


def _target(a: Annotation) -> str:
    return str((a.attributes or {}).get("target") or "").casefold()


def are_rivals(a: Annotation, b: Annotation) -> bool:
    """Versions of the same unit that differ: approving one overrules the other."""
    if a.kind != b.kind or same_version(a, b):
        return False
    if a.start is None or b.start is None:
        return a.start is None and b.start is None and _target(a) == _target(b)
    if (a.start, a.end) == (b.start, b.end):
        return True
    overlap = a.start < b.end and b.start < a.end
    nested = (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)
    return overlap and not nested


@dataclass
class Version:
    """Identical annotations of one or more authors."""

    annotations: list[Annotation]

    @property
    def first(self) -> Annotation:
        return self.annotations[0]

    @property
    def authors(self) -> list:
        return [a.author for a in self.annotations]


@dataclass
class Cluster:
    """One unit: the versions of a span (or of a document-level stance) that compete with each other.

    Rows are the connected parts of the rival relation, so a chain of crossing spans is one row; the
    rivals of each annotation are still only those it competes with itself (`rivals_of`)."""

    kind: str
    start: int | None
    end: int | None
    versions: list[Version] = field(default_factory=list)
    members: dict[int, list[Annotation]] = field(default_factory=dict)  # author id → their annotations

    @property
    def annotations(self) -> list[Annotation]:
        return [a for v in self.versions for a in v.annotations]

    @property
    def agreement(self) -> str:
        """ "exact" when every annotator drew the same version, "differ" when they drew the same span with other
        attributes, "overlap" when their spans cross, "single" when only one annotator has it."""
        if len(self.members) < 2:
            return "single"
        if len(self.versions) == 1:
            return "exact"
        spans = {(v.first.start, v.first.end) for v in self.versions}
        return "differ" if len(spans) == 1 else "overlap"

    def version_of(self, annotation: Annotation) -> Version:
        return next(v for v in self.versions if annotation in v.annotations)


def rivals_of(chosen: Annotation, annotations: Iterable[Annotation]) -> list[Annotation]:
    """The annotations that approving `chosen` overrules."""
    return [a for a in annotations if a.pk != chosen.pk and are_rivals(chosen, a)]


def copies_of(chosen: Annotation, annotations: Iterable[Annotation]) -> list[Annotation]:
    """Other authors' annotations identical to `chosen`: the same version."""
    return [a for a in annotations if a.pk != chosen.pk and same_version(chosen, a)]


def _versions(annotations: list[Annotation]) -> list[Version]:
    versions: dict[tuple, Version] = {}
    for a in annotations:
        versions.setdefault(version_key(a), Version([])).annotations.append(a)
    return list(versions.values())


def _units(versions: list[Version]) -> list[list[Version]]:
    """Connected parts of the rival relation between versions (spans sorted, so a sweep finds the overlaps)."""
    parent = list(range(len(versions)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    spans = sorted(range(len(versions)), key=lambda i: (versions[i].first.start or 0, versions[i].first.end or 0))
    for position, i in enumerate(spans):
        a = versions[i].first
        for j in spans[position + 1 :]:
            b = versions[j].first
            if a.start is not None and b.start is not None and b.start >= a.end:
                break
            if are_rivals(a, b):
                parent[root(j)] = root(i)
    groups: dict[int, list[Version]] = defaultdict(list)
    for i, version in enumerate(versions):
        groups[root(i)].append(version)
    return list(groups.values())


def clusters(annotations: Iterable[Annotation]) -> list[Cluster]:
    """The units of the annotations, in text order (document-level stances first)."""
    by_kind: dict[tuple, list[Annotation]] = defaultdict(list)
    for annotation in annotations:
        by_kind[annotation.kind, annotation.start is None].append(annotation)
    result: list[Cluster] = []
    for (kind, _document), group in by_kind.items():
        group.sort(key=lambda a: (a.start or 0, a.end or 0, a.pk))
        for versions in _units(_versions(group)):
            spans = [(v.first.start, v.first.end) for v in versions]
            start = None if spans[0][0] is None else min(s for s, _ in spans)
            end = None if spans[0][1] is None else max(e for _, e in spans)
            cluster = Cluster(kind, start, end, versions)
            for a in cluster.annotations:
                cluster.members.setdefault(a.author_id, []).append(a)
            result.append(cluster)
    result.sort(key=lambda c: (c.start is not None, c.start or 0, c.end or 0, c.kind))
    return result


@dataclass
class AdjudicationPlan:
    """What approving one version does: approves it (and the identical copies of other authors), rejects its
    rivals; only annotations waiting for review and not the reviewer's own are decided."""

    chosen: Annotation
    copies: list[Annotation]
    rivals: list[Annotation]
    untouched: list[Annotation]  # rivals or copies already decided, or the reviewer's own

    @property
    def approved(self) -> list[Annotation]:
        return [self.chosen, *self.copies]


def adjudication_plan(chosen: Annotation, annotations: Iterable[Annotation], reviewer_id: int) -> AdjudicationPlan:
    """The plan for approving `chosen` over the other annotations of its article."""
    others = list(annotations)

    def decidable(a: Annotation) -> bool:
        return a.status == Status.SUBMITTED and a.author_id != reviewer_id

    copies, rivals = copies_of(chosen, others), rivals_of(chosen, others)
    return AdjudicationPlan(
        chosen=chosen,
        copies=[a for a in copies if decidable(a)],
        rivals=[a for a in rivals if decidable(a)],
        untouched=[a for a in copies + rivals if not decidable(a)],
    )


def plan_adjudication(*, actor, article, chosen: int | None) -> AdjudicationPlan:
    """A reviewer's preview of approving one annotation of the article over its rivals (nothing is decided)."""
    require_role(actor, article.project, REVIEW_ROLES, to="review annotations")
    visible = Annotation.objects.visible_to(actor).filter(article=article).select_related("author")
    annotation = get_object_or_404(visible, pk=chosen)
    others = (
        visible.filter(kind=annotation.kind, author__isnull=False)
        .exclude(status=Status.DRAFT)
        .exclude(pk=annotation.pk)
        .order_by("start", "end", "pk")
    )
    return adjudication_plan(annotation, others, actor.pk)
