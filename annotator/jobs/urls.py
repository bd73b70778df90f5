from django.urls import path

from annotator.jobs import views

urlpatterns = [
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/cancel/", views.job_cancel, name="job_cancel"),
    path("projects/<slug:slug>/suggest/", views.project_suggest, name="project_suggest"),
]
