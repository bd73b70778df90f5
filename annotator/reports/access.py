"""Who sees a project's figures: the dashboard and the API's stats, agreement and suggestion figures alike."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from annotator.accounts.models import REVIEW_ROLES
from annotator.accounts.services import require_role
from annotator.articles.models import Project


def figures_project(user, slug: str) -> Project:
    """Reviewers and admins see a project's figures; annotators are refused (403), non-members find nothing (404)."""
    project = get_object_or_404(Project.objects.visible_to(user), slug=slug)
    require_role(user, project, REVIEW_ROLES, to="see the project's figures")
    return project
