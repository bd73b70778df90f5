"""Articles in the API: one article, its annotations, its submit and review, its suggestions asked for again."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import OuterRef
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import Cursor
from rest_framework.response import Response

from annotator.accounts.models import Membership, User
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
from annotator.compiled import Compiled
from annotator.suggestions.services import rerun_suggestions
from annotator.values import BIGINT

WITH_ANNOTATIONS = OpenApiParameter(
    "annotations",
    bool,
    description="`false` leaves the annotations out (the article alone); default `true`.",
)


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[WITH_ANNOTATIONS],
        responses={200: s.ArticleWithAnnotationsSerializer, **ERRORS},
        description=f"The article, and by default the annotations you may see (up to {ARTICLE_ANNOTATIONS_CAP:,}; "
        "`annotations_next` links the rest), in one request: what GET `annotations/` gives, without asking twice.",
    )
)
class ArticleViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ArticleSerializer

    def get_queryset(self):
        return visible_articles(self.request.user)

    def get_object(self) -> Article:
        """The article, and the user's role in its project remembered from the same query (the services check
        it: creating an annotation asks no more). Its SQL is compiled once per process (ONE_ARTICLE)."""
        user, pk = self.request.user, self.kwargs["pk"]
        if not (pk.isascii() and pk.isdigit() and int(pk) < BIGINT):
            raise Http404
        found = ONE_ARTICLE.instances((user.is_superuser, user.is_active), user.pk, int(pk))
        if not found:
            raise Http404
        article = found[0]
        self.check_object_permissions(self.request, article)
        Membership.objects.remember_role(user, article.project_id, article.viewer_role)
        return article

    def retrieve(self, request, pk=None):
        article = self.get_object()
        out = s.ArticleSerializer(article).data
        if wants_annotations(request):
            out["annotations"], out["annotations_next"] = annotations_in_full(request, article)
        return Response(out)

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
            page = self.paginate_queryset(visible_rows(request.user, article))
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


def visible_articles(user):
    """The articles the user sees, each with its project and the user's role in it (`viewer_role`)."""
    articles = Article.objects.visible_to(user).select_related("project").defer("search_document")
    return articles.annotate(viewer_role=Membership.objects.role_in(user, OuterRef("project_id")))


ONE_ARTICLE = Compiled(
    lambda shape, user_id, pk: visible_articles(User(pk=user_id, is_superuser=shape[0], is_active=shape[1])).filter(
        pk=pk
    )
)


def visible_rows(user, article: Article | int):
    """The article's annotations the user may see, oldest first, as rows (serializers.annotation_rows)."""
    return s.annotation_rows(Annotation.objects.visible_to(user).filter(article=article)).order_by("id")


# The first page of visible_rows, compiled once per shape: the user's flags visible_to branches on, and the cap.
FIRST_PAGE = Compiled(
    lambda shape, user_id, article_id: visible_rows(
        User(pk=user_id, is_superuser=shape[0], is_active=shape[1]), article_id
    )[: shape[2] + 1]
)


def wants_annotations(request) -> bool:
    value = request.query_params.get("annotations", "true")
    if value not in ("true", "false"):
        raise DjangoValidationError({"annotations": f"must be true or false, not {value!r}"})
    return value == "true"


def annotations_in_full(request, article: Article) -> tuple[list[dict], str | None]:
    """The annotations GET annotations/ gives in its first page (one query), and the link to its next page if the
    article has more (as the list's cursor links it)."""
    user = request.user
    rows = FIRST_PAGE.rows((user.is_superuser, user.is_active, ARTICLE_ANNOTATIONS_CAP), user.pk, article.pk)
    zone = timezone.get_current_timezone()
    listed = [s.annotation_json(row, zone) for row in rows[:ARTICLE_ANNOTATIONS_CAP]]
    if len(rows) <= ARTICLE_ANNOTATIONS_CAP:
        return listed, None
    cursor = WholeArticleCursor()
    cursor.base_url = request.build_absolute_uri(reverse("article-annotations", args=[article.pk]))
    return listed, cursor.encode_cursor(Cursor(offset=0, reverse=False, position=str(listed[-1]["id"])))


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
