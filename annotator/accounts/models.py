from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who annotates, reviews or administers projects."""

    class Meta:
        db_table = "accounts_user"


class Role(models.TextChoices):
    ANNOTATOR = "annotator", "Annotator"
    REVIEWER = "reviewer", "Reviewer"
    ADMIN = "admin", "Admin"


REVIEW_ROLES = frozenset({Role.REVIEWER, Role.ADMIN})


class MembershipQuerySet(models.QuerySet):
    def role_of(self, user, project) -> Role | None:
        """The user's role in the project; superusers are admins of every project.

        Remembered on the user object, which lives for one request or one command, so that a view
        and the services it calls ask the database once.
        """
        if not user.is_authenticated or not user.is_active:
            return None
        if user.is_superuser:
            return Role.ADMIN
        cache = user.__dict__.setdefault("_project_roles", {})
        if project.pk not in cache:
            role = self.filter(user=user, project=project).values_list("role", flat=True).first()
            cache[project.pk] = Role(role) if role else None
        return cache[project.pk]


class Membership(models.Model):
    """A user's one role in one project."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    project = models.ForeignKey("articles.Project", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ANNOTATOR)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "project"], name="membership_one_per_user_and_project"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_valid"),
        ]
        ordering = ["project_id", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.project}"
