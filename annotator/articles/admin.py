from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from annotator.accounts.models import User
from annotator.articles.ingestion import RecordError, clean_fields
from annotator.articles.models import Article, Project
from annotator.articles.services import (
    PROJECT_SETTINGS,
    add_article,
    create_project,
    delete_article,
    delete_project,
    update_project,
)
from annotator.service_admin import ServiceAdmin, run_action

ARTICLE_FIELDS = ["title", "body", "source", "url", "byline", "published_at", "language", "metadata"]


class ArticleAdminForm(forms.ModelForm):
    """The fields of one article, checked as an import checks them (`ingestion.clean_fields`)."""

    class Meta:
        model = Article
        fields = ["project", *ARTICLE_FIELDS]

    def article_fields(self) -> dict:
        """The form's values as an import reads them."""
        fields = {name: self.cleaned_data.get(name) for name in ARTICLE_FIELDS}
        if fields["published_at"] is not None:
            fields["published_at"] = fields["published_at"].isoformat()
        return fields

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                clean_fields(self.article_fields())
            except RecordError as exc:
                self.add_error(exc.field if exc.field in self.fields else None, ValidationError(str(exc)))
        return cleaned


class ProjectAdminForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["name", "slug", *(name for name in PROJECT_SETTINGS if name != "name")]


@admin.register(Project)
class ProjectAdmin(ServiceAdmin):
    form = ProjectAdminForm
    list_display = ["name", "slug", "annotators_per_article", "created_at", "import_link"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["delete_projects"]

    def get_readonly_fields(self, request: HttpRequest, obj: Project | None = None):
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(self, request: HttpRequest, obj: Project | None = None):
        return self.prepopulated_fields if obj is None else {}

    def save_through_service(self, actor: User, form: forms.ModelForm, change: bool) -> Project:
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data if name in PROJECT_SETTINGS}
            return update_project(actor=actor, project=form.instance, **changes)
        return create_project(actor=actor, **form.cleaned_data)

    def has_delete_permission(self, request: HttpRequest, obj: Project | None = None) -> bool:
        return False  # the action below deletes, through the service

    @admin.action(description="Delete the selected projects with everything in them")
    def delete_projects(self, request: HttpRequest, queryset: QuerySet[Project]) -> None:
        run_action(request, queryset, lambda p: delete_project(actor=request.user, project=p), done="Projects deleted")

    @admin.display(description="Import")
    def import_link(self, project: Project) -> str:
        return format_html('<a href="{}">Upload articles</a>', reverse("article_import", args=[project.slug]))


@admin.register(Article)
class ArticleAdmin(ServiceAdmin):
    """Articles are added as an import adds them; once stored, an article is shown, not edited (offsets
    point into its body)."""

    list_display = ["id", "title", "project", "source", "published_at", "created_at"]
    list_filter = ["project", "source", "language"]
    search_fields = ["title", "source", "url"]
    list_select_related = ["project"]
    form = ArticleAdminForm
    readonly_fields = ["content_hash", "created_at", "added_by"]
    show_full_result_count = False
    actions = ["delete_articles"]

    def save_through_service(self, actor: User, form: forms.ModelForm, change: bool) -> Article:
        return add_article(actor=actor, project=form.cleaned_data["project"], fields=form.article_fields())

    def has_change_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        return False  # the action below deletes, through the service

    @admin.action(description="Delete the selected articles with their annotations")
    def delete_articles(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        articles = queryset.select_related("project")
        run_action(request, articles, lambda a: delete_article(actor=request.user, article=a), done="Articles deleted")
