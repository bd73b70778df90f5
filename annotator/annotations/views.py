"""The annotation workspace: one article, its highlights, the side panel and the annotation form.

Views fetch, call a service and render; htmx requests get the regions that changed (the editor,
plus the body and the list swapped out of band), other requests a full page or a redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from annotator.accounts.models import REVIEW_ROLES
from annotator.annotations.forms import AnnotationForm
from annotator.annotations.kinds import Kind
from annotator.annotations.labels import clean_span
from annotator.annotations.models import Annotation, AnnotationEvent, Status
from annotator.annotations.queue import held_article, next_article, others_waiting
from annotator.annotations.services import (
    Conflict,
    create_annotation,
    delete_annotation,
    edit_refusal,
    restore_annotation,
    submit_article,
    update_annotation,
)
from annotator.annotations.workspace import (
    FORM_SENT,
    FORM_SENT_DELETED,
    PAGE,
    annotation_for,
    article_change,
    article_for,
    back_to_article,
    bound_form,
    create_once,
    editor_message,
    form_context,
    form_edits,
    parse_int,
    refused,
    render_workspace,
    workspace_changes,
    workspace_context,
)
from annotator.articles.models import Article, Project
from annotator.idempotency.services import KeyReused, new_key


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


def _invalid(request, article, role, form, *, annotation=None, status=422, message=""):
    context = form_context(article, form, annotation=annotation) | {"message": message}
    if request.htmx:
        return render(request, "annotations/_annotation_form.html", context, status=status)
    return render(request, PAGE, workspace_context(request, article, role) | {"editor": context}, status=status)


def _saved(
    request, article, role, annotation: Annotation, verb: str, *, before=None, replayed: bool = False
) -> HttpResponse:
    """After a create, an edit or an undo: the page again, or for htmx only what changed (a form sent twice:
    the list entry the first answer added is replaced, not doubled)."""
    if not request.htmx:
        return back_to_article(request, article, f"{annotation.get_kind_display()} {verb}.")
    resolved = getattr(annotation, "resolved", [])
    if resolved:  # the suggestions it resolved leave the list and the text: draw them again
        toast = f"{annotation.get_kind_display()} {verb}; it resolves {len(resolved)} suggestion"
        toast += "s." if len(resolved) > 1 else "."
        saved = {"annotationSaved": {"id": annotation.pk}}
        return render_workspace(request, article, role, toast=toast, trigger=saved)
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


@require_POST
@login_required
def annotation_create(request: HttpRequest, pk: int) -> HttpResponse:
    article, role = article_for(request, pk)
    form = bound_form(request, article, request.POST.get("kind", ""))
    if not form.is_valid():
        return _invalid(request, article, role, form)
    try:
        annotation, replayed = create_once(request, form, article, create_annotation)
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
    was_approved = annotation.status == Status.APPROVED
    try:
        annotation = update_annotation(
            actor=request.user,
            annotation=annotation,
            expected_version=form.cleaned_data["version"],
            **form_edits(form),
        )
    except ValidationError as exc:
        form.add_service_errors(exc)
        return _invalid(request, article, role, form, annotation=annotation)
    except PermissionDenied as exc:
        return editor_message(request, article, role, str(exc), 403)
    except Conflict as exc:
        return _conflict(request, article, role, form, exc)
    reopened = was_approved and annotation.status == Status.SUBMITTED
    verb = "changed and sent back to review" if reopened else "updated"
    return _saved(request, article, role, annotation, verb, before=before)


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


@require_http_methods(["GET", "POST"])
@login_required
def queue_next(request: HttpRequest, slug: str) -> HttpResponse:
    """Take the next article of the project's queue (POST, the project page's button) and open it; a GET (a link
    or a bookmark) takes nothing: it opens the article I hold, else the project page with the button."""
    project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
    if request.method == "GET":
        held = held_article(user=request.user, project=project)
        return redirect("article_detail", held.pk) if held else redirect("project_detail", project.slug)
    article = next_article(actor=request.user, project=project)
    current = parse_int(request.POST.get("current"))
    if article is not None and article.pk != current:
        url = reverse("article_detail", args=[article.pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if article is None:
        message = "Nothing left for you in this project's queue."
    elif others_waiting(user=request.user, project=project):
        message = "The queue keeps this article for you until you submit it (Ctrl+Enter); then n opens the next one."
    else:
        message = "Nothing else is left for you in this project's queue: this article is the last one."
    if request.htmx:  # said in the page, which keeps what is typed in its form
        return render(request, "annotations/_toast.html", {"toast": message})
    messages.info(request, message)
    return redirect("article_detail", current) if current is not None else redirect("project_detail", project.slug)


@article_change
def article_submit(request: HttpRequest, article: Article) -> tuple[str, dict]:
    """The user's drafts of the article go to review."""
    count = submit_article(actor=request.user, article=article)
    toast = f"Submitted {count} annotation{'s' if count != 1 else ''} for review."
    return toast, {"articleSubmitted": {"count": count}}
