"""The workspace's note on a corrected article: its revision, what needs a look, and the annotations whose text a
revision removed (for their authors and reviewers). Nothing is read for an article that was never corrected."""

from __future__ import annotations

from django import template

from annotator.annotations.models import Anchor, Annotation
from annotator.articles.models import ArticleRevision
from annotator.articles.revisions import may_correct

register = template.Library()


@register.inclusion_tag("articles/_revision_panel.html")
def revision_panel(article, role, user) -> dict:
    context = {"article": article, "may_correct": may_correct(role), "corrected": article.revision > 1}
    if not context["corrected"]:
        return context
    marked = list(
        Annotation.with_orphans.visible_to(user)
        .filter(article=article)
        .exclude(anchor=Anchor.EXACT)
        .select_related("author")
        .order_by("old_start", "start", "pk")
    )
    context["changed"] = sum(a.anchor == Anchor.CHANGED for a in marked)
    context["orphans"] = [a for a in marked if a.anchor == Anchor.ORPHANED]
    context["looks"] = len(marked)
    context["latest"] = (
        ArticleRevision.objects.filter(article=article, number=article.revision)
        .select_related("author")
        .defer("body")
        .first()
    )
    return context
