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


def answers(none: str) -> dict:
    return {200: ArticleSerializer, 204: OpenApiResponse(description=none), **ERRORS}


class NextArticleView(APIView):
    """The queue of a project: asking (GET) changes nothing; taking (POST) makes the next article mine."""

    @extend_schema(
        description="The article I hold in this project (taken or handed to me, not yet submitted); takes none.",
        responses=answers("I hold no article here."),
    )
    def get(self, request, slug: str):
        return article_or_nothing(held_article(user=request.user, project=self.project(slug)))

    @extend_schema(
        request=None,
        description="Take the article I should annotate next: the one I hold, else the oldest that fewer than k "
        "annotators have taken, which is then mine.",
        responses=answers("Nothing is left for me."),
    )
    def post(self, request, slug: str):
        return article_or_nothing(next_article(actor=request.user, project=self.project(slug)))

    def project(self, slug: str) -> Project:
        return get_object_or_404(Project.objects.visible_to(self.request.user), slug=slug)


def article_or_nothing(article: Article | None) -> Response:
    return Response(status=204) if article is None else Response(ArticleSerializer(article).data)
