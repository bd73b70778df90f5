from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.db.models import QuerySet
from django.http import HttpRequest

from annotator.accounts.models import Membership, User
from annotator.accounts.services import create_user, remove_membership, set_membership
from annotator.service_admin import ServiceAdmin, run_action


class MembershipInline(admin.TabularInline):
    """A user's memberships, shown; they are changed on the membership pages, through the service."""

    model = Membership
    extra = 0
    fields = readonly_fields = ["project", "role", "created_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(User)
class AnnotatorUserAdmin(ServiceAdmin, UserAdmin):
    """Accounts are added by create_user, as the API and the command line add them (with a password: the
    admin's choice of an account without one is left out); a change is the admin's own, checked by User.clean."""

    inlines = [MembershipInline]
    add_form = UserCreationForm
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),)

    def save_through_service(self, actor: User, form: forms.ModelForm, change: bool) -> User:
        if change:
            return form.instance
        return create_user(actor=actor, username=form.cleaned_data["username"], password=form.cleaned_data["password1"])

    def save_model(self, request: HttpRequest, obj: User, form: forms.ModelForm, change: bool) -> None:
        if change:
            obj.save()


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    """Members are added, given a role and removed as a project admin does it on the project's page."""

    list_display = ["user", "project", "role", "created_at"]
    list_filter = ["role", "project"]
    list_select_related = ["user", "project"]
    search_fields = ["user__username", "project__name", "project__slug"]
    autocomplete_fields = ["user", "project"]
    fields = ["user", "project", "role"]
    actions = ["remove_members"]

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None):
        return ["user", "project"] if obj is not None else []

    def save_through_service(self, actor: User, form: forms.ModelForm, change: bool) -> Membership:
        membership = form.instance
        project = membership.project if change else form.cleaned_data["project"]
        user = membership.user if change else form.cleaned_data["user"]
        return set_membership(actor=actor, project=project, user=user, role=form.cleaned_data["role"])

    def has_delete_permission(self, request: HttpRequest, obj: Membership | None = None) -> bool:
        return False  # the action below removes, through the service (a project keeps an admin)

    @admin.action(description="Remove the selected members from their projects")
    def remove_members(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        memberships = queryset.select_related("user", "project")
        run_action(
            request,
            memberships,
            lambda m: remove_membership(actor=request.user, project=m.project, user=m.user),
            done="Members removed",
        )
