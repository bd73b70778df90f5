"""The annotation workspace: one article, its highlights, the side panel and the annotation form.

Views fetch, call a service and render; htmx requests get the regions that changed (the editor,
plus the body and the list swapped out of band), other requests a full page or a redirect.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from annotator.accounts.models import REVIEW_ROLES, Membership, Role
from annotator.annotations.forms import AnnotationForm
from annotator.annotations.kinds import Kind
from annotator.annotations.models import Annotation, AnnotationEvent, Decision, Review, Status
from annotator.annotations.queue import next_article
from annotator.annotations.rendering import Highlight, paragraphs, render_body, render_paragraphs, touched_paragraphs
from annotator.annotations.services import (
    Conflict,
    clean_span,
    create_annotation,
    delete_annotation,
    edit_refusal,
    restore_annotation,
    submit_article,
    update_annotation,
)
from annotator.articles.models import Article, Project
from annotator.idempotency.services import Answer, KeyReused, answer_once, fingerprint, new_key

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


def highlight_of(a) -> Highlight:
    return Highlight(a.pk, a.kind, a.status, a.start, a.end, suggested=a.author_id is None)


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
    annotations = list(with_rejections(Annotation.objects.visible_to(user).filter(article=article)))
    annotations.sort(key=lambda a: (a.start is not None, a.start or 0, a.end or 0, a.pk))
    return {
        "article": article,
        "project": article.project,
        "role": role,
        "is_reviewer": role in REVIEW_ROLES,
        "body_html": render_body(article.body, [highlight_of(a) for a in annotations if a.start is not None]),
        "items": panel_items(user, role, article.body, annotations),
        "total": len(annotations),
        "kinds": Kind.choices,
        **_counts(user, annotations),
        **suggestion_counts(Counter(a.kind for a in annotations if a.author_id is None)),
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
        overlapping = visible.filter(start__lt=high, end__gt=low).only("id", "kind", "status", "start", "end", "author")
        paragraph_html = render_paragraphs(body, [highlight_of(a) for a in overlapping], indexes)
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
                if annotation.start is None:
                    after = Q(start__isnull=False) | Q(start__isnull=True, pk__gt=annotation.pk)
                else:
                    after = (
                        Q(start__gt=annotation.start)
                        | Q(start=annotation.start, end__gt=annotation.end)
                        | Q(start=annotation.start, end=annotation.end, pk__gt=annotation.pk)
                    )
                next_id = (
                    visible.filter(after)
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
    return {
        "form": form,
        "kind": form.kind_value,
        "annotation": annotation,
        "span_text": article.body[start:end] if start is not None and end is not None else "",
        "layout": form.layout(article.body),
        "action": reverse("annotation_update", args=[annotation.pk])
        if annotation
        else reverse("annotation_create", args=[article.pk]),
    }


def parse_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def render_workspace(request, article, role, *, editor=None, status=200, toast="", trigger=None, undo=None):
    """The page, or for htmx the editor region with the body, the list and a toast out of band."""
    context = workspace_context(request, article, role) | {"editor": editor, "toast": toast, "undo": undo}
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


@require_GET
@login_required
@vary_on_headers("HX-Request")
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article, role = article_for(request, pk)
    return render(request, PAGE, workspace_context(request, article, role))


@require_GET
@login_required
@vary_on_headers("HX-Request")
def annotation_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The form for a new annotation over the selected span (or a document-level stance)."""
    article, role = article_for(request, pk)
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        return editor_message(request, article, role, f"Unknown kind {kind!r}: use quote, claim or stance.", 400)
    start, end = parse_int(request.GET.get("start")), parse_int(request.GET.get("end"))
    try:
        start, end, text = clean_span(article.body, kind, start, end, request.GET.get("text"))
    except ValidationError as exc:
        return editor_message(request, article, role, " ".join(exc.messages), 400)
    form = AnnotationForm(
        kind=kind,
        label_config=article.project.label_config,
        initial={"kind": kind, "start": start, "end": end, "text": text, "idempotency_key": new_key()},
    )
    context = form_context(article, form)
    if request.GET.get("gold") and role in REVIEW_ROLES:  # tagging on the review page
        context |= {"action": reverse("gold_create", args=[article.pk]), "submit_label": "Save as gold"}
    if request.htmx:
        return render(request, "annotations/_annotation_form.html", context)
    return render(request, PAGE, workspace_context(request, article, role) | {"editor": context})


@require_GET
@login_required
@vary_on_headers("HX-Request")
def annotation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    annotation, role = annotation_for(request, pk)
    article = annotation.article
    refusal = edit_refusal(request.user, role, annotation)
    if refusal:
        return editor_message(request, article, role, refusal, 403)
    form = AnnotationForm(
        kind=annotation.kind,
        label_config=article.project.label_config,
        initial=AnnotationForm.initial_from(annotation),
    )
    context = form_context(article, form, annotation=annotation)
    if request.GET.get("then") == "approve" and role in REVIEW_ROLES and annotation.status == Status.SUBMITTED:
        context |= {
            "action": reverse("annotation_edit_approve", args=[annotation.pk]),
            "submit_label": "Save and approve",
        }
    if request.htmx:
        return render(request, "annotations/_annotation_form.html", context)
    return render(request, PAGE, workspace_context(request, article, role) | {"editor": context})


def bound_form(request: HttpRequest, article: Article, kind: str) -> AnnotationForm:
    return AnnotationForm(request.POST, kind=kind, label_config=article.project.label_config)


def _invalid(request, article, role, form, *, annotation=None, status=422, message=""):
    context = form_context(article, form, annotation=annotation) | {"message": message}
    if request.htmx:
        return render(request, "annotations/_annotation_form.html", context, status=status)
    return render(request, PAGE, workspace_context(request, article, role) | {"editor": context}, status=status)


def create_once(request: HttpRequest, form: AnnotationForm, create) -> tuple[Annotation | None, bool]:
    """`create()` at most once per form shown (its idempotency key, same store as the API's Idempotency-Key):
    the form sent again gets the annotation the first send made (None if deleted since) and True."""
    key = form.cleaned_data.get("idempotency_key")
    if not key:
        return create(), False
    made = None

    def run() -> Answer:
        nonlocal made
        made = create()
        return Answer(201, str(made.pk).encode())

    request_line = f"POST {request.path}"
    fields = sorted((k, v) for k, values in request.POST.lists() if k != "csrfmiddlewaretoken" for v in values)
    parts = (f"{name}={value}".encode() for name, value in fields)
    answer = answer_once(
        user=request.user, key=key, request_line=request_line, fingerprint=fingerprint(request_line, parts), run=run
    )
    if not answer.replayed:
        return made, False
    return with_rejections(Annotation.objects.visible_to(request.user)).filter(pk=int(answer.body)).first(), True


def _saved(
    request, article, role, annotation: Annotation, verb: str, *, before=None, replayed: bool = False
) -> HttpResponse:
    """After a create, an edit or an undo: the page again, or for htmx only what changed (a form sent twice:
    the list entry the first answer added is replaced, not doubled)."""
    if not request.htmx:
        return back_to_article(request, article, f"{annotation.get_kind_display()} {verb}.")
    now = (annotation.start, annotation.end)
    moved = before is None or before != now
    return workspace_changes(
        request,
        article,
        role,
        spans=[now] if before is None else [before, now],
        upsert=annotation,
        moved=moved,
        removed=annotation.pk if replayed or (before is not None and moved) else None,
        toast=f"{annotation.get_kind_display()} {verb}.",
        trigger={"annotationSaved": {"id": annotation.pk}},
    )


FORM_SENT = "This form was sent already with other values; close it and open a new one."
FORM_SENT_DELETED = "This form was saved already, and that annotation has been deleted since."


@require_POST
@login_required
def annotation_create(request: HttpRequest, pk: int) -> HttpResponse:
    article, role = article_for(request, pk)
    form = bound_form(request, article, request.POST.get("kind", ""))
    if not form.is_valid():
        return _invalid(request, article, role, form)
    try:
        annotation, replayed = create_once(
            request,
            form,
            lambda: create_annotation(
                actor=request.user,
                article=article,
                kind=form.cleaned_data["kind"],
                attributes=form.attributes(),
                **form.span(),
            ),
        )
    except ValidationError as exc:
        form.add_service_errors(exc)
        return _invalid(request, article, role, form)
    except PermissionDenied as exc:
        return editor_message(request, article, role, str(exc), 403)
    except KeyReused:
        return editor_message(request, article, role, FORM_SENT, 422)
    if annotation is None:
        return editor_message(request, article, role, FORM_SENT_DELETED, 409)
    return _saved(request, article, role, annotation, "saved", replayed=replayed)


@require_POST
@login_required
def annotation_update(request: HttpRequest, pk: int) -> HttpResponse:
    annotation, role = annotation_for(request, pk)
    article = annotation.article
    form = bound_form(request, article, annotation.kind)
    if not form.is_valid():
        return _invalid(request, article, role, form, annotation=annotation)
    before = (annotation.start, annotation.end)
    try:
        annotation = update_annotation(
            actor=request.user,
            annotation=annotation,
            expected_version=form.cleaned_data["version"],
            attributes=form.attributes(),
            **form.span(),
        )
    except ValidationError as exc:
        form.add_service_errors(exc)
        return _invalid(request, article, role, form, annotation=annotation)
    except PermissionDenied as exc:
        return editor_message(request, article, role, str(exc), 403)
    except Conflict as exc:
        return _conflict(request, article, role, form, exc)
    return _saved(request, article, role, annotation, "updated", before=before)


def _conflict(request, article, role, form: AnnotationForm, exc: Conflict) -> HttpResponse:
    """Someone else changed it: keep what the user typed, show what is stored now, and take its version."""
    if exc.current is None:
        return editor_message(request, article, role, str(exc), 409)
    data = form.data.copy()
    data["version"] = str(exc.current.version)
    form = AnnotationForm(data, kind=exc.current.kind, label_config=article.project.label_config)
    form.is_valid()
    context = form_context(article, form, annotation=exc.current) | {
        "message": f"{exc} Saving again will replace it with what you see in this form.",
        "current": exc.current,
    }
    if request.htmx:
        return render(request, "annotations/_annotation_form.html", context, status=409)
    return render(request, PAGE, workspace_context(request, article, role) | {"editor": context}, status=409)


@require_POST
@login_required
def annotation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    annotation, role = annotation_for(request, pk)
    article = annotation.article
    try:
        delete_annotation(
            actor=request.user, annotation=annotation, expected_version=parse_int(request.POST.get("version"))
        )
    except (PermissionDenied, Conflict) as exc:
        return refused(request, article, role, exc)
    if not request.htmx:
        return back_to_article(request, article, f"{annotation.get_kind_display()} deleted.")
    event = AnnotationEvent.objects.filter(annotation_id=annotation.pk, action="deleted").only("id").last()
    return workspace_changes(
        request,
        article,
        role,
        spans=[(annotation.start, annotation.end)],
        removed=annotation.pk,
        toast=f"{annotation.get_kind_display()} deleted.",
        undo=event,
        trigger={"annotationDeleted": {"id": annotation.pk}},
    )


@require_POST
@login_required
def annotation_restore(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(AnnotationEvent.objects.filter(actor=request.user, action="deleted"), pk=pk)
    article, role = article_for(request, event.article_id)
    try:
        annotation = restore_annotation(actor=request.user, event=event)
    except (ValidationError, PermissionDenied, Conflict) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return editor_message(request, article, role, message, 409)
    return _saved(request, article, role, annotation, "restored")


@require_POST
@login_required
def queue_next(request: HttpRequest, slug: str) -> HttpResponse:
    """Take the next article of the project's queue and open it."""
    project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
    article = next_article(actor=request.user, project=project)
    if article is None:
        messages.info(request, "Nothing left for you in this project's queue.")
        return redirect("project_detail", project.slug)
    return redirect("article_detail", article.pk)


@require_POST
@login_required
def article_submit(request: HttpRequest, pk: int) -> HttpResponse:
    article, role = article_for(request, pk)
    try:
        count = submit_article(actor=request.user, article=article)
    except PermissionDenied as exc:
        return refused(request, article, role, exc)
    toast = f"Submitted {count} annotation{'s' if count != 1 else ''} for review."
    if not request.htmx:
        return back_to_article(request, article, toast)
    return render_workspace(request, article, role, toast=toast, trigger={"articleSubmitted": {"count": count}})
