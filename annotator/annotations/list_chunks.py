"""The workspace's list of annotations in chunks, so that a long article's page is drawn fast.

The page carries the first FIRST entries of the list; if there are more, the last entry is followed by a
placeholder that htmx replaces, as soon as the page is drawn, with the next CHUNK entries and a placeholder
for the rest, until the list is whole (bench/README.md: drawing 2,000 entries at once was most of the page's
time). A chunk starts after the place in the list of the entry before it, so that entries added or removed
meanwhile do not shift it.
"""

from __future__ import annotations

import bisect

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

FIRST = 100
CHUNK = 1000


def order(a) -> tuple[int, int, int, int]:
    """An entry's place in the list: document-level annotations first, then by start, end and id."""
    return (int(a.start is not None), a.start or 0, a.end or 0, a.pk)


def sorted_annotations(user, article) -> list:
    """The annotations of `article` that `user` sees, in the list's order."""
    from annotator.annotations.models import Annotation
    from annotator.annotations.workspace import with_rejections

    annotations = list(with_rejections(Annotation.objects.visible_to(user).filter(article=article)))
    annotations.sort(key=order)
    return annotations


def more_url(article, annotations: list, end: int) -> str:
    """Where the entries after the first `end` come from (after the place of the last one), or ""."""
    if end >= len(annotations):
        return ""
    after = ".".join(map(str, order(annotations[end - 1])))
    return f"{reverse('article_items', args=[article.pk])}?after={after}"


def chunk_start(annotations: list, after: str) -> int:
    """The index of the first entry after the place `after` names (entries removed meanwhile do not shift it)."""
    try:
        place = tuple(int(part) for part in after.split("."))
    except ValueError:
        return 0
    return bisect.bisect_right([order(a) for a in annotations], place)


@require_GET
@login_required
def article_items(request: HttpRequest, pk: int) -> HttpResponse:
    """The next CHUNK entries of the list, and a placeholder for the rest (htmx swaps them for the placeholder)."""
    from annotator.annotations.workspace import article_for, panel_items

    article, role = article_for(request, pk)
    annotations = sorted_annotations(request.user, article)
    start = chunk_start(annotations, request.GET.get("after", ""))
    end = start + CHUNK
    context = {
        "article": article,
        "items": panel_items(request.user, role, article.body, annotations[start:end]),
        "more_url": more_url(article, annotations, end),
    }
    return render(request, "annotations/_annotation_items_more.html", context)


urlpatterns = [path("articles/<int:pk>/items/", article_items, name="article_items")]
