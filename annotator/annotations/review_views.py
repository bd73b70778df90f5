"""Reviewing: the queue of submitted work, the review page of one article, and the decisions.

As in the workspace, views fetch, call a service and render; every rule is in `services`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from annotator.accounts.models import REVIEW_ROLES, User
from annotator.accounts.services import require_role
from annotator.annotations.bulk_decisions import adjudicate, approve_remaining
from annotator.annotations.clusters import adjudication_plan, clusters
from annotator.annotations.colours import palette_of
from annotator.annotations.forms import parse_ids
from annotator.annotations.kinds import Kind
from annotator.annotations.models import Annotation, Status
from annotator.annotations.rendering import render_body
from annotator.annotations.services import (
    Conflict,
    create_gold_annotation,
    edit_and_approve,
    review_annotation,
    review_annotations,
)
from annotator.annotations.workspace import (
    FORM_SENT,
    article_for,
    bound_form,
    create_once,
    form_context,
    form_edits,
    highlights_of,
    panel_items,
    parse_int,
    with_rejections,
)
from annotator.articles.models import Project
from annotator.articles.views import ARTICLES_PER_PAGE
from annotator.idempotency.services import KeyReused

REVIEW_PAGE = "annotations/article_review.html"
REVIEW_UPDATE = "annotations/_review_update.html"


def _require_reviewer(user, project) -> None:
    require_role(user, project, REVIEW_ROLES, to="review annotations")


@require_GET
@login_required
@vary_on_headers("HX-Request")
def review_queue(request: HttpRequest, slug: str) -> HttpResponse:
    """Articles with submitted annotations, oldest submission first, filtered by annotator, kind or article."""
    project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
    _require_reviewer(request.user, project)
    waiting = Annotation.objects.visible_to(request.user).of_project(project).submitted()
    annotators = list(
        User.objects.filter(annotations__in=waiting).distinct().order_by("username").values_list("pk", "username")
    )
    author, kind, article_q = request.GET.get("annotator", ""), request.GET.get("kind", ""), request.GET.get("q", "")
    error = None
    if kind and kind not in Kind.values:
        error = f"Unknown kind “{kind}”: choose quote, claim or stance."
    elif author and not (author.isascii() and author.isdigit()):
        error = "Choose an annotator from the list."
    filtered = waiting
    if not error:
        if author:
            filtered = filtered.filter(author_id=int(author))
        if kind:
            filtered = filtered.filter(kind=kind)
        if article_q:
            filtered = filtered.filter(Q(article__title__icontains=article_q) | Q(article_id=parse_int(article_q)))
    rows = (
        filtered.values("article_id", "article__title", "article__language")
        .annotate(
            waiting=Count("pk"),
            annotators=Count("author", distinct=True),
            oldest=Min("submitted_at"),
            quotes=Count("pk", filter=Q(kind=Kind.QUOTE)),
            claims=Count("pk", filter=Q(kind=Kind.CLAIM)),
            stances=Count("pk", filter=Q(kind=Kind.STANCE)),
        )
        .order_by("oldest", "article_id")
    )
    page = Paginator(rows, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "project": project,
        "page": page,
        "total": filtered.count() if not error else 0,
        "annotators": annotators,
        "kinds": Kind.choices,
        "filters": {"annotator": author, "kind": kind, "q": article_q},
        "error": error,
    }
    template = "annotations/review_queue.html#results" if request.htmx else "annotations/review_queue.html"
    return render(request, template, context, status=400 if error else 200)


@dataclass
class AnnotatorSummary:
    user: User
    waiting: int
    approved: int
    rejected: int


def review_context(request: HttpRequest, article, role) -> dict:
    """The review page's regions: every annotator's submitted and decided work, and how they compare."""
    user = request.user
    annotations = list(
        with_rejections(
            Annotation.objects.visible_to(user)
            .filter(article=article, author__isnull=False)
            .exclude(status=Status.DRAFT)
        )
    )
    annotations.sort(key=lambda a: (a.start is not None, a.start or 0, a.end or 0, a.pk))
    authors: dict[int, AnnotatorSummary] = {}
    for a in annotations:
        summary = authors.setdefault(a.author_id, AnnotatorSummary(a.author, 0, 0, 0))
        summary.waiting += a.status == Status.SUBMITTED
        summary.approved += a.status == Status.APPROVED
        summary.rejected += a.status == Status.REJECTED
    columns = sorted(authors.values(), key=lambda s: s.user.username)
    groups = clusters(annotations)
    return {
        "article": article,
        "project": article.project,
        "role": role,
        "body_html": _render(article, annotations),
        "items": panel_items(user, role, article.body, annotations),
        "total": len(annotations),
        "waiting": sum(s.waiting for s in columns),
        "annotators": columns,
        "comparison": [_comparison_row(c, columns, user.pk) for c in groups],
        "kinds": Kind.choices,
        "new_url": reverse("annotation_new", args=[article.pk]) + "?gold=1",
    }


def _comparison_row(cluster, columns: list[AnnotatorSummary], reviewer_id: int) -> dict:
    """One row of the side-by-side table: each annotator's versions, each with how many waiting rivals
    approving it would reject (clusters.adjudication_plan; the preview lists them before anything is done)."""
    others = cluster.annotations
    preview = reverse("adjudication_preview", args=[cluster.annotations[0].article_id]) + "?chosen="
    cells = []
    for s in columns:
        cell = []
        for a in cluster.members.get(s.user.pk, []):
            plan = adjudication_plan(a, others, reviewer_id) if a.status == Status.SUBMITTED else None
            waiting = len(plan.rivals) if plan and a.author_id != reviewer_id else 0
            version = cluster.version_of(a)
            cell.append(
                {
                    "annotation": a,
                    "rivals": waiting,
                    "shared_with": [b.author for b in version.annotations if b.pk != a.pk],
                    "preview_url": f"{preview}{a.pk}",
                }
            )
        cells.append(cell)
    return {"cluster": cluster, "cells": cells}


def _render(article, annotations):
    palette = palette_of(article.project.label_config)
    return render_body(article.body, highlights_of(annotations, palette))


@require_GET
@login_required
@vary_on_headers("HX-Request")
def article_review(request: HttpRequest, pk: int) -> HttpResponse:
    article, role = article_for(request, pk)
    _require_reviewer(request.user, article.project)
    return render(request, REVIEW_PAGE, review_context(request, article, role))


def _after_decision(request, article, role, toast: str, status: int = 200, bulk_undo=None) -> HttpResponse:
    if not request.htmx:
        (messages.success if status == 200 else messages.error)(request, toast)
        return redirect("article_review", article.pk)
    context = review_context(request, article, role) | {"toast": toast, "bulk_undo": bulk_undo}
    response = render(request, REVIEW_UPDATE, context, status=status)
    response["HX-Trigger-After-Settle"] = json.dumps({"reviewDecided": {}})
    return response


def _decision_failed(request, article, role, exc: Exception) -> HttpResponse:
    """Tell the reviewer why, and show the article as it is now (another reviewer may have decided).
    Someone who does not review this project gets a 403, not a redirect to the review page."""
    _require_reviewer(request.user, article.project)
    if isinstance(exc, ValidationError):
        return _after_decision(request, article, role, " ".join(exc.messages), status=422)
    return _after_decision(request, article, role, str(exc), status=409 if isinstance(exc, Conflict) else 403)


@require_POST
@login_required
def annotation_review(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = get_object_or_404(Annotation.objects.visible_to(request.user).select_related("article"), pk=pk)
    article, role = article_for(request, annotation.article_id)
    decision = request.POST.get("decision", "")
    try:
        review_annotation(
            actor=request.user,
            annotation=annotation,
            decision=decision,
            comment=request.POST.get("comment", ""),
            expected_version=parse_int(request.POST.get("version")),
        )
    except (ValidationError, PermissionDenied, Conflict) as exc:
        return _decision_failed(request, article, role, exc)
    verb = "approved" if decision == "approve" else "rejected"
    return _after_decision(request, article, role, f"{annotation.get_kind_display()} {verb}.")


@require_POST
@login_required
def article_review_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """Several decisions at once: all of an annotator's remaining, or one version over its rivals."""
    article, role = article_for(request, pk)
    action = request.POST.get("action", "")
    bulk_undo = None
    try:
        if action == "approve_remaining":
            decided = approve_remaining(
                actor=request.user,
                article=article,
                author=parse_int(request.POST.get("author")),
                ids=parse_ids(request.POST.getlist("ids")) if "ids" in request.POST else None,
            )
            reviews, bulk_undo = decided.reviews, decided.action
            author = reviews[0].annotation.author
            toast = f"Approved {len(reviews)} annotation{'s' * (len(reviews) != 1)} of {author.username}."
        elif action == "adjudicate":
            rivals = parse_ids(request.POST.getlist("rivals"))
            decided = adjudicate(
                actor=request.user,
                article=article,
                chosen=parse_int(request.POST.get("chosen")) or 0,
                rivals=rivals,
                copies=parse_ids(request.POST.getlist("copies")),
                comment=request.POST.get("comment", ""),
            )
            bulk_undo = decided.action
            approved = len(decided.reviews) - len(rivals)
            toast = f"Approved {approved} annotation{'s' * (approved != 1)} of one version and rejected {len(rivals)}."
        elif action == "approve_all":
            ids = parse_ids(request.POST.getlist("ids"))
            reviews = review_annotations(actor=request.user, article=article, ids=ids, decision="approve")
            toast = f"Approved {len(reviews)} annotations."
        else:
            raise ValidationError({"action": f"unknown action {action!r}"})
    except (ValidationError, PermissionDenied, Conflict) as exc:
        return _decision_failed(request, article, role, exc)
    return _after_decision(request, article, role, toast, bulk_undo=bulk_undo)


@require_POST
@login_required
def annotation_edit_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewer's corrected version of a submitted annotation, approved in the same step."""
    annotation = get_object_or_404(
        Annotation.objects.visible_to(request.user).select_related("article__project"), pk=pk
    )
    article, role = article_for(request, annotation.article_id)
    form = bound_form(request, article, annotation.kind)
    if form.is_valid():
        try:
            edit_and_approve(
                actor=request.user,
                annotation=annotation,
                expected_version=form.cleaned_data["version"],
                **form_edits(form),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except (PermissionDenied, Conflict) as exc:
            return _decision_failed(request, article, role, exc)
        else:
            return _after_decision(request, article, role, f"{annotation.get_kind_display()} corrected and approved.")
    context = form_context(article, form, annotation=annotation) | {
        "action": reverse("annotation_edit_approve", args=[annotation.pk]),
        "submit_label": "Save and approve",
    }
    return render(request, "annotations/_annotation_form.html", context, status=422)


@require_POST
@login_required
def gold_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer tags the article directly: the annotation is approved at once (the gold version)."""
    article, role = article_for(request, pk)
    form = bound_form(request, article, request.POST.get("kind", ""))
    if form.is_valid():
        try:
            create_once(request, form, article, create_gold_annotation)  # sent twice, one gold annotation
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDenied as exc:
            return _decision_failed(request, article, role, exc)
        except KeyReused:
            return _decision_failed(request, article, role, ValidationError(FORM_SENT))
        else:
            return _after_decision(request, article, role, "Gold annotation saved and approved.")
    context = form_context(article, form) | {
        "action": reverse("gold_create", args=[article.pk]),
        "submit_label": "Save as gold",
    }
    return render(request, "annotations/_annotation_form.html", context, status=422)
