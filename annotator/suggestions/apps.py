from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "annotator.suggestions"
    verbose_name = "Suggestions"

    def ready(self) -> None:
        from annotator.suggestions import checks  # noqa: F401 registers the SUGGESTERS check
