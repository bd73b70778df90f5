"""The names already used in a project, for the fields that name a person (static/js/people.js)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from annotator.annotations.people import names_in_use
from annotator.articles.models import Project


@require_GET
@login_required
@cache_control(private=True, no_cache=True)
def project_names(request: HttpRequest, slug: str) -> JsonResponse:
    """`{"names": [...]}`: the names written in the project's person fields that the user may see."""
    project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
    return JsonResponse({"names": names_in_use(project, request.user)})
