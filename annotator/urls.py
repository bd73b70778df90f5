from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("annotator.api.urls")),
    path("", include("annotator.articles.urls")),
    path("", include("annotator.accounts.urls")),
    path("", include("annotator.annotations.urls")),
    path("", include("annotator.reports.urls")),
    path("", include("annotator.exports.urls")),
    path("", include("annotator.suggestions.urls")),
    path("", include("annotator.jobs.urls")),
]

handler404 = "annotator.api.exceptions.not_found"
handler500 = "annotator.api.exceptions.server_error"
