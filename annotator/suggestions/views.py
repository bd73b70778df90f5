"""The workspace's suggestion controls: accept or dismiss one, accept all of a kind, ask the suggesters again.

As in the rest of the workspace, htmx requests get only what changed; other requests a redirect.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from annotator.accounts.models import Membership, Role
from annotator.annotations.kinds import Kind
from annotator.annotations.models import Annotation
from annotator.annotations.services import Conflict
from annotator.annotations.workspace import article_change, back_to_article, refused, workspace_changes
from annotator.articles.models import Article
from annotator.suggestions.services import accept_all, accept_suggestion, dismiss_suggestion, rerun_suggestions


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


@article_change
def suggestions_accept_all(request: HttpRequest, article: Article) -> tuple[str, dict]:
    """Accept every suggestion of one kind on the article that the user has not decided on."""
    kind = request.POST.get("kind", "")
    accepted = accept_all(actor=request.user, article=article, kind=kind)
    label = Kind(kind).label.lower()
    toast = f"Accepted {len(accepted)} {label}{'s' if len(accepted) != 1 else ''}: your drafts now."
    return toast, {"suggestionDecided": {}}


@article_change
def article_suggest(request: HttpRequest, article: Article) -> tuple[str, dict]:
    """Ask the suggesters again: new suggestions are added, withdrawn ones that nobody decided on go."""
    run = rerun_suggestions(actor=request.user, article=article)
    toast = f"{run.created} new suggestion{'s' if run.created != 1 else ''}"
    toast += f", {run.removed} withdrawn." if run.removed else "."
    if run.failed:
        toast += f" {run.failed} suggester{'s' if run.failed != 1 else ''} failed; see the server log."
    return toast, {"suggestionDecided": {}}
