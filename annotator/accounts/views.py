"""The pages of accounts: a project's members for its admins, and every user's own API token."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST
from rest_framework.authtoken.models import Token

from annotator.accounts.forms import MemberForm, NewMemberForm
from annotator.accounts.models import Membership, Role, User
from annotator.accounts.services import (
    create_member,
    create_token,
    generate_password,
    remove_membership,
    require_role,
    revoke_token,
    set_membership,
)
from annotator.articles.models import Project

MEMBERS_PAGE = "accounts/project_members.html"


def _project_for_admin(request: HttpRequest, slug: str) -> Project:
    project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
    require_role(request.user, project, {Role.ADMIN}, to="manage members")
    return project


def _members_page(
    request: HttpRequest,
    project: Project,
    *,
    new_form: NewMemberForm | None = None,
    created: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "project": project,
        "members": Membership.objects.filter(project=project).select_related("user").order_by("user__username"),
        "member_form": MemberForm(),
        "roles": Role.choices,
        "new_form": new_form or NewMemberForm(),
        "created": created,
    }
    response = render(request, MEMBERS_PAGE, context, status=status)
    if created:
        add_never_cache_headers(response)  # it shows a password once: no cache may keep it
    return response


@require_GET
@login_required
def project_members(request: HttpRequest, slug: str) -> HttpResponse:
    """Admins see the project's members with their roles, and the forms to add, change, remove and create."""
    return _members_page(request, _project_for_admin(request, slug))


@require_POST
@login_required
def project_member(request: HttpRequest, slug: str) -> HttpResponse:
    """Admins add an existing user as a member, change a member's role, or remove a member (action=remove)."""
    project = _project_for_admin(request, slug)
    form = MemberForm(request.POST)
    removing = request.POST.get("action") == "remove"
    username = request.POST.get("username", "")
    user = User.objects.filter(username=username).first()
    try:
        if not removing and not form.is_valid():
            raise ValidationError(" ".join(f"{field}: {' '.join(e)}" for field, e in form.errors.items()))
        if user is None:
            raise ValidationError(f"There is no user {username!r}.")
        if removing:
            remove_membership(actor=request.user, project=project, user=user)
            messages.success(request, f"{user.username} is no longer a member.")
        else:
            set_membership(actor=request.user, project=project, user=user, role=form.cleaned_data["role"])
            messages.success(request, f"{user.username} is now {form.cleaned_data['role']} of this project.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("project_members", project.slug)


@require_POST
@login_required
def member_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Admins create an account that joins the project; a password made up here is shown once, on this answer."""
    project = _project_for_admin(request, slug)
    form = NewMemberForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        password = data["password1"] or generate_password()
        try:
            membership = create_member(
                actor=request.user,
                project=project,
                username=data["username"],
                password=password,
                email=data["email"],
                role=data["role"],
                one_time_password=not form.password_given,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error("password1" if field == "password" else field if field in form.fields else None, errors)
        else:
            created = {
                "username": membership.user.username,
                "role": membership.role,
                "password": None if form.password_given else password,
            }
            return _members_page(request, project, created=created)
    return _members_page(request, project, new_form=form, status=400)


def _token_page(request: HttpRequest, *, new_key: str | None = None) -> HttpResponse:
    token = Token.objects.filter(user=request.user).only("created").first()
    response = render(request, "accounts/api_token.html", {"token": token, "new_key": new_key})
    add_never_cache_headers(response)
    return response


@require_GET
@login_required
def api_token(request: HttpRequest) -> HttpResponse:
    """Whether I have an API token and since when; the key itself is shown only when it is made."""
    return _token_page(request)


@require_POST
@login_required
def api_token_create(request: HttpRequest) -> HttpResponse:
    """A new token for me, shown once on this answer; the one I had stops working."""
    token = create_token(user=request.user)
    return _token_page(request, new_key=token.key)


@require_POST
@login_required
def api_token_revoke(request: HttpRequest) -> HttpResponse:
    if revoke_token(user=request.user):
        messages.success(request, "Your API token is revoked: scripts using it are refused from now on.")
    else:
        messages.info(request, "You had no API token.")
    return redirect("api_token")
