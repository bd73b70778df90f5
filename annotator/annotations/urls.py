from django.urls import include, path

from annotator.annotations import assign_views, bulk_views, history_views, name_views, review_views, views

urlpatterns = [
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("", include("annotator.annotations.list_chunks")),  # articles/<pk>/items/: the list's later chunks
    path("articles/<int:pk>/annotations/new/", views.annotation_new, name="annotation_new"),
    path("articles/<int:pk>/annotations/", views.annotation_create, name="annotation_create"),
    path("articles/<int:pk>/submit/", views.article_submit, name="article_submit"),
    path("annotations/<int:pk>/", views.annotation_update, name="annotation_update"),
    path("annotations/<int:pk>/edit/", views.annotation_edit, name="annotation_edit"),
    path("annotations/<int:pk>/delete/", views.annotation_delete, name="annotation_delete"),
    path("annotations/<int:pk>/history/", history_views.annotation_history, name="annotation_history"),
    path("history/<int:pk>/restore/", views.annotation_restore, name="annotation_restore"),
    path("projects/<slug:slug>/next/", views.queue_next, name="queue_next"),
    path("projects/<slug:slug>/review/", review_views.review_queue, name="review_queue"),
    path("projects/<slug:slug>/names/", name_views.project_names, name="project_names"),
    path("articles/<int:pk>/review/", review_views.article_review, name="article_review"),
    path("articles/<int:pk>/assign/", assign_views.article_assign, name="article_assign"),
    path("articles/<int:pk>/review/bulk/", review_views.article_review_bulk, name="article_review_bulk"),
    path("articles/<int:pk>/review/adjudicate/", bulk_views.adjudication_preview, name="adjudication_preview"),
    path(
        "articles/<int:pk>/review/approve-all/", bulk_views.approve_remaining_preview, name="approve_remaining_preview"
    ),
    path("bulk/<int:pk>/undo/", bulk_views.bulk_undo, name="bulk_undo"),
    path("articles/<int:pk>/gold/", review_views.gold_create, name="gold_create"),
    path("annotations/<int:pk>/review/", review_views.annotation_review, name="annotation_review"),
    path("annotations/<int:pk>/edit-approve/", review_views.annotation_edit_approve, name="annotation_edit_approve"),
]
