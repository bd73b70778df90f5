"""Annotations in the API: read, edit, delete, review, history, and pending suggestions accepted or dismissed.

Every answer about one annotation carries its version as an `ETag`; edits send it back as `If-Match`."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from annotator.annotations.models import Annotation, AnnotationEvent
from annotator.annotations.services import delete_annotation, review_annotation, update_annotation
from annotator.api import serializers as s
from annotator.api.idempotency import IDEMPOTENCY_KEY, idempotent
from annotator.api.views import ERROR, ERRORS, KEY_REUSED, validated
from annotator.articles.models import Article
from annotator.suggestions.services import accept_suggestion, dismiss_suggestion

ETAG = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag you read (e.g. "3"); a stale one is answered 412 and changes nothing.',
)


def if_match(request) -> int | None:
    """The version an If-Match header names, or None without the header."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    value = header.removeprefix("W/").strip('"')
    if not (value.isascii() and value.isdigit()):
        raise DjangoValidationError({"If-Match": f'{header!r} is not an ETag of ours, such as "3"'})
    return int(value)


def with_etag(response: Response, annotation: Annotation) -> Response:
    response["ETag"] = f'"{annotation.version}"'
    return response


class AnnotationViewSet(
    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """One annotation. Every response carries its `ETag`; send it back as `If-Match` to edit or delete."""

    serializer_class = s.AnnotationSerializer
    http_method_names = ["get", "patch", "delete", "post", "head", "options"]

    def get_queryset(self):
        # With orphans: an annotation whose text a revision removed is still read, placed again or deleted.
        return Annotation.with_orphans.visible_to(self.request.user).select_related("author", "article__project")

    @extend_schema(responses={200: s.AnnotationSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        annotation = self.get_object()
        return with_etag(Response(s.AnnotationSerializer(annotation).data), annotation)

    @extend_schema(
        request=s.AnnotationPatchSerializer,
        parameters=[ETAG],
        responses={200: s.AnnotationSerializer, 412: ERROR, **ERRORS},
    )
    def partial_update(self, request, pk=None):
        annotation = self.get_object()
        changes = validated(s.AnnotationPatchSerializer, request.data)
        annotation = update_annotation(
            actor=request.user, annotation=annotation, expected_version=if_match(request), **changes
        )
        return with_etag(Response(s.AnnotationSerializer(annotation).data), annotation)

    @extend_schema(parameters=[ETAG], responses={204: None, 412: ERROR, **ERRORS})
    def destroy(self, request, pk=None):
        annotation = self.get_object()
        delete_annotation(actor=request.user, annotation=annotation, expected_version=if_match(request))
        return Response(status=204)

    @extend_schema(
        request=s.ReviewInputSerializer,
        parameters=[ETAG, IDEMPOTENCY_KEY],
        responses={200: s.AnnotationSerializer, 409: ERROR, 412: ERROR, **ERRORS, **KEY_REUSED},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def review(self, request, pk=None):
        """Approve or reject (with a comment) a submitted annotation."""
        annotation = self.get_object()
        decision = validated(s.ReviewInputSerializer, request.data)
        review = review_annotation(
            actor=request.user, annotation=annotation, expected_version=if_match(request), **decision
        )
        return with_etag(Response(s.AnnotationSerializer(review.annotation).data), review.annotation)

    def _suggestion(self) -> Annotation:
        """A pending suggestion on an article the user sees, also one they decided on already (the service
        then says so), or else an annotation they see (the service says it is not a suggestion)."""
        try:
            pk = int(self.kwargs["pk"])
        except ValueError:
            raise Http404 from None
        pending = Annotation.objects.pending_suggestions().filter(
            article__in=Article.objects.visible_to(self.request.user)
        )
        return pending.filter(pk=pk).first() or self.get_object()

    @extend_schema(
        request=s.SuggestionAcceptSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.AnnotationSerializer, 409: ERROR, **ERRORS, **KEY_REUSED},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def accept(self, request, pk=None):
        """Accept a pending suggestion: a copy becomes your draft (origin `suggested`), with the suggestion's
        attributes or the ones sent. Each member decides once per suggestion (again: 409)."""
        suggestion = self._suggestion()
        fields = validated(s.SuggestionAcceptSerializer, request.data)
        annotation = accept_suggestion(actor=request.user, suggestion=suggestion, **fields)
        return with_etag(Response(s.AnnotationSerializer(annotation).data, status=201), annotation)

    @extend_schema(request=None, responses={200: s.SuggestionDismissedSerializer, 409: ERROR, **ERRORS})
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """Dismiss a pending suggestion: it is gone for you, not for the article's other annotators."""
        suggestion = self._suggestion()
        dismiss_suggestion(actor=request.user, suggestion=suggestion)
        return Response({"suggestion": suggestion.pk, "outcome": "dismissed"})

    @extend_schema(responses={200: s.EventSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        """Every create, edit, delete, submit and review of this annotation, oldest first."""
        try:
            annotation_id = int(pk)
        except ValueError:
            raise Http404 from None
        events = AnnotationEvent.objects.visible_to(request.user).of_annotation(annotation_id).select_related("actor")
        events = list(events)
        if not events:
            raise Http404
        return Response(s.EventSerializer(events, many=True).data)
