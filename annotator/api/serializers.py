"""Shapes of the API's requests and responses. They check shape only; the services decide validity."""

from __future__ import annotations

from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import F, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from annotator.accounts.models import Membership, Role, User
from annotator.annotations.kinds import KINDS, Attribute, Kind, Type
from annotator.annotations.models import Annotation, AnnotationEvent, Decision
from annotator.api.views import ARTICLE_ANNOTATIONS_CAP
from annotator.articles.models import Article, ArticleRevision, Project

JSON_TYPES = [
    (serializers.BooleanField, (bool,), "true or false"),
    (serializers.IntegerField, (int,), "a whole number"),
    (serializers.CharField, (str,), "a string"),
    (serializers.ChoiceField, (str,), "a string"),
]
JSON_NAMES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number"}


def json_type_error(field: serializers.Field, value) -> str | None:
    """Why a JSON value is of the wrong type for the field (DRF alone turns 5 into "5" and "5" into 5), or None."""
    if value is None:
        return None  # allow_null decides
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        errors = ((index, json_type_error(field.child, item)) for index, item in enumerate(value))
        return next((f"item {index} {error}" for index, error in errors if error), None)
    for field_class, types, name in JSON_TYPES:
        if isinstance(field, field_class):
            if isinstance(value, types) and not (bool not in types and isinstance(value, bool)):
                return None
            return f"must be {name}, not {JSON_NAMES.get(type(value), 'a decimal number')}"
    return None


class StrictSerializer(serializers.Serializer):
    """Unknown fields and values of the wrong JSON type are errors, not silently dropped or converted."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [f"unknown field; the fields are {', '.join(self.fields)}"] for name in unknown}
                )
            wrong = {
                name: error
                for name, field in self.fields.items()
                if name in data and not field.read_only and (error := json_type_error(field, data[name]))
            }
            if wrong:
                raise serializers.ValidationError({name: [error] for name, error in wrong.items()})
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

    def to_representation(self, article: Article) -> dict:
        """What the fields give, built directly, as for annotations (DRF makes every field anew for each
        article: a third of an article's own time; tests/test_api_representation.py checks that both agree)."""
        zone = timezone.get_current_timezone()
        out = {}
        for name in self.Meta.fields:
            value = getattr(article, name) if name != "project" else article.project.slug
            out[name] = _iso(value, zone) if name in _ARTICLE_TIMES else value
        return out


_ARTICLE_TIMES = frozenset({"published_at", "created_at"})


class ArticleSerializer(ArticleSummarySerializer):
    class Meta(ArticleSummarySerializer.Meta):
        fields = [*ArticleSummarySerializer.Meta.fields, "body", "metadata", "content_hash", "revision"]


class IngestedTextField(serializers.CharField):
    """An article's text, which the ingestion code (articles.ingestion.clean_fields) refuses with a NUL character
    or a lone surrogate, as it does on every import path. DRF's own checks of the same are left out: they loop
    over every character in Python, a tenth of a second for a list of 1,000 articles of 4 KB (bench/README.md)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        dropped = (ProhibitNullCharactersValidator, ProhibitSurrogateCharactersValidator)
        self.validators = [v for v in self.validators if not isinstance(v, dropped)]


class ArticleInputSerializer(StrictSerializer):
    """One article to add (the ingestion code checks and normalises every field)."""

    title = IngestedTextField(required=False, allow_blank=True, trim_whitespace=False)
    body = IngestedTextField(required=False, allow_blank=True, trim_whitespace=False)
    text = IngestedTextField(required=False, allow_blank=True, trim_whitespace=False)
    source = serializers.CharField(required=False, allow_blank=True)
    url = serializers.CharField(required=False, allow_blank=True)
    byline = serializers.CharField(required=False, allow_blank=True)
    published_at = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    language = serializers.CharField(required=False, allow_blank=True)
    metadata = serializers.JSONField(required=False)


class ImportSummarySerializer(serializers.Serializer):
    added = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    revised = serializers.IntegerField(
        help_text="Records with the url of an article of the project and another body: that article's next revision."
    )
    annotations = serializers.IntegerField(
        help_text="Annotations the new articles brought with them (an export, brat .ann files), stored with them."
    )
    rejected = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField(allow_null=True), required=False)
    errors = serializers.ListField(child=serializers.DictField())
    suggested = serializers.IntegerField(
        help_text="Suggestions made in the request (0 from the API: they follow as jobs, see suggestion_jobs)."
    )
    suggestion_jobs = serializers.IntegerField(help_text="Jobs queued to make the added articles' suggestions.")


class AnnotationSerializer(serializers.ModelSerializer):
    # A pending suggestion has no author yet (null).
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Annotation
        fields = [
            "id", "article", "kind", "start", "end", "text", "parts", "attributes", "status", "origin", "author",
            "version", "created_at", "updated_at", "anchor",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {
            "parts": {
                "help_text": "A quote in parts: [[start, end], ...] sorted, each part's text body[start:end]; "
                "null for an ordinary span."
            }
        }

    def to_representation(self, a: Annotation) -> dict:
        """What the fields above give, built directly: DRF's field-by-field path costs about 0.1 ms an
        annotation, most of a list's time (tests/test_api_representation.py checks that both agree)."""
        author = a.author.username if a.author_id is not None else None
        row = {
            "id": a.id, "article_id": a.article_id, "kind": _str(a.kind), "start": a.start, "end": a.end,
            "text": _str(a.text), "parts": a.parts, "attributes": a.attributes, "status": _str(a.status),
            "origin": _str(a.origin),
            "author_name": author, "version": a.version, "created_at": a.created_at, "updated_at": a.updated_at,
            "anchor": a.anchor,
        }  # fmt: skip
        return annotation_json(row, timezone.get_current_timezone())


# The columns of an annotation's representation, read as a row (Annotation.objects....values(*ANNOTATION_ROW)).
ANNOTATION_ROW = (
    "id", "article_id", "kind", "start", "end", "text", "parts", "attributes", "status", "origin", "version",
    "created_at", "updated_at", "anchor",
)  # fmt: skip


def annotation_rows(annotations) -> QuerySet:
    """The annotations as rows annotation_json takes: a list of them makes no model instance (an annotation and
    its author each, with four timestamps parsed), which cost a list of 250 about half its time."""
    return annotations.values(*ANNOTATION_ROW, author_name=F("author__username"))


def annotation_json(row: dict, zone) -> dict:
    """An annotation's representation from its row (annotation_rows), timestamps as DRF writes them in `zone`."""
    return {
        "id": row["id"], "article": row["article_id"], "kind": row["kind"], "start": row["start"], "end": row["end"],
        "text": row["text"], "parts": row["parts"], "attributes": row["attributes"], "status": row["status"],
        "origin": row["origin"],
        "author": row["author_name"], "version": row["version"], "created_at": _iso(row["created_at"], zone),
        "updated_at": _iso(row["updated_at"], zone), "anchor": row["anchor"],
    }  # fmt: skip


def _iso(value, zone) -> str | None:
    """What DRF's DateTimeField gives for an aware datetime in the current time zone, without its per-value
    lookups of the time zone."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _str(value) -> str | None:
    return None if value is None else str(value)


class ArticleWithAnnotationsSerializer(ArticleSerializer):
    """An article as GET /articles/{id}/ gives it, with the annotations you may see, as Label Studio gives a task.
    For the schema only: the view builds it (article_views.article_with_annotations). Both fields are left out
    with `?annotations=false`, hence not required."""

    annotations = AnnotationSerializer(
        many=True,
        required=False,
        help_text=f"The annotations you may see, oldest first, up to {ARTICLE_ANNOTATIONS_CAP:,}.",
    )
    annotations_next = serializers.URLField(
        allow_null=True,
        required=False,
        help_text="When the article has more: the annotation list's page after the last one here; else null.",
    )

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "annotations", "annotations_next"]


_SPAN = {
    "type": "array",
    "items": {"type": "integer", "minimum": 0},
    "minItems": 2,
    "maxItems": 2,
    "nullable": True,
    "description": "[start, end) in code points of the body, or null.",
}
_LABEL = "One of the project's labels (label_config)."
_SCHEMAS = {
    Type.TEXT: {"type": "string"},
    Type.URL: {"type": "string", "description": "An http or https URL."},
    Type.BOOL: {"type": "boolean"},
    Type.CHOICE: {"type": "string", "description": _LABEL},
    Type.SPAN: _SPAN,
}


def _attribute_schema(attribute: Attribute) -> dict:
    schema = dict(_SCHEMAS[attribute.type])
    if attribute.type in (Type.TEXT, Type.URL, Type.CHOICE) and not attribute.required:
        schema["nullable"] = True  # null is taken as empty text, or as no label
    if attribute.type == Type.TEXT and attribute.vocabulary is not None:
        schema["description"] = f"Free text, or one of the project's {attribute.vocabulary.key} (label_config)."
    if attribute.default is not None:
        schema["default"] = attribute.default
    return schema


@extend_schema_field(
    {
        "description": "The attributes of the annotation's kind; the service checks them against the project's "
        "label_config and answers 400 naming `attributes.<name>`.",
        "anyOf": [
            {
                "title": f"{kind.label}Attributes",
                "type": "object",
                "additionalProperties": False,
                "properties": {a.name: _attribute_schema(a) for a in kind.attributes},
            }
            for kind in KINDS.values()
        ],
    }
)
class AttributesField(serializers.DictField):
    """The attributes of one annotation, shaped by its kind (documented for the schema; checked by the service)."""


_PARTS_HELP = (
    "A quote in parts (a quote interrupted by its attribution): [[start, end], ...] in code points, each part "
    "inside the body; given in any order, stored sorted; parts may not overlap, and parts that touch are merged. "
    "`start`/`end` are the first part's start and the last part's end (leave them out, or send those). One part "
    "left, or null: an ordinary span (stored and answered as null). Only quotes have parts; invalid parts are a "
    "400 naming the part (`parts[1]: [40, 30] ends before it starts`)."
)


@extend_schema_field(
    {
        "type": "array",
        "nullable": True,
        "minItems": 1,
        "items": {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 2, "maxItems": 2},
        "description": _PARTS_HELP,
        "example": [[11, 23], [36, 45]],
    }
)
class PartsField(serializers.JSONField):
    """A quote's parts as sent (their shape and place are checked by annotations/parts.py, which names the part)."""


class AnnotationInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    start = serializers.IntegerField(allow_null=True, required=False, min_value=0)
    end = serializers.IntegerField(allow_null=True, required=False, min_value=0)
    text = serializers.CharField(allow_null=True, required=False, allow_blank=True, trim_whitespace=False)
    parts = PartsField(allow_null=True, required=False)
    attributes = AttributesField(required=False)


class AnnotationPatchSerializer(StrictSerializer):
    start = serializers.IntegerField(allow_null=True, required=False, min_value=0)
    end = serializers.IntegerField(allow_null=True, required=False, min_value=0)
    text = serializers.CharField(allow_null=True, required=False, allow_blank=True, trim_whitespace=False)
    parts = PartsField(
        allow_null=True,
        required=False,
        help_text="Left out: a new start or end moves the first part's start or the last part's end. " + _PARTS_HELP,
    )
    attributes = AttributesField(required=False)


class SuggestionAcceptSerializer(StrictSerializer):
    attributes = AttributesField(
        required=False, help_text="Instead of the suggestion's attributes (the accepted copy then counts as edited)."
    )


class SuggestionDismissedSerializer(serializers.Serializer):
    suggestion = serializers.IntegerField()
    outcome = serializers.CharField(help_text="dismissed")


class SuggestionRunSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="New suggestions stored.")
    kept = serializers.IntegerField(help_text="Proposed again and already stored: left as they were.")
    removed = serializers.IntegerField(help_text="No longer proposed and nobody had decided on them: withdrawn.")
    dropped = serializers.IntegerField(help_text="Candidates that failed the checks every annotation passes.")
    failed = serializers.IntegerField(help_text="Suggesters that raised an error.")
    failures = serializers.ListField(child=serializers.CharField())


class ReviewInputSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class BulkReviewInputSerializer(ReviewInputSerializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=500)


class AdjudicationInputSerializer(StrictSerializer):
    chosen = serializers.IntegerField(min_value=1, help_text="The annotation whose version is approved.")
    copies = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=500,
        help_text="Other authors' identical annotations, approved with it.",
    )
    rivals = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        max_length=500,
        help_text="The rival versions to reject: each must be a rival of the chosen one (docs/reviewing.md).",
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class AdjudicationPreviewQuerySerializer(serializers.Serializer):
    chosen = serializers.IntegerField(min_value=1)


class AdjudicationPlanSerializer(serializers.Serializer):
    """What approving `chosen` would do: the ids to send back as copies and rivals, and what it leaves alone."""

    chosen = serializers.IntegerField(source="chosen.pk")
    copies = serializers.SerializerMethodField()
    rivals = serializers.SerializerMethodField()
    untouched = serializers.SerializerMethodField()

    def get_copies(self, plan) -> list[int]:
        return [a.pk for a in plan.copies]

    def get_rivals(self, plan) -> list[int]:
        return [a.pk for a in plan.rivals]

    def get_untouched(self, plan) -> list[int]:
        return [a.pk for a in plan.untouched]


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


# --- article revisions (contract §9) ------------------------------------------------------------------


class ArticleRevisionSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ArticleRevision
        fields = ["number", "created_at", "author", "note", "content_hash"]
        read_only_fields = fields


class ArticleRevisionDetailSerializer(ArticleRevisionSerializer):
    class Meta(ArticleRevisionSerializer.Meta):
        fields = [*ArticleRevisionSerializer.Meta.fields, "body"]
        read_only_fields = fields


class ArticleRevisionInputSerializer(StrictSerializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False, help_text="The corrected text, whole.")
    note = serializers.CharField(required=False, allow_blank=True, help_text="What was corrected, and why.")
    revision = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The revision you corrected: when the article has another one by now, 409 and nothing changes.",
    )


class ReanchoredSerializer(serializers.Serializer):
    exact = serializers.IntegerField(help_text="Annotations whose text is unchanged (offsets moved).")
    changed = serializers.IntegerField(help_text="Annotations whose text was edited; they need a look.")
    orphaned = serializers.IntegerField(help_text="Annotations whose text is gone: no span any more, never exported.")
    to_review = serializers.IntegerField(help_text="Approved or submitted ones sent back to review.")


class ArticleRevisedSerializer(ArticleRevisionSerializer):
    annotations = ReanchoredSerializer(source="reanchored", read_only=True)

    class Meta(ArticleRevisionSerializer.Meta):
        fields = [*ArticleRevisionSerializer.Meta.fields, "annotations"]
        read_only_fields = fields
