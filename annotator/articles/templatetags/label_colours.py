from django import template
from django.urls import reverse
from django.utils.html import format_html

from annotator.annotations.colours import palette_of

register = template.Library()


@register.simple_tag
def label_colours(project) -> str:
    """The link to the project's label colours stylesheet, versioned so that a browser may keep it; none without."""
    palette = palette_of(project.label_config)
    if not palette:
        return ""
    url = reverse("label_colours", args=[project.slug])
    return format_html('<link rel="stylesheet" href="{}?v={}">', url, palette.version)
