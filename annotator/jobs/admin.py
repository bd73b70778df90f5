from django.contrib import admin

from annotator.annotations.admin import RecordAdmin
from annotator.jobs.models import Job


@admin.register(Job)
class JobAdmin(RecordAdmin):
    """Jobs are shown here; they are started, cancelled and finished through the services (the API and pages)."""

    list_display = ["id", "kind", "state", "project", "done", "total", "attempts", "created_by", "created_at"]
    list_filter = ["kind", "state"]
    list_select_related = ["project", "created_by"]
    exclude = ["params"]  # a long list's records
    show_full_result_count = False
