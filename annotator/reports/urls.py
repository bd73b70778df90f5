from django.urls import path

from annotator.reports import views

urlpatterns = [
    path("projects/<slug:slug>/dashboard/", views.project_dashboard, name="project_dashboard"),
]
