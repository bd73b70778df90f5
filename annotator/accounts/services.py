"""Who may do what in a project: the one place role checks live."""

from __future__ import annotations

import secrets
from collections.abc import Collection

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from rest_framework.authtoken.models import Token

from annotator.accounts.models import Membership, Role, User, refuse_lookalike


def require_role(user, project, allowed: Collection[Role], *, to: str) -> Role:
    """The user's role in the project, when it is one of `allowed`; otherwise PermissionDenied saying why."""
    role = Membership.objects.role_of(user, project)
    if role is None:
        raise PermissionDenied(f"You are not a member of the project {project.name!r}.")
    if role not in allowed:
        needed = " or ".join(sorted(str(r) for r in allowed))
        raise PermissionDenied(f"Only a project {needed} may {to}; your role here is {role}.")
    return role


def _refuse_to_leave_without_admin(project, membership: Membership, *, field: str) -> None:
    """A project keeps at least one admin. The project's admin rows are locked first, so that two admins
    stepping down at once are told apart: the second sees the first's change."""
    admins = list(project.memberships.select_for_update().filter(role=Role.ADMIN).order_by("pk"))
    if membership in admins and len(admins) == 1:
        raise ValidationError({field: "a project needs at least one admin"})


@transaction.atomic
def set_membership(*, actor: User | None, project, user: User, role: Role | str) -> Membership:
    """Project admins (and the command line, as actor None) add a member or change a member's role; a project
    keeps at least one admin."""
    if actor is not None:
        require_role(actor, project, {Role.ADMIN}, to="manage members")
    if role not in Role.values:
        raise ValidationError({"role": f"{role!r} is not a role; the roles are {', '.join(Role.values)}"})
    current = Membership.objects.filter(user=user, project=project).first()
    if current is not None and role != Role.ADMIN:
        _refuse_to_leave_without_admin(project, current, field="role")
    membership, _ = Membership.objects.update_or_create(user=user, project=project, defaults={"role": role})
    user.__dict__.pop("_project_roles", None)
    return membership


@transaction.atomic
def remove_membership(*, actor: User | None, project, user: User) -> None:
    """Project admins remove a member; a project keeps at least one admin."""
    if actor is not None:
        require_role(actor, project, {Role.ADMIN}, to="manage members")
    membership = Membership.objects.filter(user=user, project=project).first()
    if membership is None:
        raise ValidationError({"username": f"{user.username} is not a member of this project"})
    _refuse_to_leave_without_admin(project, membership, field="username")
    membership.delete()
    user.__dict__.pop("_project_roles", None)


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    password: str,
    email: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Staff (and the command line, as actor None) create accounts, only superusers with staff or superuser
    rights; the username must not read like an existing one, the password must pass the settings' validators."""
    if actor is not None and not actor.is_staff:
        raise PermissionDenied("Only staff may create accounts.")
    if actor is not None and (is_staff or is_superuser) and not actor.is_superuser:
        raise PermissionDenied("Only a superuser may create staff or superuser accounts.")
    return _new_account(username=username, password=password, email=email, is_staff=is_staff, is_superuser=is_superuser)


def _new_account(
    *,
    username: str,
    password: str,
    email: str,
    is_staff: bool = False,
    is_superuser: bool = False,
    must_change_password: bool = False,
) -> User:
    """The account, once the username and password pass; who may make it is the caller's check."""
    refuse_lookalike(username)
    try:
        validate_password(password, User(username=username, email=email))
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    try:
        with transaction.atomic():
            return User.objects.create_user(
                username=username,
                password=password,
                email=email,
                is_staff=is_staff,
                is_superuser=is_superuser,
                must_change_password=must_change_password,
            )
    except IntegrityError:
        # Made meanwhile by another request: the unique index waited for its commit, then refused this one.
        refuse_lookalike(username)
        raise


# 50 letters and digits none of which reads like another (no 0/O/o, 1/l/I/i, 2/Z, 5/S, 8/B): 16 of them hold 90 bits.
READABLE_CHARACTERS = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789"


def generate_password(length: int = 16) -> str:
    """A random password for a new account, to be shown once to the admin who makes it."""
    return "".join(secrets.choice(READABLE_CHARACTERS) for _ in range(length))


@transaction.atomic
def create_member(
    *,
    actor: User | None,
    project,
    username: str,
    password: str,
    email: str = "",
    role: Role | str,
    one_time_password: bool = False,
) -> Membership:
    """Project admins create an account that becomes a member of their project with the given role; the username
    must not read like an existing one, the password must pass the settings' validators. A one-time password
    (made up by `generate_password` and passed on by the admin) must be changed at the first login."""
    if actor is not None:
        require_role(actor, project, {Role.ADMIN}, to="create accounts for the project")
    if role not in Role.values:
        raise ValidationError({"role": f"{role!r} is not a role; the roles are {', '.join(Role.values)}"})
    user = _new_account(username=username, password=password, email=email, must_change_password=one_time_password)
    return Membership.objects.create(user=user, project=project, role=role)


@transaction.atomic
def create_token(*, user: User) -> Token:
    """A new API token for the user; the one they had, if any, stops working."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def revoke_token(*, user: User) -> bool:
    """The user's API token stops working; False when they had none."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted > 0
