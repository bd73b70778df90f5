from django.urls import path

from annotator.annotations import views

urlpatterns = [
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
]
