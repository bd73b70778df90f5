"""The REST API, /api/v1/: every read starts from `visible_to(user)`, every write calls a service."""

from __future__ import annotations

import django_filters
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from annotator.accounts.models import Membership, Role, User
from annotator.accounts.services import remove_membership, require_role, set_membership
from annotator.annotations.models import Annotation, AnnotationEvent
from annotator.annotations.services import (
    create_annotation,
    create_annotations,
    delete_annotation,
    review_annotation,
    review_annotations,
    submit_article,
    update_annotation,
)
from annotator.api import serializers as s
from annotator.api.idempotency import IDEMPOTENCY_KEY, idempotent
from annotator.articles.ingestion import (
    ArticleRecord,
    RecordError,
    Rejection,
    clean_fields,
    read_named_file,
    upload_refusal,
)
from annotator.articles.models import Article, Project
from annotator.articles.services import create_project, import_articles, index_for_search, update_project
from annotator.suggestions.services import accept_suggestion, dismiss_suggestion, rerun_suggestions

ARTICLE_BATCH_LIMIT = 1000
ETAG = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag you read (e.g. "3"); a stale one is answered 412 and changes nothing.',
)
ERROR = inline_serializer("Error", {"detail": serializers.CharField(), "errors": serializers.DictField(required=False)})
ERRORS = {
    400: OpenApiResponse(ERROR, description="Bad input: `detail` says what, `errors` which field."),
    401: OpenApiResponse(ERROR, description="Not logged in."),
    403: OpenApiResponse(ERROR, description="Your role may not do this."),
    404: OpenApiResponse(ERROR, description="Not found, or not yours to see."),
}
KEY_REUSED = {
    422: OpenApiResponse(ERROR, description="The Idempotency-Key was sent before with another path or body."),
}
NOTHING_ADDED = OpenApiResponse(
    s.ImportSummarySerializer, description="Nothing new was stored: every article was a duplicate or was rejected."
)


class IdCursor(CursorPagination):
    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        """A page_size that is not a whole number from 1 up is bad input (DRF alone would ignore it)."""
        value = request.query_params.get(self.page_size_query_param)
        if value is not None and not (value.isascii() and value.isdigit() and int(value) > 0):
            message = f"must be a whole number from 1 up (pages hold at most {self.max_page_size}), not {value!r}"
            raise DjangoValidationError({"page_size": message})
        return super().get_page_size(request)

    def decode_cursor(self, request):
        """A cursor we did not hand out is bad input (400), not a missing page."""
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise DjangoValidationError(
                {"cursor": "is not a cursor of this list; follow the `next` and `previous` links as they are"}
            ) from None


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


# --- auth and users -------------------------------------------------------------------------------


class TokenView(APIView):
    """Trade a username and password for a token (send it as `Authorization: Token KEY`)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=s.TokenInputSerializer, responses={200: s.TokenSerializer, 400: ERROR, 429: ERROR})
    def post(self, request):
        data = s.TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # Django's request, not DRF's: django-axes marks a locked-out client on it, and its middleware answers 429.
        user = authenticate(request._request, **data.validated_data)
        if user is None or not user.is_active:
            raise DjangoValidationError("Unable to log in with that username and password.")
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


@extend_schema_view(list=extend_schema(responses={200: s.UserSerializer(many=True), **ERRORS}))
class UserViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Staff list and create accounts."""

    serializer_class = s.UserSerializer
    permission_classes = [IsAdminUser]
    pagination_class = IdCursor
    queryset = User.objects.order_by("id")

    @extend_schema(responses={201: s.UserSerializer, **ERRORS})
    def create(self, request):
        data = s.UserSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        try:
            validate_password(fields["password"], User(username=fields["username"], email=fields.get("email", "")))
        except DjangoValidationError as exc:
            raise DjangoValidationError({"password": exc.messages}) from None
        user = User.objects.create_user(**fields)
        return Response(s.UserSerializer(user).data, status=status.HTTP_201_CREATED)


# --- projects -------------------------------------------------------------------------------------


class GivenIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date-time; present but empty is an error (absent is no filter)."""

    def to_python(self, value):
        if value == "":
            raise DjangoValidationError("is empty: give an ISO 8601 date-time, or leave the parameter out")
        return super().to_python(value)


class GivenIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """A date-time filter that refuses an empty value instead of quietly not filtering."""

    field_class = GivenIsoDateTimeField


class ArticleFilter(django_filters.FilterSet):
    source = django_filters.CharFilter()
    language = django_filters.CharFilter()
    published_after = GivenIsoDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = GivenIsoDateTimeFilter(field_name="published_at", lookup_expr="lt")

    class Meta:
        model = Article
        fields = ["source", "language"]


@extend_schema_view(
    list=extend_schema(responses={200: s.ProjectSerializer(many=True), **ERRORS}),
    retrieve=extend_schema(responses={200: s.ProjectSerializer, **ERRORS}),
)
class ProjectViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Projects you are a member of; staff create them, project admins change them."""

    serializer_class = s.ProjectSerializer
    lookup_field = "slug"
    # Only what a slug can hold reaches the database: PostgreSQL refuses a NUL in a query (a 500), where the
    # answer is simply that no such project exists (404).
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    pagination_class = IdCursor
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return Project.objects.visible_to(self.request.user).order_by("id")

    @extend_schema(responses={201: s.ProjectSerializer, **ERRORS})
    def create(self, request):
        data = s.ProjectSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        project = create_project(actor=request.user, **data.validated_data)
        return Response(s.ProjectSerializer(project, context={"request": request}).data, status=201)

    @extend_schema(responses={200: s.ProjectSerializer, **ERRORS})
    def partial_update(self, request, slug=None):
        project = self.get_object()
        data = s.ProjectSerializer(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        project = update_project(actor=request.user, project=project, **data.validated_data)
        return Response(s.ProjectSerializer(project, context={"request": request}).data)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        methods=["GET"], responses={200: s.MemberSerializer(many=True), **ERRORS}, description="The members."
    )
    @extend_schema(
        methods=["POST"],
        request=s.MemberSerializer,
        responses={201: s.MemberSerializer, **ERRORS},
        description="Project admins add a member or change a member's role.",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def members(self, request, slug=None):
        project = self.get_object()
        if request.method == "POST":
            data = s.MemberSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            require_role(request.user, project, {Role.ADMIN}, to="manage members")
            user = User.objects.filter(username=data.validated_data["username"]).first()
            if user is None:
                raise DjangoValidationError({"username": f"no user {data.validated_data['username']!r}"})
            membership = set_membership(
                actor=request.user, project=project, user=user, role=data.validated_data["role"]
            )
            return Response({"username": user.username, "role": membership.role}, status=201)
        members = Membership.objects.filter(project=project).select_related("user").order_by("user__username")
        return Response([{"username": m.user.username, "role": m.role} for m in members])

    @extend_schema(responses={204: None, **ERRORS}, description="Project admins remove a member.")
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<username>[\w.@+-]+)")
    def remove_member(self, request, slug=None, username=None):
        project = self.get_object()
        user = get_object_or_404(User, username=username)
        remove_membership(actor=request.user, project=project, user=user)
        return Response(status=204)

    @extend_schema(
        methods=["GET"],
        parameters=[
            OpenApiParameter("q", str, description="Full-text search over title and body."),
            OpenApiParameter("source", str, description="Only articles from this source (exact)."),
            OpenApiParameter("language", str, description="Only articles in this language (exact)."),
            OpenApiParameter("published_after", OpenApiTypes.DATETIME, description="Published at or after."),
            OpenApiParameter("published_before", OpenApiTypes.DATETIME, description="Published before."),
        ],
        responses={200: s.ArticleSummarySerializer(many=True), **ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        request=s.ArticleInputSerializer(many=True),
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.ImportSummarySerializer, 200: NOTHING_ADDED, **ERRORS, **KEY_REUSED},
        description=f"Add one article (an object) or up to {ARTICLE_BATCH_LIMIT} (a list); duplicates are not stored "
        "twice. `ids` are the stored ids in input order (the existing id for a duplicate, null when rejected). "
        "One object that is refused answers 400, `errors` naming the field (e.g. a `url` that is not http or https).",
    )
    @action(detail=True, methods=["get", "post"])
    @idempotent
    def articles(self, request, slug=None):
        project = self.get_object()
        if request.method == "POST":
            return self._add_articles(request, project)
        articles = Article.objects.visible_to(request.user).filter(project=project)
        filters = ArticleFilter(request.query_params, queryset=articles)
        if not filters.is_valid():
            raise DjangoValidationError({name: list(messages) for name, messages in filters.errors.items()})
        articles = filters.qs
        q = request.query_params.get("q", "").strip()
        if q:
            if "\x00" in q:
                raise DjangoValidationError({"q": "may not contain NUL characters"})
            articles = articles.filter(pk__in=Article.objects.search(q).values("pk"))
        articles = articles.defer("body", "metadata", "search_document")
        page = self.paginate_queryset(articles.order_by("id"))
        return self.get_paginated_response(s.ArticleSummarySerializer(page, many=True).data)

    def _add_articles(self, request, project: Project) -> Response:
        if not request.body.strip():
            raise DjangoValidationError({"items": "send an article object or a non-empty list of them"})
        payload = request.data
        many = isinstance(payload, list)
        items = payload if many else [payload]
        if not items:
            raise DjangoValidationError({"items": "send an article object or a non-empty list of them"})
        if len(items) > ARTICLE_BATCH_LIMIT:
            raise DjangoValidationError({"items": f"{len(items)} articles; the limit is {ARTICLE_BATCH_LIMIT}"})
        require_role(request.user, project, {Role.ADMIN}, to="import articles")
        records, errors = [], {}
        for index, item in enumerate(items):
            data = s.ArticleInputSerializer(data=item)
            if not data.is_valid():
                errors = {k: [str(m) for m in v] if isinstance(v, list) else [str(v)] for k, v in data.errors.items()}
                records.append(Rejection(f"item {index}", "; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items())))
                continue
            try:
                records.append(ArticleRecord(f"item {index}", clean_fields(dict(data.validated_data))))
            except RecordError as exc:
                errors = {exc.field or "non_field_errors": [str(exc)]}
                records.append(Rejection(f"item {index}", str(exc)))
        if not many and errors:
            # One object refused is bad input, a 400 naming the field; a list answers with its summary instead,
            # since its good records are stored.
            body = {"detail": records[0].reason, "errors": errors, "added": 0, "duplicates": 0, "rejected": 1}
            return Response(body | {"ids": [None]}, status=400)
        summary = import_articles(project=project, actor=request.user, items=records)
        index_for_search(project=project)
        body = summary.as_dict() | {"ids": summary.ids}
        return Response(body, status=201 if summary.added else 200)

    @extend_schema(
        request={"multipart/form-data": inline_serializer("Upload", {"file": serializers.FileField()})},
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.ImportSummarySerializer, 200: NOTHING_ADDED, **ERRORS, **KEY_REUSED},
        description="Upload a file in any format `load_articles` reads (.txt .jsonl .json .csv .html .zip).",
    )
    @action(detail=True, methods=["post"], url_path="articles/import", parser_classes=[MultiPartParser, FormParser])
    @idempotent
    def import_file(self, request, slug=None):
        project = self.get_object()
        require_role(request.user, project, {Role.ADMIN}, to="import articles")
        upload = request.FILES.get("file")
        if upload is None:
            raise DjangoValidationError({"file": "send the file in a multipart field named file"})
        if reason := upload_refusal(upload.name, upload.size):
            raise DjangoValidationError({"file": reason})
        summary = import_articles(project=project, actor=request.user, items=read_named_file(upload.name, upload.open))
        index_for_search(project=project)
        return Response(summary.as_dict() | {"ids": summary.ids}, status=201 if summary.added else 200)


# --- articles and annotations ---------------------------------------------------------------------


@extend_schema_view(retrieve=extend_schema(responses={200: s.ArticleSerializer, **ERRORS}))
class ArticleViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ArticleSerializer

    def get_queryset(self):
        return Article.objects.visible_to(self.request.user).select_related("project").defer("search_document")

    @extend_schema(
        methods=["GET"],
        responses={200: s.AnnotationSerializer(many=True), **ERRORS},
        description="Annotations you may see.",
    )
    @extend_schema(
        methods=["POST"],
        request=s.AnnotationInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.AnnotationSerializer, **ERRORS, **KEY_REUSED},
        description="Create one annotation (an object), or up to 500 (a list) stored all or none: "
        "a refused list answers 400 with `errors` keyed by the item's index.",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=IdCursor)
    @idempotent
    def annotations(self, request, pk=None):
        article = self.get_object()
        if request.method == "POST":
            payload = request.data
            if isinstance(payload, list):
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
                    from annotator.annotations.services import ItemErrors

                    raise ItemErrors(errors)
                created = create_annotations(actor=request.user, article=article, items=checked)
                return Response(s.AnnotationSerializer(created, many=True).data, status=201)
            data = s.AnnotationInputSerializer(data=payload)
            data.is_valid(raise_exception=True)
            annotation = create_annotation(actor=request.user, article=article, **data.validated_data)
            return with_etag(Response(s.AnnotationSerializer(annotation).data, status=201), annotation)
        annotations = Annotation.objects.visible_to(request.user).filter(article=article).select_related("author")
        page = self.paginate_queryset(annotations.order_by("id"))
        return self.get_paginated_response(s.AnnotationSerializer(page, many=True).data)

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
        data = s.BulkReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reviews = review_annotations(actor=request.user, article=article, **data.validated_data)
        return Response(s.ReviewSerializer(reviews, many=True).data)

    @extend_schema(request=None, responses={200: s.SuggestionRunSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def suggest(self, request, pk=None):
        """Run the suggesters over this article again (any member): new proposals are added, those no longer
        proposed that nobody decided on are withdrawn, the rest stay as they are."""
        run = rerun_suggestions(actor=request.user, article=self.get_object())
        fields = ("created", "kept", "removed", "dropped", "failed", "failures")
        return Response({name: getattr(run, name) for name in fields})


class AnnotationViewSet(
    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """One annotation. Every response carries its `ETag`; send it back as `If-Match` to edit or delete."""

    serializer_class = s.AnnotationSerializer
    http_method_names = ["get", "patch", "delete", "post", "head", "options"]

    def get_queryset(self):
        return Annotation.objects.visible_to(self.request.user).select_related("author", "article__project")

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
        data = s.AnnotationPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        annotation = update_annotation(
            actor=request.user, annotation=annotation, expected_version=if_match(request), **data.validated_data
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
        data = s.ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = review_annotation(
            actor=request.user, annotation=annotation, expected_version=if_match(request), **data.validated_data
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
        data = s.SuggestionAcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        annotation = accept_suggestion(actor=request.user, suggestion=suggestion, **data.validated_data)
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
