from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from annotator.accounts.models import REVIEW_ROLES
from annotator.accounts.services import require_role
from annotator.articles.models import Project
from annotator.exports.forms import ExportForm
from annotator.exports.jobs import start_export
from annotator.exports.responses import export_response
from annotator.exports.rows import NEVER_EXPORTED
from annotator.exports.services import FORMATS, export_dataset

FILTERS = ("format", "status", "kind", "since", "until")


def _export(form: ExportForm, project: Project, user):
    """The export the valid form asks for; its errors go back onto the form."""
    options = {name: form.cleaned_data[name] for name in FILTERS}
    options["kinds"] = options.pop("kind")
    try:
        return export_dataset(project=project, actor=user, **options)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return None


@require_GET
@login_required
@vary_on_headers("HX-Request")
def export_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Reviewers and admins choose a format and filters, see how much the export holds, and download it."""
    project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
    require_role(request.user, project, REVIEW_ROLES, to="export annotations")
    query = request.GET.copy()
    for name in ("format", "status"):
        query.setdefault(name, ExportForm.base_fields[name].initial)
    form = ExportForm(query)
    export = _export(form, project, request.user) if form.is_valid() else None
    download_url = job_url = None
    if export is not None:
        params = query.copy()
        for name in list(params):
            if name not in FILTERS:
                del params[name]
        download_url = f"{reverse('export_download', args=[project.slug])}?{params.urlencode()}"
        job_url = f"{reverse('export_job', args=[project.slug])}?{params.urlencode()}"
    statuses = list(export.counts["by_status"]) if export else []
    table = [
        (kind, [cells.get(status, 0) for status in statuses], export.counts["by_kind"][kind])
        for kind, cells in (export.counts["by_kind_and_status"].items() if export else [])
    ]
    context = {
        "project": project,
        "form": form,
        "export": export,
        "statuses": statuses,
        "table": table,
        "format": FORMATS.get(form.cleaned_data.get("format", "")) if export else None,
        "download_url": download_url,
        "job_url": job_url,
        "retention_hours": settings.EXPORT_RETENTION_HOURS,
        "formats": FORMATS.values(),
        "never_exported": NEVER_EXPORTED,
    }
    template = "exports/export_page.html#counts" if request.htmx else "exports/export_page.html"
    return render(request, template, context, status=200 if export is not None else 400)


@require_GET
@login_required
def export_download(request: HttpRequest, slug: str) -> HttpResponse:
    """The file itself, streamed from the database as it is sent."""
    project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
    require_role(request.user, project, REVIEW_ROLES, to="export annotations")
    form = ExportForm(request.GET)
    export = _export(form, project, request.user) if form.is_valid() else None
    if export is None:
        context = {"project": project, "form": form, "export": None}
        return render(request, "exports/export_page.html", context, status=400)
    return export_response(export)


@require_POST
@login_required
def export_job(request: HttpRequest, slug: str) -> HttpResponse:
    """The export the page's choices (its query string) describe, written to a file by a job; the answer is the
    job's page, which shows its progress and then the download link."""
    project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
    require_role(request.user, project, REVIEW_ROLES, to="export annotations")
    form = ExportForm(request.GET)
    if form.is_valid():
        options = {name: form.cleaned_data[name] for name in FILTERS}
        for name in ("since", "until"):
            options[name] = options[name].isoformat() if options[name] else None
        options["kinds"] = options.pop("kind")
        try:
            job = start_export(actor=request.user, project=project, **options)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect("job_detail", job.pk)
    return render(request, "exports/export_page.html", {"project": project, "form": form, "export": None}, status=400)
