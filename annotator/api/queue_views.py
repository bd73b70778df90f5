"""The work queue in the API: the article I hold (GET), the next article for me (POST)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.annotations.queue import held_article, next_article
from annotator.api.serializers import ArticleSerializer
from annotator.api.views import ERRORS
from annotator.articles.models import Article, Project


class NextArticleView(APIView):
    """The queue of a project: asking (GET) changes nothing; taking (POST) makes the next article mine."""

    @extend_schema(
        description="The article I hold in this project (taken or handed to me, not yet submitted), without "
        "taking one; 204 when I hold none.",
        responses={200: ArticleSerializer, 204: OpenApiResponse(description="I hold no article."), **ERRORS},
    )
    def get(self, request, slug: str):
        project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
        return _article_or_nothing(held_article(user=request.user, project=project))

    @extend_schema(
        request=None,
        description="Take the article I should annotate next: the one I hold, else the oldest that fewer than k "
        "annotators have taken, which is then mine; 204 when none is left.",
        responses={200: ArticleSerializer, 204: OpenApiResponse(description="Nothing left."), **ERRORS},
    )
    def post(self, request, slug: str):
        project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
        return _article_or_nothing(next_article(actor=request.user, project=project))


def _article_or_nothing(article: Article | None) -> Response:
    return Response(status=204) if article is None else Response(ArticleSerializer(article).data)
