"""The figures cache (figures.py): each article's share of its project's figures, the project's total, and the
marks of the articles whose share must be computed again.

The tables keep the names they had when these models lived in annotations: the triggers of annotations'
migration 0004 write the marks by those names.
"""

from __future__ import annotations

from django.db import models

from annotator.articles.models import Project


class ArticleKeyed(models.Model):
    """A row per article, found by its project; no foreign keys: a row may outlive its article by a moment,
    and the next refresh then takes the article's share away."""

    article_id = models.IntegerField(primary_key=True)
    project_id = models.IntegerField(db_index=True)

    class Meta:
        abstract = True


class FiguresDirty(ArticleKeyed):
    """An article whose share of its project's figures must be computed again.

    Written by the database's own triggers on the annotation and assignment tables (annotations' migration
    0004); the sequence number tells a mark made after a refresher read it from the one it read."""

    seq = models.BigIntegerField()

    class Meta:
        db_table = "annotations_figuresdirty"

    def __str__(self) -> str:
        return f"article {self.article_id} changed (mark {self.seq})"


class ArticleFigures(ArticleKeyed):
    """One article's share of its project's figures, as figures.Share.dumps() wrote it."""

    data = models.BinaryField()

    class Meta:
        db_table = "annotations_articlefigures"

    def __str__(self) -> str:
        return f"figures of article {self.article_id}"


class ProjectFigures(models.Model):
    """The sum of a project's article shares, and its version: the dashboard caches what it derives under
    the version. `time_zone` is the one its days were counted in."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, primary_key=True, related_name="+")
    version = models.PositiveBigIntegerField(default=0)
    time_zone = models.CharField(max_length=64, blank=True)
    data = models.BinaryField(null=True)

    class Meta:
        db_table = "annotations_projectfigures"

    def __str__(self) -> str:
        return f"figures of project {self.project_id} at version {self.version}"
