from django.contrib import admin

from annotator.annotations.models import Annotation, AnnotationEvent, Assignment, Review
from annotator.annotations.services import delete_annotation


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "article", "start", "end", "status", "origin", "author", "version", "updated_at"]
    list_filter = ["kind", "status", "origin"]
    search_fields = ["text", "author__username"]
    list_select_related = ["article", "author"]
    show_full_result_count = False

    # Changes go through the domain functions (history, versions, locks), not through raw admin forms.
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        delete_annotation(actor=request.user, annotation=obj)

    def delete_queryset(self, request, queryset):
        for annotation in queryset:
            delete_annotation(actor=request.user, annotation=annotation)


class RecordAdmin(admin.ModelAdmin):
    """Decisions and history are records: shown, never added, changed or deleted by hand."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["article", "user", "status", "started_at", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["article", "user"]
