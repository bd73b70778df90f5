from django.urls import path

from annotator.articles import revision_views, views

urlpatterns = [
    path("", views.project_list, name="home"),
    path("projects/<slug:slug>/", views.project_detail, name="project_detail"),
    path("projects/<slug:slug>/import/", views.article_import, name="article_import"),
    path("projects/<slug:slug>/guidelines/", views.project_guidelines, name="project_guidelines"),
    path("projects/<slug:slug>/settings/", views.project_settings, name="project_settings"),
    path("projects/<slug:slug>/labels.css", views.label_colours, name="label_colours"),
    path("articles/<int:pk>/revisions/", revision_views.article_revisions, name="article_revisions"),
    path(
        "articles/<int:pk>/revisions/<int:number>/", revision_views.article_revision_diff, name="article_revision_diff"
    ),
    path("annotations/<int:pk>/orphan/delete/", revision_views.orphan_delete, name="orphan_delete"),
    path("annotations/<int:pk>/orphan/place/", revision_views.orphan_place, name="orphan_place"),
]
