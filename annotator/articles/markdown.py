"""Guidelines are Markdown written by project admins, shown to every member: rendered without raw HTML."""

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# "commonmark" with html off escapes any raw HTML in the source; markdown-it's link validation
# refuses javascript:, vbscript:, file: and data: (other than images) URLs.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render_markdown(source: str) -> SafeString:
    return mark_safe(_markdown.render(source or ""))  # noqa: S308 raw HTML is escaped by the renderer
