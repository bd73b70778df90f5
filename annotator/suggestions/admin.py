from django.contrib import admin

from annotator.annotations.admin import RecordAdmin
from annotator.suggestions.models import SuggestionOutcome


@admin.register(SuggestionOutcome)
class SuggestionOutcomeAdmin(RecordAdmin):
    """Decisions on suggestions are records: the figures count them, nobody edits them."""

    list_display = ["id", "suggestion_id", "suggester", "user", "outcome", "annotation_id", "at"]
    list_filter = ["outcome", "suggestion__suggester"]
    list_select_related = ["suggestion", "user"]
    search_fields = ["user__username", "suggestion__suggester"]
    show_full_result_count = False

    @admin.display(description="Suggester", ordering="suggestion__suggester")
    def suggester(self, outcome: SuggestionOutcome) -> str:
        return outcome.suggestion.suggester
