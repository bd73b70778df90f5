"""The workspace's list of annotations in chunks, so that a long article's page is drawn fast.

The page carries the first FIRST entries of the list; if there are more, the last entry is followed by a
placeholder that static/js/list_chunks.js replaces, as soon as the page is drawn, with the next CHUNK entries
and a placeholder for the rest, until the list is whole (bench/README.md: drawing 2,000 entries at once was most
of the page's time). A chunk starts after the place in the list of the entry before it, so that entries added or
removed meanwhile do not shift it, and is read from there by the database (a keyset: the same queries, and
CHUNK + 1 rows, however long the list).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
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


def after_place(after: str) -> Q:
    """The entries after the place `after` names ("has a span.start.end.id", as more_url writes it; entries
    removed meanwhile do not shift it); anything else names the start of the list."""
    try:
        spanned, start, end, pk = (int(part) for part in after.split("."))
    except ValueError:
        return Q()
    return following(start if spanned else None, end if spanned else None, pk)


def following(start: int | None, end: int | None, pk: int) -> Q:
    """The entries after the one at `start`, `end` (None for a document-level annotation) with id `pk`."""
    if start is None:
        return Q(start__isnull=False) | Q(start__isnull=True, pk__gt=pk)
    return Q(start__gt=start) | Q(start=start, end__gt=end) | Q(start=start, end=end, pk__gt=pk)


def chunk_after(user, article, after: str) -> list:
    """The CHUNK + 1 annotations of `article` that `user` sees after the place `after`, in the list's order (one
    more than a chunk tells whether another follows)."""
    from annotator.annotations.models import Annotation
    from annotator.annotations.workspace import TEXT_ORDER, with_rejections

    visible = Annotation.objects.visible_to(user).filter(article=article).filter(after_place(after))
    return list(with_rejections(visible.order_by(*TEXT_ORDER))[: CHUNK + 1])


@require_GET
@login_required
def article_items(request: HttpRequest, pk: int) -> HttpResponse:
    """The next CHUNK entries of the list, and a placeholder for the rest (list_chunks.js puts them in its place)."""
    from annotator.annotations.workspace import article_for, panel_items

    article, role = article_for(request, pk)
    annotations = chunk_after(request.user, article, request.GET.get("after", ""))
    context = {
        "article": article,
        "items": panel_items(request.user, role, article.body, annotations[:CHUNK]),
        "more_url": more_url(article, annotations, CHUNK),
    }
    return render(request, "annotations/_annotation_items_more.html", context)


urlpatterns = [path("articles/<int:pk>/items/", article_items, name="article_items")]
