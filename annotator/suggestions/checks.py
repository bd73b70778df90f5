"""`manage.py check` (and every command that runs the checks) names a SUGGESTERS entry that does not load."""

from __future__ import annotations

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register()
def suggesters_load(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from annotator.suggestions.registry import suggesters

    try:
        suggesters()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), hint="Fix SUGGESTERS in the environment.", id="suggestions.E001")]
    return []
