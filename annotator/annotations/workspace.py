"""What every workspace view shares: the article and the annotation a user may see, the regions of the page
(body, side panel, counts, editor) and the htmx answers to a change, a refusal or a form sent twice.

The annotation views (views.py), the review views and the suggestion views all answer through these.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from annotator.accounts.models import REVIEW_ROLES, Membership, Role
from annotator.annotations import list_chunks
from annotator.annotations.colours import Palette, palette_of
from annotator.annotations.forms import AnnotationForm, parse_int
from annotator.annotations.kinds import Kind
from annotator.annotations.models import Annotation, Decision, Review, Status
from annotator.annotations.rendering import Highlight, paragraphs, render_body, render_paragraphs, touched_paragraphs
from annotator.annotations.services import Conflict, edit_refusal
from annotator.articles.models import Article
from annotator.idempotency.services import Answer, answer_once, fingerprint
from annotator.jobs.models import Job

PAGE = "annotations/article_detail.html"
UPDATE = "annotations/_workspace_update.html"
CHANGES = "annotations/_workspace_changes.html"
TEXT_ORDER = (F("start").asc(nulls_first=True), F("end").asc(nulls_first=True), "pk")


@dataclass
class Item:
    """One annotation as the side panel shows it."""

    annotation: Annotation
    speaker_mention: str
    cue: str
    rejection: Review | None
    refusal: str | None
    mine: bool
    edit_url: str
    delete_url: str
    suggestion: bool = False  # pending: accepted or dismissed by each annotator for themselves
    accept_url: str = ""
    dismiss_url: str = ""

    @property
    def id(self) -> int:
        return self.annotation.pk


def _url_for(name: str):
    """A fast maker of `name`'s URL for any id (the side panel links hundreds of annotations)."""
    sentinel = 987654321
    pattern = reverse(name, args=[sentinel])
    return lambda pk: pattern.replace(str(sentinel), str(pk))


def panel_items(user, role, body: str, annotations) -> list[Item]:
    edit_url, delete_url = _url_for("annotation_edit"), _url_for("annotation_delete")
    accept_url, dismiss_url = _url_for("suggestion_accept"), _url_for("suggestion_dismiss")
    return [
        Item(
            annotation=a,
            speaker_mention=_slice(body, a.attributes.get("speaker_span")),
            cue=_slice(body, a.attributes.get("cue_span")),
            rejection=a.rejections[0] if a.status == Status.REJECTED and a.rejections else None,
            refusal=edit_refusal(user, role, a),
            mine=a.author_id == user.pk,
            edit_url=edit_url(a.pk),
            delete_url=delete_url(a.pk),
            suggestion=a.author_id is None,
            accept_url=accept_url(a.pk) if a.author_id is None else "",
            dismiss_url=dismiss_url(a.pk) if a.author_id is None else "",
        )
        for a in annotations
    ]


def with_rejections(queryset):
    return queryset.select_related("author").prefetch_related(
        Prefetch(
            "reviews",
            queryset=Review.objects.filter(decision=Decision.REJECT)
            .select_related("reviewer")
            .order_by("-created_at", "-id"),
            to_attr="rejections",
        )
    )


def highlights_of(annotations, palette: Palette | None = None) -> list[Highlight]:
    """The marks of the annotations with a span: one per part of a quote in parts, so that the attribution between
    its parts is not marked (rendering.py draws several marks with one `data-ann` as one annotation)."""
    marks = []
    for a in annotations:
        if a.start is None:
            continue
        label = palette.class_of(a.kind, a.attributes) if palette else ""
        for start, end in a.parts or ((a.start, a.end),):
            marks.append(Highlight(a.pk, a.kind, a.status, start, end, suggested=a.author_id is None, label=label))
    return marks


def article_for(request: HttpRequest, pk: int) -> tuple[Article, Role]:
    article = get_object_or_404(Article.objects.visible_to(request.user).select_related("project"), pk=pk)
    return article, Membership.objects.role_of(request.user, article.project)


def annotation_for(request: HttpRequest, pk: int) -> tuple[Annotation, Role]:
    annotation = get_object_or_404(
        Annotation.objects.visible_to(request.user).select_related("article__project"), pk=pk
    )
    return annotation, Membership.objects.role_of(request.user, annotation.article.project)


def _slice(body: str, span: list[int] | None) -> str:
    return body[span[0] : span[1]] if span else ""


def _counts(user, annotations) -> dict[str, int]:
    mine = [a.status for a in annotations if a.author_id == user.pk]
    return {status: mine.count(value) for status, value in STATUS_COUNTS}


STATUS_COUNTS = (
    ("drafts", Status.DRAFT),
    ("submitted", Status.SUBMITTED),
    ("approved", Status.APPROVED),
    ("rejected", Status.REJECTED),
)


def suggestion_counts(pending: dict[str, int]) -> dict:
    """The suggestion bar: how many pending suggestions of each kind the user has not decided on."""
    return {
        "suggestions": sum(pending.values()),
        "suggestion_kinds": [(value, label, pending.get(value, 0)) for value, label in Kind.choices],
    }


def workspace_context(request: HttpRequest, article: Article, role: Role) -> dict:
    """Everything the workspace regions show, in a fixed number of queries."""
    user = request.user
    annotations = list_chunks.sorted_annotations(user, article)
    palette = palette_of(article.project.label_config)
    return {
        "article": article,
        "project": article.project,
        "role": role,
        "is_reviewer": role in REVIEW_ROLES,
        "body_html": render_body(article.body, highlights_of(annotations, palette)),
        "items": panel_items(user, role, article.body, annotations[: list_chunks.FIRST]),
        "more_url": list_chunks.more_url(article, annotations, list_chunks.FIRST),
        "total": len(annotations),
        "kinds": Kind.choices,
        "statuses": Status.choices,
        **_counts(user, annotations),
        **suggestion_counts(Counter(a.kind for a in annotations if a.author_id is None)),
        # An import answers before its suggestions are made: until their job has run, the bar says so.
        "suggestions_preparing": Job.objects.preparing_suggestions_for([article.pk]).exists(),
    }


def workspace_changes(
    request: HttpRequest,
    article: Article,
    role: Role,
    *,
    spans: list[tuple[int | None, int | None]],
    upsert: Annotation | None = None,
    moved: bool = True,
    removed: int | None = None,
    toast: str = "",
    undo=None,
    trigger=None,
) -> HttpResponse:
    """The htmx answer to one change: the touched paragraphs, the one list item, the counts and a toast."""
    user = request.user
    body = article.body
    visible = Annotation.objects.visible_to(user).filter(article=article)
    indexes = touched_paragraphs(body, spans)
    paragraph_html = []
    if indexes:
        bounds = paragraphs(body)
        low, high = bounds[indexes[0]][0], bounds[indexes[-1]][1]
        palette = palette_of(article.project.label_config)
        fields = ("id", "kind", "status", "start", "end", "parts", "author", *(("attributes",) if palette else ()))
        overlapping = visible.filter(start__lt=high, end__gt=low).only(*fields)
        paragraph_html = render_paragraphs(body, highlights_of(overlapping, palette), indexes)
    item = next_id = None
    if upsert is not None:
        annotation = (
            with_rejections(visible.filter(pk=upsert.pk)).first() if upsert.status == Status.REJECTED else upsert
        )
        if annotation is not None:
            if annotation.status != Status.REJECTED:
                annotation.rejections = []
            item = panel_items(user, role, body, [annotation])[0]
            if moved:
                next_id = (
                    visible.filter(list_chunks.following(annotation.start, annotation.end, annotation.pk))
                    .exclude(pk=annotation.pk)
                    .order_by(*TEXT_ORDER)
                    .values_list("pk", flat=True)
                    .first()
                )
    counts = visible.aggregate(
        total=Count("pk"),
        **{name: Count("pk", filter=Q(author=user, status=value)) for name, value in STATUS_COUNTS},
        **{f"pending_{kind}": Count("pk", filter=Q(author__isnull=True, kind=kind)) for kind in Kind.values},
    )
    pending = {kind: counts.pop(f"pending_{kind}") for kind in Kind.values}
    context = {
        "article": article,
        "paragraphs": paragraph_html,
        "item": item,
        "moved": moved,
        "next_id": next_id,
        "removed": removed,
        "toast": toast,
        "undo": undo,
        **counts,
        **suggestion_counts(pending),
    }
    response = render(request, CHANGES, context)
    if trigger:
        response["HX-Trigger-After-Settle"] = json.dumps(trigger)
    return response


def form_context(article: Article, form: AnnotationForm, *, annotation: Annotation | None = None) -> dict:
    data = form.data if form.is_bound else form.initial
    start, end = parse_int(data.get("start")), parse_int(data.get("end"))
    in_body = start is not None and end is not None and 0 <= start < end <= len(article.body)
    names_url = reverse("project_names", args=[article.project.slug])
    for field in form.fields.values():
        if "data-people-names" in field.widget.attrs:
            field.widget.attrs["data-people-names"] = names_url
    return {
        "form": form,
        "kind": form.kind_value,
        "annotation": annotation,
        "span_text": article.body[start:end] if in_body else "",
        "parts_shown": form.parts_shown(article.body) if form.kind_value == Kind.QUOTE else None,
        "span_given": data.get("start") not in (None, "") or data.get("end") not in (None, ""),
        "layout": form.layout(article.body),
        "action": reverse("annotation_update", args=[annotation.pk])
        if annotation
        else reverse("annotation_create", args=[article.pk]),
    }


def render_workspace(
    request, article, role, *, editor=None, status=200, toast="", trigger=None, undo=None, bulk_undo=None
):
    """The page, or for htmx the editor region with the body, the list and a toast out of band; `undo` offers to
    undo a delete (its history entry), `bulk_undo` a bulk action (a BulkAction)."""
    context = workspace_context(request, article, role) | {
        "editor": editor,
        "toast": toast,
        "undo": undo,
        "bulk_undo": bulk_undo,
    }
    if request.htmx:
        response = render(request, UPDATE, context, status=status)
        if trigger:
            response["HX-Trigger-After-Settle"] = json.dumps(trigger)
        return response
    return render(request, PAGE, context, status=status)


def editor_message(request, article, role, message: str, status: int) -> HttpResponse:
    if request.htmx:
        return render(request, "annotations/_editor_message.html", {"message": message}, status=status)
    messages.error(request, message)
    return render_workspace(request, article, role, status=status)


def refused(request, article, role, exc: Exception) -> HttpResponse:
    """A service's refusal in the workspace: bad input 400, not allowed 403, a conflict 409."""
    if isinstance(exc, ValidationError):
        return editor_message(request, article, role, " ".join(exc.messages), 400)
    return editor_message(request, article, role, str(exc), 403 if isinstance(exc, PermissionDenied) else 409)


def back_to_article(request, article, toast: str) -> HttpResponse:
    """Without htmx, a change answers with the article page again (a redirect), the toast as its message."""
    messages.success(request, toast)
    return redirect("article_detail", article.pk)


def form_edits(form: AnnotationForm) -> dict:
    """The span and attributes of a valid annotation form, as the services take them."""
    return {"attributes": form.attributes(), **form.span()}


def article_change(change: Callable[[HttpRequest, Article], tuple[str, dict]]):
    """A POST that changes the whole article (a submit, suggestions accepted or asked for again): `change` calls
    the service and says the toast and the htmx trigger; a refusal is answered as anywhere in the workspace, and
    the change with the page again (a redirect) or, for htmx, the workspace re-rendered with the toast."""

    @require_POST
    @login_required
    @wraps(change)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        article, role = article_for(request, pk)
        try:
            toast, trigger = change(request, article)
        except (PermissionDenied, Conflict, ValidationError) as exc:
            return refused(request, article, role, exc)
        if not request.htmx:
            return back_to_article(request, article, toast)
        return render_workspace(request, article, role, toast=toast, trigger=trigger)

    return view


def bound_form(request: HttpRequest, article: Article, kind: str) -> AnnotationForm:
    return AnnotationForm(request.POST, kind=kind, label_config=article.project.label_config)


FORM_SENT = "This form was sent already with other values; close it and open a new one."
FORM_SENT_DELETED = "This form was saved already, and that annotation has been deleted since."


def create_once(request: HttpRequest, form: AnnotationForm, article: Article, create) -> tuple[Annotation | None, bool]:
    """`create` (a service making an annotation of the form's fields on the article) at most once per form shown:
    keyed by the form's idempotency key, in the same store as the API's Idempotency-Key. The form sent again
    gets the annotation the first send made (None if deleted since) and True."""

    def made() -> Annotation:
        return create(actor=request.user, article=article, kind=form.cleaned_data["kind"], **form_edits(form))

    key = form.cleaned_data.get("idempotency_key")
    if not key:
        return made(), False
    annotation = None

    def run() -> Answer:
        nonlocal annotation
        annotation = made()
        return Answer(201, str(annotation.pk).encode())

    request_line = f"POST {request.path}"
    fields = sorted((k, v) for k, values in request.POST.lists() if k != "csrfmiddlewaretoken" for v in values)
    parts = (f"{name}={value}".encode() for name, value in fields)
    answer = answer_once(
        user=request.user, key=key, request_line=request_line, fingerprint=fingerprint(request_line, parts), run=run
    )
    if not answer.replayed:
        return annotation, False
    return with_rejections(Annotation.objects.visible_to(request.user)).filter(pk=int(answer.body)).first(), True
