"""Corrected articles on the site: an article's revisions (and the form that makes the next one), what one revision
changed, and deleting an annotation that lost its place. The workspace shows the state through the
`revision_panel` tag (templatetags/article_revisions.py)."""

from __future__ import annotations

import unicodedata

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotator.annotations.forms import parse_int
from annotator.annotations.models import Annotation
from annotator.annotations.services import Conflict, delete_annotation, update_annotation
from annotator.annotations.workspace import article_for
from annotator.articles.forms import ArticleRevisionForm
from annotator.articles.models import ArticleRevision
from annotator.articles.revisions import StaleRevision, diff_html, may_correct, revise_article, revision_diff


@require_http_methods(["GET", "POST"])
@login_required
def article_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    """Every body the article has had; project admins and reviewers correct the text here."""
    article, role = article_for(request, pk)
    corrector = may_correct(role)
    form = ArticleRevisionForm(initial={"body": article.body, "revision": article.revision})
    if request.method == "POST":
        if not corrector:
            raise PermissionDenied("Only project admins and reviewers may correct articles.")
        form = ArticleRevisionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                revised = revise_article(
                    actor=request.user,
                    article=article,
                    body=form.cleaned_data["body"],
                    note=form.cleaned_data["note"],
                    base_revision=form.cleaned_data["revision"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except StaleRevision as exc:
                form.add_error(None, str(exc))
            else:
                counts = revised.annotations
                messages.success(
                    request,
                    f"Revision {revised.revision.number} saved: {counts.exact} annotations in place, "
                    f"{counts.changed} changed, {counts.orphaned} lost their text.",
                )
                return redirect("article_revision_diff", article.pk, revised.revision.number)
    revisions = ArticleRevision.objects.filter(article=article).select_related("author").defer("body")
    context = {
        "article": article,
        "project": article.project,
        "revisions": revisions.order_by("-number"),
        "may_correct": corrector,
        "form": form,
    }
    return render(request, "articles/article_revisions.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def article_revision_diff(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """What revision `number` changed in the text of the one before it."""
    article, _ = article_for(request, pk)
    revision = get_object_or_404(ArticleRevision.objects.select_related("author"), article=article, number=number)
    previous = ArticleRevision.objects.filter(article=article, number=number - 1).values_list("body", flat=True).first()
    diff = None
    if previous is not None:
        diff = diff_html(previous, revision.body, revision_diff(revision, previous))
    context = {
        "article": article,
        "project": article.project,
        "revision": revision,
        "diff": diff,
        "body": revision.body,
    }
    return render(request, "articles/revision_diff.html", context)


@require_POST
@login_required
def orphan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an annotation from the workspace's list of those that lost their text (their authors and reviewers)."""
    annotation = get_object_or_404(Annotation.with_orphans.visible_to(request.user).select_related("article"), pk=pk)
    try:
        delete_annotation(actor=request.user, annotation=annotation)
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Annotation deleted.")
    return redirect("article_detail", annotation.article_id)


@require_POST
@login_required
def orphan_place(request: HttpRequest, pk: int) -> HttpResponse:
    """Place an orphaned annotation again on a text of the current body: the text must occur exactly once (never a
    guess between lookalikes); otherwise the person tags the text in the article and deletes the orphan."""
    orphans = Annotation.with_orphans.visible_to(request.user).orphaned().select_related("article")
    annotation = get_object_or_404(orphans, pk=pk)
    if "start" in request.POST or "end" in request.POST:  # the text the person selected in the article
        start, end = parse_int(request.POST.get("start")), parse_int(request.POST.get("end"))
        if start is None or end is None:
            messages.error(request, "Select the text to place it on in the article first, then press the button.")
        else:
            _place(request, annotation, start, end)
        return redirect("article_detail", annotation.article_id)
    wanted = unicodedata.normalize("NFC", request.POST.get("text", "")).strip()
    body = annotation.article.body
    found = body.find(wanted) if wanted else -1
    if found < 0:
        messages.error(request, f"“{wanted[:80]}” is not in the corrected text.")
    elif body.find(wanted, found + 1) >= 0:
        messages.error(
            request, f"“{wanted[:80]}” occurs {body.count(wanted)} times: select the right one in the text and tag it."
        )
    else:
        _place(request, annotation, found, found + len(wanted))
    return redirect("article_detail", annotation.article_id)


def _place(request: HttpRequest, annotation: Annotation, start: int, end: int) -> None:
    """Place the orphan on [start, end) of the current body through the edit every span change goes through (it
    checks the offsets against the body and records the history), and say how it went."""
    try:
        update_annotation(
            actor=request.user, annotation=annotation, expected_version=annotation.version, start=start, end=end
        )
    except (ValidationError, Conflict) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, "Annotation placed again.")
