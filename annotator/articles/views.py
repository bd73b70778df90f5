from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from annotator.accounts.models import REVIEW_ROLES, Membership, Role
from annotator.accounts.services import require_role
from annotator.annotations.colours import palette_of
from annotator.annotations.forms import parse_int
from annotator.annotations.models import Progress
from annotator.articles.forms import ArticleImportForm, ProjectSettingsForm
from annotator.articles.import_jobs import start_file_import
from annotator.articles.markdown import render_markdown
from annotator.articles.models import Article, Project
from annotator.articles.services import update_project
from annotator.jobs.models import Job, JobKind
from annotator.jobs.views import job_context

ARTICLES_PER_PAGE = 50
RECENT_JOBS_SHOWN = 5


@require_GET
@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.visible_to(request.user).annotate(article_count=Count("articles", distinct=True))
    roles = dict(Membership.objects.filter(user=request.user).values_list("project_id", "role"))
    rows = [(project, roles.get(project.pk, Role.ADMIN)) for project in projects]
    return render(request, "articles/project_list.html", {"rows": rows})


WITH_REJECTED = "rejected"
WAITING_SHOWN = 1000  # past this many annotations waiting for review, the project page says "more than 1000"
STATUS_CHOICES = [*Progress.choices, (WITH_REJECTED, "with rejected annotations")]


def _input_error(search: str, status: str) -> str | None:
    """What is wrong with the page's query string, told so that the person can fix it."""
    if status and status not in dict(STATUS_CHOICES):
        choices = ", ".join(value for value, _ in STATUS_CHOICES)
        return f"Unknown status “{status}”: choose one of {choices}, or none."
    if "\x00" in search:
        return "The search may not contain NUL characters."
    return None


@require_GET
@login_required
@vary_on_headers("HX-Request")
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The project's articles with my progress on each, searchable, filterable by my progress, 50 a page."""
    user = request.user
    projects = Project.objects.visible_to(user).with_counts_for(user, waiting_limit=WAITING_SHOWN)
    project = get_object_or_404(projects, slug=slug)
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    context = {
        "project": project,
        "role": (role := Membership.objects.role_of(user, project)),
        "is_reviewer": role in REVIEW_ROLES,
        "q": search,
        "status": status,
        "status_choices": STATUS_CHOICES,
        "waiting_over": WAITING_SHOWN if project.waiting_review > WAITING_SHOWN else None,
        "jobs": Job.objects.filter(project=project).defer("params", "result").order_by("-id")[:RECENT_JOBS_SHOWN],
    }
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "articles/project_detail.html#results" if fragment else "articles/project_detail.html"
    if error := _input_error(search, status):
        return render(request, template, {**context, "error": error}, status=400)

    articles = (
        Article.objects.visible_to(user)
        .filter(project=project)
        .only("id", "title", "source", "published_at", "language", "project_id")
    )
    articles = articles.search(search) if search else articles.order_by("id")
    if status == WITH_REJECTED:
        articles = articles.with_progress_of(user).filter(rejected_count__gt=0)
    elif status:
        articles = articles.with_progress_of(user).filter(progress=status)

    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    if not status:
        # My progress on this page's articles only. Computed in the query that pages, it was worked out for every
        # article the OFFSET skips too: 0.6 s for page 150 of 10,000 articles (bench/load.py).
        in_page = articles.with_progress_of(user).filter(pk__in=page.object_list.values("pk"))
        page.object_list = list(in_page)
    for article in page:
        article.progress_label = Progress(article.progress).label
    return render(request, template, {**context, "page": page})


@require_GET
@login_required
def project_guidelines(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
    return render(
        request, "articles/project_guidelines.html", {"project": project, "html": render_markdown(project.guidelines)}
    )


@require_http_methods(["GET", "POST"])
@login_required
def article_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Admins upload a file; a job stores it, and the page follows the job (?job=ID) to its summary."""
    project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
    require_role(request.user, project, {Role.ADMIN}, to="import articles")
    members = sorted(project.memberships.values_list("user__username", flat=True))
    initial = {"annotator": request.user.username}
    form = ArticleImportForm(request.POST or None, request.FILES or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        upload.seek(0)
        try:
            job = start_file_import(
                actor=request.user,
                project=project,
                name=upload.name,
                content=upload.read(),
                annotator=form.cleaned_data["annotator"] or None,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect(f"{reverse('article_import', args=[project.slug])}?job={job.pk}", permanent=False)
    context = {"project": project, "form": form}
    job_id = parse_int(request.GET.get("job"))
    if request.method == "GET" and job_id is not None and 0 < job_id < 2**63:
        job = get_object_or_404(Job.objects.filter(project=project, kind=JobKind.IMPORT), pk=job_id)
        context |= job_context(request, job) | {"form": ArticleImportForm(members=members, initial=initial)}
    return render(request, "articles/article_import.html", context, status=400 if request.method == "POST" else 200)


def _settings_page(request, project, form, status=200):
    context = {"project": project, "form": form, "swatches": palette_of(project.label_config).swatches()}
    return render(request, "articles/project_settings.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def project_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """Admins change the project's name, guidelines, label vocabularies and k."""
    project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
    require_role(request.user, project, {Role.ADMIN}, to="change the project's settings")
    if request.method == "GET":
        return _settings_page(request, project, ProjectSettingsForm(initial=ProjectSettingsForm.initial_for(project)))
    form = ProjectSettingsForm(request.POST)
    if form.is_valid():
        try:
            update_project(actor=request.user, project=project, **form.changes())
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Settings saved.")
            return redirect("project_settings", project.slug)
    return _settings_page(request, project, form, status=400)


@require_GET
@login_required
def label_colours(request: HttpRequest, slug: str) -> HttpResponse:
    """The project's label colours as a stylesheet (the CSP allows no inline style), cached by its ETag."""
    project = get_object_or_404(Project.objects.visible_to(request.user).only("label_config"), slug=slug)
    palette = palette_of(project.label_config)
    etag = f'"{palette.version}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(palette.css, content_type="text/css; charset=utf-8")
    response["ETag"] = etag
    # The link carries the version: a browser keeps that URL's answer; any other it asks again.
    fresh = request.GET.get("v") == palette.version
    response["Cache-Control"] = "private, max-age=31536000, immutable" if fresh else "private, no-cache"
    return response
