from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery

from annotator.accounts.usernames import username_keys


def refuse_lookalike(username: str, *, other_than: int | None = None) -> None:
    """A username may not be, or read like, the username of another account (than `other_than`)."""
    keys = username_keys(username)
    existing = (
        User.objects.filter(models.Q(username_folded=keys.folded) | models.Q(username_skeleton=keys.skeleton))
        .exclude(pk=other_than)
        .values_list("username", flat=True)
        .first()
    )
    if existing == username:
        raise ValidationError({"username": "A user with that username already exists."})
    if existing is not None:
        raise ValidationError({"username": f"{username!r} looks like the username {existing!r}."})


class User(AbstractUser):
    """A person who annotates, reviews or administers projects; no two usernames read alike."""

    # accounts.usernames.username_keys of the username, hashed; kept by save().
    username_folded = models.CharField(max_length=64, unique=True, editable=False)
    username_skeleton = models.CharField(max_length=64, unique=True, editable=False)
    # Set for an account made with a password that the app made up and an admin passed on: its first login
    # leads to changing it (accounts.middleware), and setting any password clears it.
    must_change_password = models.BooleanField(default=False)

    class Meta:
        db_table = "accounts_user"

    def clean(self) -> None:
        super().clean()
        refuse_lookalike(self.username, other_than=self.pk)

    def set_password(self, raw_password) -> None:
        super().set_password(raw_password)
        self.must_change_password = False

    def save(self, *args, **kwargs) -> None:
        # The keys follow the name wherever a user is saved: create_user, the admin, createsuperuser, fixtures.
        self.username_folded, self.username_skeleton = username_keys(self.username)
        if kwargs.get("update_fields") is not None and "username" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "username_folded", "username_skeleton"}
        super().save(*args, **kwargs)


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

    def role_in(self, user, project: OuterRef) -> Subquery:
        """The user's role in the project an outer query names, as a column of it (null for a non-member)."""
        return Subquery(self.filter(user=user.pk, project=project).values("role")[:1])

    def remember_role(self, user, project_id: int, role: str | None) -> None:
        """Tell role_of the user's role in a project, read by a query the view made anyway (role_in): a create
        then asks the database once less."""
        if user.is_authenticated and user.is_active:
            user.__dict__.setdefault("_project_roles", {})[project_id] = Role(role) if role else None


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
