from __future__ import annotations

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from annotator.accounts.models import Role, User
from annotator.accounts.services import create_user, set_membership
from annotator.articles.ingestion import read_paths
from annotator.articles.models import Project
from annotator.articles.services import create_project, import_articles, index_for_search
from annotator.suggestions.services import suggest_articles

DEMO_SLUG = "demo"
DEMO_USERS = (("admin", Role.ADMIN), ("reviewer", Role.REVIEWER), ("annotator", Role.ANNOTATOR))


class Command(BaseCommand):
    help = "Load seeds/ into the demo project (idempotent) and create demo accounts when there are no users."

    def handle(self, *args, **options) -> None:
        project = Project.objects.filter(slug=DEMO_SLUG).first() or create_project(
            actor=None,
            name="Demo: news quotes, claims and stances",
            slug=DEMO_SLUG,
            description="The seed article, to try tagging, reviewing and exporting.",
        )
        summary = import_articles(
            project=project, actor=None, items=read_paths([settings.BASE_DIR / "seeds"]), suggest=False
        )
        index_for_search(project=project)
        self.stdout.write(f"demo project {project.slug!r}: {summary.line()}")
        # Every time, not only when a seed is new: a demo set up before suggestions existed gets them too
        # (a run over the same text adds nothing).
        suggestions = suggest_articles(articles=[pk for pk in summary.ids if pk is not None])
        self.stdout.write(f"demo project {project.slug!r}: {suggestions.line()}")
        with transaction.atomic():
            if User.objects.exists():
                return
            lines = []
            for username, role in DEMO_USERS:
                password = secrets.token_urlsafe(12)
                user = create_user(
                    actor=None,
                    username=username,
                    password=password,
                    is_staff=role == Role.ADMIN,
                    is_superuser=role == Role.ADMIN,
                )
                set_membership(actor=None, project=project, user=user, role=role)
                lines.append(f"  {username:<10} {password}   ({role} of {project.slug!r})")
        self.stdout.write("Demo accounts created. Their passwords are shown this once:")
        self.stdout.write("\n".join(lines))
