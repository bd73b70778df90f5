"""Shapes of the API's requests and responses. They check shape only; the services decide validity."""

from __future__ import annotations

from rest_framework import serializers

from annotator.accounts.models import Membership, Role, User
from annotator.annotations.labels import Kind
from annotator.annotations.models import Annotation, AnnotationEvent, Decision
from annotator.articles.models import Article, Project


class StrictSerializer(serializers.Serializer):
    """Unknown fields are an error, not silently dropped."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [f"unknown field; the fields are {', '.join(self.fields)}"] for name in unknown}
                )
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    pass


class UserSerializer(StrictModelSerializer):
    password = serializers.CharField(write_only=True, min_length=8, max_length=128)

    class Meta:
        model = User
        fields = ["id", "username", "email", "password"]


class ProjectSerializer(StrictModelSerializer):
    slug = serializers.SlugField(max_length=80, required=False)
    label_config = serializers.JSONField(required=False)
    role = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["name", "slug", "description", "guidelines", "label_config", "annotators_per_article", "role"]

    def get_role(self, project) -> str | None:
        user = self.context["request"].user
        return Membership.objects.role_of(user, project)


class MemberSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)


class ArticleSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = ["id", "project", "title", "source", "url", "byline", "published_at", "language", "created_at"]

    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)


class ArticleSerializer(ArticleSummarySerializer):
    class Meta(ArticleSummarySerializer.Meta):
        fields = [*ArticleSummarySerializer.Meta.fields, "body", "metadata", "content_hash"]


class ArticleInputSerializer(StrictSerializer):
    """One article to add (the ingestion code checks and normalises every field)."""

    title = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    source = serializers.CharField(required=False, allow_blank=True)
    url = serializers.CharField(required=False, allow_blank=True)
    byline = serializers.CharField(required=False, allow_blank=True)
    published_at = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    language = serializers.CharField(required=False, allow_blank=True)
    metadata = serializers.JSONField(required=False)


class ImportSummarySerializer(serializers.Serializer):
    added = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField(allow_null=True), required=False)
    errors = serializers.ListField(child=serializers.DictField())


class AnnotationSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Annotation
        fields = [
            "id", "article", "kind", "start", "end", "text", "attributes", "status", "origin", "author",
            "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class AnnotationInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    start = serializers.IntegerField(allow_null=True, required=False, min_value=0)
    end = serializers.IntegerField(allow_null=True, required=False, min_value=0)
    text = serializers.CharField(allow_null=True, required=False, allow_blank=True, trim_whitespace=False)
    attributes = serializers.DictField(required=False)


class AnnotationPatchSerializer(StrictSerializer):
    start = serializers.IntegerField(allow_null=True, required=False, min_value=0)
    end = serializers.IntegerField(allow_null=True, required=False, min_value=0)
    text = serializers.CharField(allow_null=True, required=False, allow_blank=True, trim_whitespace=False)
    attributes = serializers.DictField(required=False)


class ReviewInputSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class BulkReviewInputSerializer(ReviewInputSerializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=500)


class ReviewSerializer(serializers.Serializer):
    annotation = serializers.IntegerField(source="annotation_id")
    reviewer = serializers.CharField(source="reviewer.username")
    decision = serializers.CharField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class SubmitResultSerializer(serializers.Serializer):
    submitted = serializers.IntegerField()


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AnnotationEvent
        fields = ["id", "annotation_id", "action", "actor", "at", "changes", "state", "comment"]


class TokenInputSerializer(StrictSerializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
