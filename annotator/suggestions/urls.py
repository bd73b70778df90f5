from django.urls import path

from annotator.suggestions import views

urlpatterns = [
    path("suggestions/<int:pk>/accept/", views.suggestion_accept, name="suggestion_accept"),
    path("suggestions/<int:pk>/dismiss/", views.suggestion_dismiss, name="suggestion_dismiss"),
    path("articles/<int:pk>/suggestions/accept-all/", views.suggestions_accept_all, name="suggestions_accept_all"),
    path(
        "articles/<int:pk>/suggestions/accept-all/confirm/",
        views.suggestions_accept_all_preview,
        name="suggestions_accept_all_preview",
    ),
    path("articles/<int:pk>/suggest/", views.article_suggest, name="article_suggest"),
]
