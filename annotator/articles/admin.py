from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from annotator.articles.ingestion import RecordError, content_hash, is_http_url, normalize_body
from annotator.articles.models import Article, Project
from annotator.articles.services import checked_label_config
from annotator.suggestions.services import suggest_articles


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["project", "title", "body", "source", "url", "byline", "published_at", "language", "metadata"]

    def clean_body(self) -> str:
        try:
            return normalize_body(self.cleaned_data["body"])
        except RecordError as exc:
            raise ValidationError(str(exc)) from None

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if url and not is_http_url(url):
            raise ValidationError(f"url {url[:80]!r} is not an http or https URL")
        return url

    def clean(self):
        cleaned = super().clean()
        body, project = cleaned.get("body"), cleaned.get("project")
        if body and project:
            self.instance.content_hash = content_hash(body)
            clash = Article.objects.filter(project=project, content_hash=self.instance.content_hash)
            if clash.exclude(pk=self.instance.pk).exists():
                raise ValidationError("This project has an article with the same body already.")
        return cleaned


class ProjectAdminForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = "__all__"  # noqa: DJ007 the admin edits every field

    def clean_label_config(self):
        # The rule of the settings page and the API: cleaned, and no label in use removed.
        try:
            return checked_label_config(self.instance, self.cleaned_data["label_config"])
        except ValidationError as error:
            raise ValidationError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from error


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    form = ProjectAdminForm
    list_display = ["name", "slug", "annotators_per_article", "created_at", "import_link"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description="Import")
    def import_link(self, project: Project) -> str:
        return format_html('<a href="{}">Upload articles</a>', reverse("article_import", args=[project.slug]))


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "project", "source", "published_at", "created_at"]
    list_filter = ["project", "source", "language"]
    search_fields = ["title", "source", "url"]
    list_select_related = ["project"]
    form = ArticleAdminForm
    readonly_fields = ["content_hash", "created_at", "added_by"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        # The body of an annotated article never changes: offsets point into it.
        if obj is not None and obj.annotations.exists():
            return [*self.readonly_fields, "body", "project"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        obj.content_hash = content_hash(obj.body)
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
        if not change and settings.SUGGEST_ON_IMPORT:
            suggest_articles(articles=[obj])  # as an import would
