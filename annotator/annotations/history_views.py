"""An annotation's history: every event of the append-only log, oldest first, also after a delete.

Read from `AnnotationEvent` alone, so a deleted annotation keeps its page; the side panel gets the
`panel` fragment, other requests the full page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from annotator.annotations.models import Action, AnnotationEvent, Origin, Status
from annotator.annotations.parts import PART_GAP
from annotator.articles.models import Article

TEMPLATE = "annotations/annotation_history.html"
SPAN_FIELDS = ("start", "end", "text")
LABELLED = {"status": Status, "origin": Origin}


@dataclass(frozen=True)
class Value:
    """One side of a change as shown: the words, how to set them, and the offsets when it is a span.

    An annotation's own span is an excerpt (news quotes carry their own quotation marks); other text
    is quoted so that an empty or padded value shows.
    """

    text: str
    offsets: str = ""
    form: Literal["plain", "quoted", "excerpt"] = "plain"


@dataclass(frozen=True)
class Change:
    name: str
    before: Value
    after: Value


@dataclass
class Entry:
    """One event as the history shows it."""

    event: AnnotationEvent
    who: str
    changes: list[Change] = field(default_factory=list)
    contents: list[tuple[str, Value]] = field(default_factory=list)


def _span(body: str | None, start: Any, end: Any, text: str | None = None, *, form: str = "quoted") -> Value:
    """A span as the text it covers: the recorded text, else the body at those offsets when at hand."""
    if start is None or end is None:
        return Value("the whole article")
    offsets = f"[{start}, {end})"
    if text is None and body is not None and isinstance(start, int) and isinstance(end, int):
        text = body[start:end]
    return Value(text, offsets, form) if text is not None else Value(offsets)


def _is_span(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)


def _attribute(body: str | None, value: Any) -> Value:
    if value is None or value == "":
        return Value("—")
    if isinstance(value, bool):
        return Value("yes" if value else "no")
    if _is_span(value):
        return _span(body, *value)
    if isinstance(value, str):
        return Value(value, form="quoted")
    return Value(str(value))


def _parts(body: str | None, value: Any) -> Value:
    """A quote's parts as the texts they cover, joined by " … " (none: an ordinary span)."""
    if not value:
        return Value("none: one stretch of text")
    offsets = " ".join(f"[{s}, {e})" for s, e in value)
    if body is None:
        return Value(offsets)
    return Value(PART_GAP.join(body[s:e] for s, e in value), offsets, "excerpt")


def _attribute_changes(body: str | None, before: dict, after: dict) -> list[Change]:
    """Attributes key by key, only the keys whose value changed."""
    names = list(after) + [name for name in before if name not in after]
    return [
        Change(name.replace("_", " "), _attribute(body, before.get(name)), _attribute(body, after.get(name)))
        for name in names
        if before.get(name) != after.get(name)
    ]


def _changes(event: AnnotationEvent, body: str | None, usernames: dict[int, str]) -> list[Change]:
    changes, state = event.changes, event.state
    shown: list[Change] = []
    if any(name in changes for name in SPAN_FIELDS):
        before = {name: changes[name][0] if name in changes else state.get(name) for name in SPAN_FIELDS}
        after = {name: changes[name][1] if name in changes else state.get(name) for name in SPAN_FIELDS}
        after_span = _span(body, **after, form="excerpt")
        if event.action == Action.REANCHORED and after["start"] is None:
            after_span = Value("no place: its text is gone from the corrected article")  # orphaned, not document-level
        shown.append(Change("span", _span(body, **before, form="excerpt"), after_span))
    for name, (before, after) in changes.items():
        if name in SPAN_FIELDS or name == "restored_from":
            continue
        if name == "attributes":
            shown += _attribute_changes(body, before or {}, after or {})
        elif name == "parts":
            shown.append(Change(name, _parts(body, before), _parts(body, after)))
        elif name == "author":
            shown.append(Change(name, Value(usernames.get(before, "suggester")), Value(usernames.get(after, "—"))))
        elif name in LABELLED:
            labels = LABELLED[name]
            shown.append(Change(name, Value(_label(labels, before)), Value(_label(labels, after))))
        else:
            shown.append(Change(name.replace("_", " "), _attribute(body, before), _attribute(body, after)))
    return shown


def _label(choices, value: Any) -> str:
    return choices(value).label if value in choices.values else str(value)


def _contents(event: AnnotationEvent, body: str | None) -> list[tuple[str, Value]]:
    """What a created or deleted annotation held."""
    state = event.state
    shown = [("span", _span(body, state.get("start"), state.get("end"), state.get("text"), form="excerpt"))]
    if state.get("parts"):
        shown.append(("parts", _parts(body, state["parts"])))
    shown += [
        (name.replace("_", " "), _attribute(body, value))
        for name, value in (state.get("attributes") or {}).items()
        if value not in (None, "")
    ]
    return shown


def _usernames(events: list[AnnotationEvent]) -> dict[int, str]:
    """The people an author change names, in one query (none when no event changed the author)."""
    ids = {pk for event in events for pk in event.changes.get("author", []) if pk is not None}
    if not ids:
        return {}
    return dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username"))


def _entries(events: list[AnnotationEvent], body: str | None) -> list[Entry]:
    usernames = _usernames(events)
    entries = []
    for event in events:
        entry = Entry(event=event, who=event.actor.username if event.actor else "suggester")
        entry.changes = _changes(event, body, usernames)
        if event.action in (Action.CREATED, Action.DELETED):
            entry.contents = _contents(event, body)
        entries.append(entry)
    return entries


def _restored_from(request: HttpRequest, created: AnnotationEvent) -> int | None:
    """The deleted annotation that this one is an undo of, if it is one and the user may see it."""
    _, delete_id = created.changes.get("restored_from") or (None, None)
    if created.action != Action.CREATED or delete_id is None:
        return None
    return (
        AnnotationEvent.objects.visible_to(request.user)
        .filter(pk=delete_id, action=Action.DELETED)
        .values_list("annotation_id", flat=True)
        .first()
    )


def _restored_as(request: HttpRequest, delete: AnnotationEvent) -> int | None:
    """The annotation that an undo of this delete brought back, if any and if the user may see it."""
    return (
        AnnotationEvent.objects.visible_to(request.user)
        .filter(action=Action.CREATED, article_id=delete.article_id, changes__restored_from=[None, delete.pk])
        .values_list("annotation_id", flat=True)
        .first()
    )


@require_GET
@login_required
@vary_on_headers("HX-Request")
def annotation_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every create, edit, delete, submit and review of the annotation, whether it still exists or not."""
    events = list(AnnotationEvent.objects.visible_to(request.user).of_annotation(pk).select_related("actor"))
    if not events:
        raise Http404("No history of this annotation is yours to see.")
    article = Article.objects.select_related("project").filter(pk=events[0].article_id).first()
    body = article.body if article is not None else None
    last = events[-1]
    deleted = last.action == Action.DELETED
    context = {
        "annotation_id": pk,
        "article": article,
        "project": article.project if article is not None else None,
        "kind": last.state.get("kind", "annotation"),
        "excerpt": last.state.get("text"),
        "entries": _entries(events, body),
        "restored_from": _restored_from(request, events[0]),
        "deleted": deleted,
        "restored_as": _restored_as(request, last) if deleted else None,
        "in_panel": bool(request.htmx),
    }
    if request.htmx:
        return render(request, f"{TEMPLATE}#panel", context)
    return render(request, TEMPLATE, context)
