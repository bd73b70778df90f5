from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from annotator.annotations.models import Annotation, AnnotationEvent, Assignment, Review
from annotator.annotations.services import delete_annotation
from annotator.service_admin import run_action


class RecordAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted by hand: writes go through the services (history, versions,
    locks), from the pages, the API or the admin's actions."""

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Annotation)
class AnnotationAdmin(RecordAdmin):
    list_display = ["id", "kind", "article", "start", "end", "status", "origin", "author", "version", "updated_at"]
    list_filter = ["kind", "status", "origin"]
    search_fields = ["text", "author__username"]
    list_select_related = ["article", "author"]
    show_full_result_count = False
    actions = ["delete_annotations"]

    @admin.action(description="Delete the selected annotations (their history stays)")
    def delete_annotations(self, request: HttpRequest, queryset: QuerySet[Annotation]) -> None:
        run_action(
            request,
            queryset.select_related("article__project"),
            lambda a: delete_annotation(actor=request.user, annotation=a),
            done="Annotations deleted",
        )


@admin.register(Review)
class ReviewAdmin(RecordAdmin):
    list_display = ["id", "annotation", "reviewer", "decision", "created_at"]
    list_filter = ["decision"]
    list_select_related = ["annotation", "reviewer"]


@admin.register(AnnotationEvent)
class AnnotationEventAdmin(RecordAdmin):
    list_display = ["id", "annotation_id", "action", "actor", "at"]
    list_filter = ["action"]
    list_select_related = ["actor"]


@admin.register(Assignment)
class AssignmentAdmin(RecordAdmin):
    """Articles are handed out by the queue, or by a project admin on the article's assign page."""

    list_display = ["article", "user", "status", "started_at", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["article", "user"]
