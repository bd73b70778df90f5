"""The review page's side-by-side table: one article's annotations grouped into stretches of overlapping spans."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.annotations.models import Annotation


@dataclass
class Cluster:
    """Annotations of one kind whose spans overlap (transitively), or the document-level stances."""

    kind: str
    start: int | None
    end: int | None
    members: dict[int, list[Annotation]] = field(default_factory=dict)  # author id → their annotations

    @property
    def annotations(self) -> list[Annotation]:
        return [a for group in self.members.values() for a in group]

    @property
    def agreement(self) -> str:
        """ "exact" when every annotator drew the same span, "overlap" when they drew different ones,
        "single" when only one annotator has it."""
        if len(self.members) < 2:
            return "single"
        spans = {(a.start, a.end) for a in self.annotations}
        one_each = all(len(group) == 1 for group in self.members.values())
        return "exact" if len(spans) == 1 and one_each else "overlap"


def clusters(annotations: Iterable[Annotation]) -> list[Cluster]:
    """Group by kind, then chain overlapping spans; in text order."""
    by_kind: dict[str, list[Annotation]] = defaultdict(list)
    for annotation in annotations:
        by_kind[annotation.kind].append(annotation)
    result: list[Cluster] = []
    for kind, group in by_kind.items():
        documents = [a for a in group if a.start is None]
        if documents:
            cluster = Cluster(kind, None, None)
            for a in documents:
                cluster.members.setdefault(a.author_id, []).append(a)
            result.append(cluster)
        current: Cluster | None = None
        for a in sorted((a for a in group if a.start is not None), key=lambda a: (a.start, a.end, a.pk)):
            if current is None or a.start >= current.end:
                current = Cluster(kind, a.start, a.end)
                result.append(current)
            current.end = max(current.end, a.end)
            current.members.setdefault(a.author_id, []).append(a)
    result.sort(key=lambda c: (c.start is not None, c.start or 0, c.end or 0, c.kind))
    return result
