from django.urls import path

from annotator.accounts import views

urlpatterns = [
    path("projects/<slug:slug>/members/", views.project_members, name="project_members"),
    path("projects/<slug:slug>/members/set/", views.project_member, name="project_member"),
    path("projects/<slug:slug>/members/new/", views.member_create, name="member_create"),
    path("account/token/", views.api_token, name="api_token"),
    path("account/token/new/", views.api_token_create, name="api_token_create"),
    path("account/token/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
