"""Actions on many annotations at once: what they will do, shown before they are done, and their undo.

A preview (GET) lists what the action will change and carries the explicit list in its confirm form; the
POST that follows is the action's own view (review_views.article_review_bulk, suggestions' accept-all).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from annotator.annotations.bulk_decisions import waiting_of
from annotator.annotations.clusters import plan_adjudication
from annotator.annotations.models import BulkAction, BulkKind
from annotator.annotations.review_views import _after_decision, _decision_failed, _require_reviewer
from annotator.annotations.services import Conflict
from annotator.annotations.undo import undo_bulk_action
from annotator.annotations.workspace import article_for, back_to_article, parse_int, refused, render_workspace

CONFIRM = "annotations/_bulk_confirm.html"
CONFIRM_PAGE = "annotations/bulk_confirm.html"


def confirmation(request: HttpRequest, article, context: dict) -> HttpResponse:
    """The preview in the editor region (htmx), or as a page of its own."""
    context = {"article": article, "project": article.project} | context
    return render(request, CONFIRM if request.htmx else CONFIRM_PAGE, context)


@require_GET
@login_required
@vary_on_headers("HX-Request")
def adjudication_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Which annotations approving one version approves and rejects, and a button that does exactly that."""
    article, _role = article_for(request, pk)
    plan = plan_adjudication(actor=request.user, article=article, chosen=parse_int(request.GET.get("chosen")))
    return confirmation(
        request,
        article,
        {
            "bulk": "adjudicate",
            "plan": plan,
            "action": reverse("article_review_bulk", args=[article.pk]),
            "back": reverse("article_review", args=[article.pk]) + "#comparison",
        },
    )


@require_GET
@login_required
@vary_on_headers("HX-Request")
def approve_remaining_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The annotations of one annotator that "Approve all" will approve."""
    article, _role = article_for(request, pk)
    _require_reviewer(request.user, article.project)
    author, waiting = waiting_of(article, parse_int(request.GET.get("author")))
    return confirmation(
        request,
        article,
        {
            "bulk": "approve_remaining",
            "author": author,
            "annotations": list(waiting),
            "action": reverse("article_review_bulk", args=[article.pk]),
            "back": reverse("article_review", args=[article.pk]),
        },
    )


@require_POST
@login_required
def bulk_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo one of the user's recent bulk actions, and show the page it was done on as it is now."""
    action = get_object_or_404(BulkAction.objects.filter(actor=request.user), pk=pk)
    article, role = article_for(request, action.article_id)
    workspace = action.kind == BulkKind.ACCEPT_ALL
    try:
        undo_bulk_action(actor=request.user, action=action)
    except (ValidationError, PermissionDenied, Conflict) as exc:
        if workspace:
            return refused(request, article, role, exc)
        return _decision_failed(request, article, role, exc)
    count = len(action.entries)
    if workspace:
        toast = f"Undone: {count} suggestion{'s are' if count != 1 else ' is'} pending again."
        if not request.htmx:
            return back_to_article(request, article, toast)
        return render_workspace(request, article, role, toast=toast, trigger={"suggestionDecided": {}})
    toast = f"Undone: {count} annotation{'s wait' if count != 1 else ' waits'} for review again."
    return _after_decision(request, article, role, toast)
