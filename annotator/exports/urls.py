from django.urls import path

from annotator.exports import views

urlpatterns = [
    path("projects/<slug:slug>/export/", views.export_page, name="export_page"),
    path("projects/<slug:slug>/export/download/", views.export_download, name="export_download"),
    path("projects/<slug:slug>/export/job/", views.export_job, name="export_job"),
]
