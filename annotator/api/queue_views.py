"""The work queue in the API: the next article for me."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.annotations.queue import next_article
from annotator.api.serializers import ArticleSerializer
from annotator.api.views import ERRORS
from annotator.articles.models import Project


class NextArticleView(APIView):
    """The article I should annotate next (it is then mine); 204 when none is left."""

    @extend_schema(responses={200: ArticleSerializer, 204: OpenApiResponse(description="Nothing left."), **ERRORS})
    def get(self, request, slug: str):
        project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
        article = next_article(actor=request.user, project=project)
        if article is None:
            return Response(status=204)
        return Response(ArticleSerializer(article).data)
