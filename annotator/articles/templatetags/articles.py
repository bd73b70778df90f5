"""How templates mark an article's text with its language."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from annotator.articles.language import html_lang

register = template.Library()


@register.filter
def lang_attr(language: str | None) -> str:
    """` lang="ja"` for an element holding the text of an article in `language`; nothing when it is unknown."""
    tag = html_lang(language)
    return format_html(' lang="{}"', tag) if tag else ""
