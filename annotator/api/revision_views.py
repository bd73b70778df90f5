"""An article's revisions in the API (contract §9): the list, one revision with its body, a correction, and the
annotations a correction orphaned."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.annotations.models import Annotation
from annotator.api import serializers as s
from annotator.api.views import ERROR, ERRORS, validated
from annotator.articles.models import Article, ArticleRevision
from annotator.articles.revisions import StaleRevision, revise_article


def _article(request, pk: int) -> Article:
    return get_object_or_404(Article.objects.visible_to(request.user).select_related("project"), pk=pk)


class ArticleRevisionsView(APIView):
    @extend_schema(responses={200: s.ArticleRevisionSerializer(many=True), **ERRORS})
    def get(self, request, pk: int):
        """Every body the article has had, oldest first; the last is the current one."""
        revisions = ArticleRevision.objects.filter(article=_article(request, pk)).select_related("author")
        return Response(s.ArticleRevisionSerializer(revisions.order_by("number"), many=True).data)

    @extend_schema(
        request=s.ArticleRevisionInputSerializer,
        responses={201: s.ArticleRevisedSerializer, 409: ERROR, **ERRORS},
    )
    def post(self, request, pk: int):
        """Correct the article (project admins and reviewers): its next revision, normalised as an import is, and
        every annotation re-anchored in the same transaction. The same body as the current one is a 400. Two
        corrections at once are made one after the other; send `revision` to be refused (409) instead."""
        article = _article(request, pk)
        fields = validated(s.ArticleRevisionInputSerializer, request.data)
        try:
            revised = revise_article(
                actor=request.user,
                article=article,
                body=fields["body"],
                note=fields.get("note", ""),
                base_revision=fields.get("revision"),
            )
        except StaleRevision as exc:
            return Response({"detail": str(exc), "revision": exc.current}, status=409)
        revision = revised.revision
        revision.reanchored = revised.annotations
        return Response(s.ArticleRevisedSerializer(revision).data, status=201)


class ArticleRevisionView(APIView):
    @extend_schema(responses={200: s.ArticleRevisionDetailSerializer, **ERRORS})
    def get(self, request, pk: int, number: int):
        """One revision of the article, with its body."""
        revisions = ArticleRevision.objects.filter(article=_article(request, pk)).select_related("author")
        return Response(s.ArticleRevisionDetailSerializer(get_object_or_404(revisions, number=number)).data)


class ArticleOrphansView(APIView):
    @extend_schema(responses={200: s.AnnotationSerializer(many=True), **ERRORS})
    def get(self, request, pk: int):
        """The annotations of this article that you may see whose text a correction removed (`anchor` orphaned,
        no `start` and `end`): delete them, or PATCH /annotations/{id}/ with a new span to place them again."""
        orphans = Annotation.with_orphans.visible_to(request.user).orphaned().filter(article=_article(request, pk))
        return Response(s.AnnotationSerializer(orphans.select_related("author").order_by("pk"), many=True).data)
