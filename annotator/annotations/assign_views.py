"""Handing an article to a member, on a page of its own: project admins only."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from annotator.accounts.models import Role
from annotator.accounts.services import require_role
from annotator.annotations.queue import assign_article
from annotator.articles.models import Article

ASSIGN_PAGE = "annotations/assign_article.html"


class AssignArticleForm(forms.Form):
    username = forms.CharField(max_length=150, label="Member")


@require_http_methods(["GET", "POST"])
@login_required
def article_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Project admins see who has the article and hand it to a member (`queue.assign_article`)."""
    article = get_object_or_404(Article.objects.visible_to(request.user).select_related("project"), pk=pk)
    require_role(request.user, article.project, {Role.ADMIN}, to="assign articles")
    form = AssignArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        try:
            assign_article(actor=request.user, article=article, username=username)
        except ValidationError as exc:
            form.add_error("username", exc.message_dict.get("username", exc.messages))
        else:
            messages.success(request, f"{username} has the article: it is the next one their queue gives.")
            return redirect("article_assign", article.pk)
    context = {
        "article": article,
        "project": article.project,
        "form": form,
        "assignments": article.assignments.select_related("user").order_by("started_at", "user__username"),
        "members": article.project.memberships.select_related("user").order_by("user__username"),
    }
    return render(request, ASSIGN_PAGE, context, status=400 if form.errors else 200)
