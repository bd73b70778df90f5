"""Articles in the API: one article, its annotations, its submit and review, its suggestions asked for again."""

from __future__ import annotations

from django.db.models import OuterRef
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from annotator.accounts.models import Membership
from annotator.annotations.bulk_decisions import adjudicate
from annotator.annotations.clusters import plan_adjudication
from annotator.annotations.models import Annotation
from annotator.annotations.services import (
    ItemErrors,
    create_annotation,
    create_annotations,
    review_annotations,
    submit_article,
)
from annotator.api import serializers as s
from annotator.api.annotation_views import with_etag
from annotator.api.idempotency import IDEMPOTENCY_KEY, idempotent
from annotator.api.views import ARTICLE_ANNOTATIONS_CAP, ERRORS, KEY_REUSED, WholeArticleCursor, validated
from annotator.articles.models import Article
from annotator.suggestions.services import rerun_suggestions


@extend_schema_view(retrieve=extend_schema(responses={200: s.ArticleSerializer, **ERRORS}))
class ArticleViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ArticleSerializer

    def get_queryset(self):
        user = self.request.user
        articles = Article.objects.visible_to(user).select_related("project").defer("search_document")
        return articles.annotate(viewer_role=Membership.objects.role_in(user, OuterRef("project_id")))

    def get_object(self) -> Article:
        """The article, and the user's role in its project remembered from the same query (the services check
        it: creating an annotation asks no more)."""
        article = super().get_object()
        Membership.objects.remember_role(self.request.user, article.project_id, article.viewer_role)
        return article

    @extend_schema(
        methods=["GET"],
        responses={200: s.AnnotationSerializer(many=True), **ERRORS},
        description=f"The annotations you may see, the whole article in one page by default: up to "
        f"{ARTICLE_ANNOTATIONS_CAP:,}, and `next` links the rest. `page_size` (up to {ARTICLE_ANNOTATIONS_CAP:,}) "
        "and `cursor` page them as any list.",
    )
    @extend_schema(
        methods=["POST"],
        request=s.AnnotationInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.AnnotationSerializer, **ERRORS, **KEY_REUSED},
        description="Create one annotation (an object), or up to 500 (a list) stored all or none: "
        "a refused list answers 400 with `errors` keyed by the item's index.",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=WholeArticleCursor)
    @idempotent
    def annotations(self, request, pk=None):
        article = self.get_object()
        if request.method == "GET":
            annotations = Annotation.objects.visible_to(request.user).filter(article=article)
            page = self.paginate_queryset(s.annotation_rows(annotations).order_by("id"))
            zone = timezone.get_current_timezone()
            return self.get_paginated_response([s.annotation_json(row, zone) for row in page])
        if isinstance(request.data, list):
            created = create_annotations(actor=request.user, article=article, items=_checked_items(request.data))
            return Response(s.AnnotationSerializer(created, many=True).data, status=201)
        fields = validated(s.AnnotationInputSerializer, request.data)
        annotation = create_annotation(actor=request.user, article=article, **fields)
        return with_etag(Response(s.AnnotationSerializer(annotation).data, status=201), annotation)

    @extend_schema(
        request=None, parameters=[IDEMPOTENCY_KEY], responses={200: s.SubmitResultSerializer, **ERRORS, **KEY_REUSED}
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def submit(self, request, pk=None):
        """Submit my draft annotations of this article for review."""
        return Response({"submitted": submit_article(actor=request.user, article=self.get_object())})

    @extend_schema(
        request=s.BulkReviewInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: s.ReviewSerializer(many=True), **ERRORS, **KEY_REUSED},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def review(self, request, pk=None):
        """Decide on several submitted annotations of this article: all of them, or none."""
        article = self.get_object()
        decisions = validated(s.BulkReviewInputSerializer, request.data)
        reviews = review_annotations(actor=request.user, article=article, **decisions)
        return Response(s.ReviewSerializer(reviews, many=True).data)

    @extend_schema(
        methods=["GET"],
        parameters=[OpenApiParameter("chosen", int, required=True, description="The annotation to approve.")],
        responses={200: s.AdjudicationPlanSerializer, **ERRORS},
        description="What approving one version would do (nothing is decided): its identical copies, its rivals "
        "waiting for review, and what it leaves alone.",
    )
    @extend_schema(
        methods=["POST"],
        request=s.AdjudicationInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: s.ReviewSerializer(many=True), **ERRORS, **KEY_REUSED},
        description="Approve one version and reject the rivals named, in one decision; a named annotation that is "
        "no rival (or no copy) of the chosen one is refused (400) and nothing is decided.",
    )
    @action(detail=True, methods=["get", "post"])
    @idempotent
    def adjudication(self, request, pk=None):
        article = self.get_object()
        if request.method == "GET":
            chosen = validated(s.AdjudicationPreviewQuerySerializer, request.query_params)["chosen"]
            plan = plan_adjudication(actor=request.user, article=article, chosen=chosen)
            return Response(s.AdjudicationPlanSerializer(plan).data)
        decided = adjudicate(
            actor=request.user, article=article, **validated(s.AdjudicationInputSerializer, request.data)
        )
        return Response(s.ReviewSerializer(decided.reviews, many=True).data)

    @extend_schema(request=None, responses={200: s.SuggestionRunSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def suggest(self, request, pk=None):
        """Run the suggesters over this article again (any member): new proposals are added, those no longer
        proposed that nobody decided on are withdrawn, the rest stay as they are."""
        run = rerun_suggestions(actor=request.user, article=self.get_object())
        fields = ("created", "kept", "removed", "dropped", "failed", "failures")
        return Response({name: getattr(run, name) for name in fields})


def _checked_items(payload: list) -> list[dict]:
    """Each item of a list of new annotations as the serializer accepts it; any refused, ItemErrors by index."""
    checked, errors = [], {}
    check = s.AnnotationInputSerializer()  # one for all items: making its fields costs more than a check
    for index, item in enumerate(payload):
        try:
            checked.append(check.run_validation(item))  # what is_valid() stores as validated_data
        except serializers.ValidationError:
            data = s.AnnotationInputSerializer(data=item)
            data.is_valid()
            errors[index] = data.errors
    if errors:
        raise ItemErrors(errors)
    return checked
