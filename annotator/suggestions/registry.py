"""The suggesters named by `settings.SUGGESTERS`, imported once and checked against the protocol.

Each entry is the dotted path of a class (made with no arguments) or of a ready object; either way the
result must have a `name` (a short string, unique among the suggesters, stored on each suggestion) and
a `suggest(body, title="")` method (annotator/suggestions/base.py).
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from annotator.suggestions.base import Suggester

NAME_MAX_LENGTH = 100  # Annotation.suggester


def suggesters() -> tuple[Suggester, ...]:
    """The configured suggesters, in settings order (none when SUGGESTERS is empty)."""
    return load(tuple(settings.SUGGESTERS))


@cache
def load(paths: tuple[str, ...]) -> tuple[Suggester, ...]:
    loaded: list[Suggester] = []
    for path in paths:
        suggester = _load_one(path)
        if any(other.name == suggester.name for other in loaded):
            raise ImproperlyConfigured(f"SUGGESTERS: {path!r} is named {suggester.name!r} like another suggester")
        loaded.append(suggester)
    return tuple(loaded)


def _load_one(path: str) -> Suggester:
    try:
        target = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"SUGGESTERS: cannot import {path!r}: {exc}") from exc
    try:
        suggester = target() if isinstance(target, type) else target
    except Exception as exc:
        raise ImproperlyConfigured(f"SUGGESTERS: {path!r} could not be made without arguments: {exc}") from exc
    if not isinstance(suggester, Suggester) or not callable(suggester.suggest):
        raise ImproperlyConfigured(
            f"SUGGESTERS: {path!r} is not a suggester: it needs a `name` and a `suggest(body, title='')` method"
        )
    name = suggester.name
    if not isinstance(name, str) or not name.strip() or len(name) > NAME_MAX_LENGTH:
        raise ImproperlyConfigured(
            f"SUGGESTERS: {path!r} has the name {name!r}; give it a non-empty string of at most "
            f"{NAME_MAX_LENGTH} characters"
        )
    return suggester
