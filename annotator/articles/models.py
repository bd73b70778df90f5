from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Left
from django.urls import reverse
from django.utils import timezone

from annotator.accounts.models import REVIEW_ROLES
from annotator.annotations.labels import default_label_config
from annotator.articles.search import grams, split_query


class CountRows(Subquery):
    """The number of rows of a subquery (sliced to count no further than its limit)."""

    template = "(SELECT count(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProjectQuerySet:
        """Members see their projects; superusers see all; nobody else sees any."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user)

    def reviewed_by(self, user) -> ProjectQuerySet:
        """The projects whose annotations the user reviews: as a reviewer or an admin; superusers review all."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user, memberships__role__in=REVIEW_ROLES)

    def with_counts_for(self, user, *, waiting_limit: int) -> ProjectQuerySet:
        """Annotate what the project page says of the user's work: `article_count`, `submitted_count` (articles
        the user submitted), `my_rejected` (the user's rejected annotations) and, for its reviewers only,
        `waiting_review` (annotations waiting for review, counted up to waiting_limit + 1; 0 for the others)."""
        from annotator.annotations.models import Annotation, Assignment, AssignmentStatus, Status

        # Each count is a subquery run once for the project: joined and grouped, they ran once per article and
        # assignment (12 s for 200 articles of 100 annotations; bench/load.py). The waiting count stops at
        # waiting_limit + 1 (counting 300,000 waiting annotations took 0.35 s on every view).
        articles = Article.objects.filter(project=OuterRef("pk")).order_by().values("project")
        mine = Assignment.objects.filter(article__project=OuterRef("pk"), user=user, status=AssignmentStatus.SUBMITTED)
        in_project = Annotation.objects.filter(article__project=OuterRef("pk")).order_by().values("article__project")
        waiting = Annotation.objects.filter(article__project=OuterRef("pk"), status=Status.SUBMITTED)
        rejected = in_project.filter(status=Status.REJECTED, author=user).annotate(n=Count("pk")).values("n")
        reviews = Project.objects.reviewed_by(user).filter(pk=OuterRef("pk"))
        return self.annotate(
            article_count=Coalesce(Subquery(articles.annotate(n=Count("pk")).values("n")), 0),
            submitted_count=Coalesce(Subquery(mine.order_by().values("user").annotate(n=Count("pk")).values("n")), 0),
            waiting_review=Case(
                When(Exists(reviews), then=CountRows(waiting.values("pk")[: waiting_limit + 1])),
                default=Value(0),
            ),
            my_rejected=Coalesce(Subquery(rejected), 0),
        )


class Project(models.Model):
    """A team's annotation campaign: its articles, members, guidelines and label vocabulary."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    guidelines = models.TextField(blank=True, help_text="Markdown shown to annotators.")
    label_config = models.JSONField(default=default_label_config)
    annotators_per_article = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(annotators_per_article__gte=1), name="project_annotators_per_article_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("project_detail", args=[self.slug])


# What full-text search reads: title and body, with the "simple" configuration that suits every language, up to
# the first SEARCH_BODY_CHARS characters of the body. PostgreSQL refuses a document over 1 MiB of distinct words
# and their positions ("string is too long for tsvector"): a body of 150,000 distinct words takes 1.8 MiB. One
# character takes at most about 8 bytes there (a hyphenated word of four-byte letters is stored whole and in its
# parts), so 100,000 characters always fit, and hold the whole of any ordinary news article (docs/annotating.md).
SEARCH_TITLE_CHARS = 1_000
SEARCH_BODY_CHARS = 100_000
SEARCH_VECTOR = SearchVector(Left("title", SEARCH_TITLE_CHARS), Left("body", SEARCH_BODY_CHARS), config="simple")


class ScriptGrams(models.Func):
    """The characters and adjacent pairs of the unspaced-script runs of the bounded title and body (search.py)."""

    function = "article_script_grams"
    output_field = ArrayField(models.TextField())

    def __init__(self):
        super().__init__(Left("title", SEARCH_TITLE_CHARS), Left("body", SEARCH_BODY_CHARS))


class ArticleQuerySet(models.QuerySet):
    def visible_to(self, user) -> ArticleQuerySet:
        """Every member of a project sees all of its articles."""
        return self.filter(project__in=Project.objects.visible_to(user))

    def search(self, text: str) -> ArticleQuerySet:
        """Articles matching a web-search style query, best first (see `matching`): the full-text rank, plus one
        for each run of an unspaced script (CJK, Thai…) that the title holds."""
        terms = split_query(text)
        rank = Value(0.0)
        if terms.has_words:
            query = SearchQuery(terms.words, search_type="websearch", config="simple")
            rank = SearchRank(Coalesce(F("search_document"), F("live_document")), query)
        for run in terms.runs:
            rank = rank + Case(When(search_title__contains=run, then=Value(1.0)), default=Value(0.0))
        return self.matching(text).annotate(rank=rank).order_by("-rank", "id")

    def matching(self, text: str) -> ArticleQuerySet:
        """Articles matching a web-search style query, among those of this queryset only.

        Words are matched by full text: indexed articles through the GIN index on `search_document`, those not
        indexed yet (just imported or edited) on the fly, so a search never misses an article. A run of a script
        written without spaces (`東京`, `会議`) must be a substring of the bounded title or body: looked up by its
        character pairs in the GIN index on `search_grams`, then confirmed (search.py). Filter the queryset to its
        project first: the documents computed on the fly are those of the articles it holds.
        """
        terms = split_query(text)
        articles = self.alias(
            live_document=SEARCH_VECTOR,
            search_title=Left("title", SEARCH_TITLE_CHARS),
            search_body=Left("body", SEARCH_BODY_CHARS),
        )
        if terms.has_words or not (terms.runs or terms.excluded_runs):
            query = SearchQuery(terms.words, search_type="websearch", config="simple")
            articles = articles.filter(Q(search_document=query) | Q(search_document__isnull=True, live_document=query))
        for run in terms.runs:
            articles = articles.filter(
                Q(search_grams__contains=grams(run)) | Q(search_document__isnull=True),
                Q(search_title__contains=run) | Q(search_body__contains=run),
            )
        for run in terms.excluded_runs:
            articles = articles.exclude(Q(search_title__contains=run) | Q(search_body__contains=run))
        return articles

    def with_progress_of(self, user) -> ArticleQuerySet:
        """Annotate `progress` (a Progress value) and `rejected_count` (the user's rejected annotations)."""
        from annotator.annotations.models import Annotation, Assignment, Progress, Status

        mine = Annotation.objects.filter(article=OuterRef("pk"), author=user)
        assignment = Assignment.objects.filter(article=OuterRef("pk"), user=user).order_by().values("status")
        rejected = (
            mine.filter(status=Status.REJECTED).order_by().values("article").annotate(count=Count("pk")).values("count")
        )
        return self.annotate(
            progress=Coalesce(
                Subquery(assignment),
                # An annotation of mine without an assignment is still work begun.
                Case(When(Exists(mine), then=Value(Progress.IN_PROGRESS)), default=Value(Progress.NOT_STARTED)),
                output_field=models.CharField(),
            ),
            rejected_count=Coalesce(Subquery(rejected), 0),
        )

    def unindexed(self) -> ArticleQuerySet:
        return self.filter(search_document__isnull=True)


class Article(models.Model):
    """A news text to annotate. Offsets count code points of `body`, the current revision's body: once annotated,
    it changes only by a new revision (`articles.revisions.revise_article`), which re-anchors the annotations."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="articles")
    title = models.TextField(blank=True)
    body = models.TextField()
    source = models.CharField(max_length=300, blank=True, help_text="The outlet.")
    url = models.URLField(max_length=2000, blank=True)
    byline = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=35, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64, help_text="sha256 of the stored body.")
    revision = models.PositiveIntegerField(
        default=1, db_default=1, help_text="The number of the current body (revisions.py)."
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    search_document = SearchVectorField(
        null=True, editable=False, help_text="Title and body for full-text search; null until indexed."
    )
    search_grams = ArrayField(
        models.TextField(),
        null=True,
        editable=False,
        help_text="Characters and adjacent pairs of the title and body in scripts without spaces; null until indexed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            GinIndex(fields=["search_document"], name="article_search"),
            GinIndex(fields=["search_grams"], name="article_search_grams"),
            models.Index(fields=["project"], condition=Q(search_document__isnull=True), name="article_not_indexed"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["project", "content_hash"], name="article_one_body_per_project"),
            models.CheckConstraint(condition=models.Q(body__regex=r"\S"), name="article_body_not_blank"),
            models.CheckConstraint(
                condition=models.Q(content_hash__regex=r"^[0-9a-f]{64}$"), name="article_content_hash_sha256"
            ),
            models.CheckConstraint(condition=models.Q(revision__gte=1), name="article_revision_positive"),
        ]

    def __str__(self) -> str:
        return self.title or f"Article {self.pk}"


class ArticleRevision(models.Model):
    """One body an article has had: number 1 is the imported body; the highest is the article's current body.

    The database inserts revision 1 with each new article, and refuses a new body on an annotated article
    unless it comes with the next revision (migration 0004)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    content_hash = models.CharField(max_length=64, help_text="sha256 of the body.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    diff = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="What this revision changed in the one before, as [operation, length] pairs (-1 removed, 0 kept, "
        "1 added; anchoring.compact_diff); null for revision 1, and for a revision stored before this field until "
        "its diff is first shown.",
    )

    class Meta:
        ordering = ["article_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="articlerevision_one_per_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="articlerevision_number_positive"),
        ]

    def __str__(self) -> str:
        return f"revision {self.number} of article {self.article_id}"
