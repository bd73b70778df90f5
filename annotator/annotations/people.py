"""The names of people already written in a project, for the fields that name a person (until a register exists).

A user is offered the names in the annotations they may see (`visible_to`) and in the project's approved ones:
an annotator does not learn what another annotator wrote before a reviewer approved it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.db.models.fields.json import KeyTextTransform

from annotator.annotations.kinds import KINDS, Type
from annotator.annotations.models import Annotation, Status
from annotator.articles.models import Project

NAMES_SHOWN = 500

# (kind, attribute) of every TEXT attribute that names a person, from the kinds' declarations.
PERSON_ATTRIBUTES = tuple(
    (kind.name, a.name) for kind in KINDS.values() for a in kind.attributes if a.type == Type.TEXT and a.names_person
)


def names_in_use(project: Project, user, *, limit: int = NAMES_SHOWN) -> list[str]:
    """The distinct names written in the project's person fields, sorted, at most `limit`; one query."""
    seen = Annotation.objects.filter(article__project=project).filter(
        Q(pk__in=Annotation.objects.visible_to(user).values("pk")) | Q(status=Status.APPROVED)
    )
    parts: list[QuerySet] = [
        seen.filter(kind=kind)
        .annotate(name=KeyTextTransform(attribute, "attributes"))
        .exclude(name__isnull=True)
        .exclude(name="")
        .order_by()
        .values_list("name", flat=True)
        for kind, attribute in PERSON_ATTRIBUTES
    ]
    # UNION drops repeated names; the limit bounds what the page receives.
    return list(parts[0].union(*parts[1:]).order_by("name")[:limit])
