"""Projects in the API: their settings, members and articles (listed, searched, added, uploaded)."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from annotator.accounts.models import Membership, Role, User
from annotator.accounts.services import remove_membership, require_role, set_membership
from annotator.api import serializers as s
from annotator.api.article_lists import checked_records, start_list_import
from annotator.api.idempotency import IDEMPOTENCY_KEY, idempotent
from annotator.api.job_views import ACCEPTED, accepted
from annotator.api.views import ERRORS, KEY_REUSED, IdCursor, validated
from annotator.articles.import_jobs import LIST_JOB_THRESHOLD, import_and_queue_suggestions, start_file_import
from annotator.articles.ingestion import (
    upload_refusal,
)
from annotator.articles.models import Article, Project
from annotator.articles.services import create_project, update_project
from annotator.values import clean_datetime

ARTICLE_BATCH_LIMIT = 1000
NOTHING_ADDED = OpenApiResponse(
    s.ImportSummarySerializer, description="Nothing new was stored: every article was a duplicate or was rejected."
)


class GivenIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date-time that PostgreSQL reads; present but empty is an error (absent is no filter)."""

    def to_python(self, value):
        if value == "":
            raise DjangoValidationError("is empty: give an ISO 8601 date-time, or leave the parameter out")
        moment = super().to_python(value)
        try:
            return moment if moment is None else clean_datetime(moment, "value")
        except DjangoValidationError as exc:
            raise DjangoValidationError(exc.messages) from None


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
        fields = validated(s.ProjectSerializer, request.data, context={"request": request})
        project = create_project(actor=request.user, **fields)
        return Response(s.ProjectSerializer(project, context={"request": request}).data, status=201)

    @extend_schema(responses={200: s.ProjectSerializer, **ERRORS})
    def partial_update(self, request, slug=None):
        project = self.get_object()
        changes = validated(s.ProjectSerializer, request.data, partial=True, context={"request": request})
        project = update_project(actor=request.user, project=project, **changes)
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
            member = validated(s.MemberSerializer, request.data)
            require_role(request.user, project, {Role.ADMIN}, to="manage members")
            user = User.objects.filter(username=member["username"]).first()
            if user is None:
                raise DjangoValidationError({"username": f"no user {member['username']!r}"})
            membership = set_membership(actor=request.user, project=project, user=user, role=member["role"])
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
        responses={201: s.ImportSummarySerializer, 200: NOTHING_ADDED, **ACCEPTED, **ERRORS, **KEY_REUSED},
        description=f"Add one article (an object) or up to {ARTICLE_BATCH_LIMIT} (a list); duplicates are not stored "
        "twice. `ids` are the stored ids in input order (the existing id for a duplicate, null when rejected). "
        "One object that is refused answers 400, `errors` naming the field (e.g. a `url` that is not http or https). "
        f"A list of more than {LIST_JOB_THRESHOLD} is stored by a job: 202, `Location` the job, whose `result` is "
        "this summary when it succeeds. The suggestions of new articles follow as jobs of their own.",
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
            articles = articles.matching(q)
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
        if len(items) > LIST_JOB_THRESHOLD:
            job = start_list_import(actor=request.user, project=project, body=request.body, count=len(items))
            return accepted(job)
        records, errors = checked_records(items)
        if not many and errors:
            # One object refused is bad input, a 400 naming the field; a list answers with its summary instead,
            # since its good records are stored.
            body = {"detail": records[0].reason, "errors": errors, "added": 0, "duplicates": 0, "rejected": 1}
            return Response(body | {"ids": [None]}, status=400)
        summary = import_and_queue_suggestions(project=project, actor=request.user, items=records)
        body = summary.as_dict() | {"ids": summary.ids}
        return Response(body, status=201 if summary.added else 200)

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "Upload",
                {
                    "file": serializers.FileField(),
                    "annotator": serializers.CharField(
                        required=False, help_text="A .zip of brat .txt + .ann pairs: the member whose quotes they are."
                    ),
                },
            )
        },
        parameters=[IDEMPOTENCY_KEY],
        responses={**ACCEPTED, **ERRORS, **KEY_REUSED},
        description="Upload a file in any format `load_articles` reads (.txt .jsonl .json .csv .html .zip); a job "
        "stores it (202, `Location` the job), whose `result` is the import summary with the rejected records. A .zip "
        "that holds .ann files is read as brat standoff (docs/brat.md), its quotes by `annotator` (default: you).",
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
        with upload.open() as file:
            content = file.read()
        annotator = request.data.get("annotator") or None
        job = start_file_import(
            actor=request.user, project=project, name=upload.name, content=content, annotator=annotator
        )
        return accepted(job)
