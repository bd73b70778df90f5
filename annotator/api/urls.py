from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from annotator.api import (
    account_views,
    annotation_views,
    article_views,
    assignment_views,
    bulk_views,
    export_views,
    job_views,
    project_views,
    queue_views,
    revision_views,
    stats_views,
)

router = DefaultRouter()
router.register("users", account_views.UserViewSet, basename="user")
router.register("projects", project_views.ProjectViewSet, basename="project")
router.register("articles", article_views.ArticleViewSet, basename="article")
router.register("annotations", annotation_views.AnnotationViewSet, basename="annotation")
router.register("jobs", job_views.JobViewSet, basename="job")
router.register("bulk-actions", bulk_views.BulkActionViewSet, basename="bulk-action")

urlpatterns = [
    path("auth/token/", account_views.TokenView.as_view(), name="api-token"),
    path("articles/<int:pk>/assign/", assignment_views.AssignArticleView.as_view(), name="api-article-assign"),
    path("articles/<int:pk>/revisions/", revision_views.ArticleRevisionsView.as_view(), name="api-article-revisions"),
    path(
        "articles/<int:pk>/revisions/<int:number>/",
        revision_views.ArticleRevisionView.as_view(),
        name="api-article-revision",
    ),
    path("articles/<int:pk>/orphans/", revision_views.ArticleOrphansView.as_view(), name="api-article-orphans"),
    path("projects/<slug:slug>/queue/next/", queue_views.NextArticleView.as_view(), name="api-queue-next"),
    path("projects/<slug:slug>/agreement/", stats_views.ProjectAgreementView.as_view(), name="api-project-agreement"),
    path("projects/<slug:slug>/export/", export_views.ExportView.as_view(), name="api-project-export"),
    path("projects/<slug:slug>/exports/", job_views.ProjectExportsView.as_view(), name="api-project-exports"),
    path("projects/<slug:slug>/jobs/", job_views.ProjectJobsView.as_view(), name="api-project-jobs"),
    path("projects/<slug:slug>/suggest/", job_views.ProjectSuggestView.as_view(), name="api-project-suggest"),
    path("projects/<slug:slug>/stats/", stats_views.ProjectStatsView.as_view(), name="api-project-stats"),
    path(
        "projects/<slug:slug>/suggestions/",
        stats_views.ProjectSuggestionsView.as_view(),
        name="api-project-suggestions",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]
