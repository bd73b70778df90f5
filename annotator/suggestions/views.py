"""The workspace's suggestion controls: accept or dismiss one, accept all of a kind, ask the suggesters again.

As in the rest of the workspace, htmx requests get only what changed; other requests a redirect.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from annotator.accounts.models import Membership, Role
from annotator.annotations.bulk_views import confirmation
from annotator.annotations.forms import parse_ids
from annotator.annotations.kinds import Kind
from annotator.annotations.models import Annotation
from annotator.annotations.services import Conflict
from annotator.annotations.workspace import (
    article_change,
    article_for,
    back_to_article,
    refused,
    render_workspace,
    workspace_changes,
)
from annotator.articles.models import Article
from annotator.suggestions.resolution import undecided_suggestions
from annotator.suggestions.services import (
    accept_all,
    accept_suggestion,
    dismiss_suggestion,
    rerun_suggestions,
)


def suggestion_for(request: HttpRequest, pk: int) -> tuple[Annotation, Role]:
    """A pending suggestion of an article the user may see (decided by them or not: the service says which)."""
    suggestion = get_object_or_404(
        Annotation.objects.pending_suggestions()
        .filter(article__in=Article.objects.visible_to(request.user))
        .select_related("article__project"),
        pk=pk,
    )
    return suggestion, Membership.objects.role_of(request.user, suggestion.article.project)


@require_POST
@login_required
def suggestion_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """The suggestion becomes the user's own draft, its attributes filled in."""
    return _decide(request, pk, accept_suggestion)


@require_POST
@login_required
def suggestion_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """The suggestion disappears for the user (the article's other annotators still see it)."""
    return _decide(request, pk, dismiss_suggestion)


def _decide(request: HttpRequest, pk: int, decide) -> HttpResponse:
    """The user's decision on a suggestion: it leaves their list, and an accepted one comes back as their draft."""
    suggestion, role = suggestion_for(request, pk)
    article = suggestion.article
    try:
        outcome = decide(actor=request.user, suggestion=suggestion)
    except (PermissionDenied, Conflict, ValidationError) as exc:
        return refused(request, article, role, exc)
    accepted = outcome if isinstance(outcome, Annotation) else None
    if accepted is None:
        toast, decided = "Suggestion dismissed.", {"suggestion": suggestion.pk}
    else:
        toast = f"{accepted.get_kind_display()} accepted: it is your draft now."
        decided = {"suggestion": suggestion.pk, "id": accepted.pk}
    if not request.htmx:
        return back_to_article(request, article, toast)
    return workspace_changes(
        request,
        article,
        role,
        spans=[(suggestion.start, suggestion.end)],
        upsert=accepted,
        removed=suggestion.pk,
        toast=toast,
        trigger={"suggestionDecided": decided},
    )


@require_GET
@login_required
@vary_on_headers("HX-Request")
def suggestions_accept_all_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What "Accept all" of one kind will accept, and a button that accepts exactly those."""
    article, _role = article_for(request, pk)
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        raise Http404("No such kind.")
    pending = list(undecided_suggestions(request.user, article).filter(kind=kind).order_by("start", "pk"))
    return confirmation(
        request,
        article,
        {
            "bulk": "accept_all",
            "kind": kind,
            "label": Kind(kind).label.lower(),
            "annotations": pending,
            "action": reverse("suggestions_accept_all", args=[article.pk]),
            "back": reverse("article_detail", args=[article.pk]),
        },
    )


@require_POST
@login_required
def suggestions_accept_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept every suggestion of one kind on the article that the user has not decided on (with `ids`, the
    ones the confirmation listed); the toast offers to undo it."""
    article, role = article_for(request, pk)
    kind = request.POST.get("kind", "")
    ids = parse_ids(request.POST.getlist("ids")) if "ids" in request.POST else None
    try:
        accepted = accept_all(actor=request.user, article=article, kind=kind, ids=ids)
        copies = accepted.copies
    except (PermissionDenied, Conflict, ValidationError) as exc:
        return refused(request, article, role, exc)
    label = Kind(kind).label.lower()
    toast = f"Accepted {len(copies)} {label}{'s' if len(copies) != 1 else ''}: your drafts now."
    if not request.htmx:
        return back_to_article(request, article, toast)
    trigger = {"suggestionDecided": {}}
    return render_workspace(request, article, role, toast=toast, trigger=trigger, bulk_undo=accepted.action)


@article_change
def article_suggest(request: HttpRequest, article: Article) -> tuple[str, dict]:
    """Ask the suggesters again: new suggestions are added, withdrawn ones that nobody decided on go."""
    run = rerun_suggestions(actor=request.user, article=article)
    toast = f"{run.created} new suggestion{'s' if run.created != 1 else ''}"
    toast += f", {run.removed} withdrawn." if run.removed else "."
    if run.failed:
        toast += f" {run.failed} suggester{'s' if run.failed != 1 else ''} failed; see the server log."
    return toast, {"suggestionDecided": {}}
