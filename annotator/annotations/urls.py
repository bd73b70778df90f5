from django.urls import path

from annotator.annotations import views

urlpatterns = [
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("articles/<int:pk>/annotations/new/", views.annotation_new, name="annotation_new"),
    path("articles/<int:pk>/annotations/", views.annotation_create, name="annotation_create"),
    path("articles/<int:pk>/submit/", views.article_submit, name="article_submit"),
    path("annotations/<int:pk>/", views.annotation_update, name="annotation_update"),
    path("annotations/<int:pk>/edit/", views.annotation_edit, name="annotation_edit"),
    path("annotations/<int:pk>/delete/", views.annotation_delete, name="annotation_delete"),
    path("history/<int:pk>/restore/", views.annotation_restore, name="annotation_restore"),
]
