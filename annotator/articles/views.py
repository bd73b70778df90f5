from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from annotator.accounts.models import Membership, Role
from annotator.accounts.services import require_role
from annotator.articles.forms import ArticleImportForm
from annotator.articles.ingestion import read_named_file
from annotator.articles.models import Article, Project
from annotator.articles.services import import_articles

ARTICLES_PER_PAGE = 50


@require_GET
@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.visible_to(request.user).annotate(article_count=Count("articles", distinct=True))
    roles = dict(Membership.objects.filter(user=request.user).values_list("project_id", "role"))
    rows = [(project, roles.get(project.pk, Role.ADMIN)) for project in projects]
    return render(request, "articles/project_list.html", {"rows": rows})


@require_GET
@login_required
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
    role = Membership.objects.role_of(request.user, project)
    articles = (
        Article.objects.visible_to(request.user)
        .filter(project=project)
        .only("id", "title", "source", "published_at", "project_id")
        .order_by("id")[:ARTICLES_PER_PAGE]
    )
    return render(request, "articles/project_detail.html", {"project": project, "role": role, "articles": articles})


@require_http_methods(["GET", "POST"])
@login_required
def article_import(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
    require_role(request.user, project, {Role.ADMIN}, to="import articles")
    summary = None
    form = ArticleImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        upload.seek(0)
        items = read_named_file(upload.name, lambda: _Unclosable(upload))
        summary = import_articles(project=project, actor=request.user, items=items)
        form = ArticleImportForm()
    status = 400 if request.method == "POST" and summary is None else 200
    return render(
        request, "articles/article_import.html", {"project": project, "form": form, "summary": summary}, status=status
    )


class _Unclosable:
    """An uploaded file handed to the readers, which close what they open; Django closes it itself."""

    def __init__(self, upload):
        self.upload = upload

    def __enter__(self):
        return self.upload

    def __exit__(self, *exc_info) -> None:
        return None
