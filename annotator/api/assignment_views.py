"""Handing an article to a member in the API: project admins only."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.annotations.queue import assign_article
from annotator.api.serializers import StrictSerializer
from annotator.api.views import ERRORS, validated
from annotator.articles.models import Article


class AssignInputSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150, help_text="A member of the article's project.")


class AssignmentSerializer(serializers.Serializer):
    article = serializers.IntegerField(source="article_id")
    username = serializers.CharField(source="user.username")
    status = serializers.CharField(help_text="in_progress until the member submits the article, then submitted.")
    started_at = serializers.DateTimeField()


class AssignArticleView(APIView):
    """Project admins hand the article to a member: it is the next one the member's queue gives (beyond k
    if need be). 400 when the username is not a member or has submitted the article already."""

    @extend_schema(request=AssignInputSerializer, responses={200: AssignmentSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        article = get_object_or_404(Article.objects.visible_to(request.user).select_related("project"), pk=pk)
        data = validated(AssignInputSerializer, request.data)
        assignment = assign_article(actor=request.user, article=article, username=data["username"])
        return Response(AssignmentSerializer(assignment).data)
