"""A project's figures in the API: its counts and its agreement, as the dashboard shows them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.annotations.models import Status
from annotator.api.views import ERRORS
from annotator.reports.access import figures_project
from annotator.reports.agreement import project_agreement
from annotator.reports.stats import project_stats
from annotator.suggestions.figures import suggestion_figures

RATIO = {"allow_null": True, "read_only": True}


class StateCountSerializer(serializers.Serializer):
    state = serializers.CharField(help_text="not_started, in_progress, submitted or reviewed")
    label = serializers.CharField()
    articles = serializers.IntegerField()


# A kind and its count of each status, as stats.KindStatusCount holds them: a new status is counted here too.
KindStatusCountSerializer = type(
    "KindStatusCountSerializer",
    (serializers.Serializer,),
    {"kind": serializers.CharField(), **{status: serializers.IntegerField() for status in Status.values}},
)


class AnnotatorThroughputSerializer(serializers.Serializer):
    annotator = serializers.CharField()
    submitted = serializers.IntegerField(help_text="Handed in: submitted, approved or rejected.")
    waiting = serializers.IntegerField()
    approved = serializers.IntegerField()
    rejected = serializers.IntegerField()
    drafts = serializers.IntegerField()
    rejection_rate = serializers.FloatField(**RATIO, help_text="rejected ÷ (approved + rejected)")
    active_days = serializers.IntegerField()
    per_active_day = serializers.FloatField(**RATIO)
    first_day = serializers.DateField(allow_null=True)
    last_day = serializers.DateField(allow_null=True)


class DayCountSerializer(serializers.Serializer):
    day = serializers.DateField()
    annotations = serializers.IntegerField()


class AnnotatorDayCountSerializer(DayCountSerializer):
    annotator = serializers.CharField()


class ProjectStatsSerializer(serializers.Serializer):
    revision = serializers.IntegerField(help_text="The project's revision the figures were computed at.")
    computed_at = serializers.DateTimeField()
    articles = serializers.IntegerField()
    annotators_per_article = serializers.IntegerField()
    progress = StateCountSerializer(many=True)
    by_kind = KindStatusCountSerializer(many=True)
    per_annotator = AnnotatorThroughputSerializer(many=True)
    per_day = DayCountSerializer(many=True)
    per_annotator_day = AnnotatorDayCountSerializer(many=True)


class PairAgreementSerializer(serializers.Serializer):
    annotator_a = serializers.CharField()
    annotator_b = serializers.CharField()
    articles = serializers.IntegerField()
    spans_a = serializers.IntegerField()
    spans_b = serializers.IntegerField()
    matches_exact = serializers.IntegerField()
    matches_overlap = serializers.IntegerField()
    f1_exact = serializers.FloatField(**RATIO)
    f1_overlap = serializers.FloatField(**RATIO)


class LabelAlphaSerializer(serializers.Serializer):
    label = serializers.CharField()
    alpha = serializers.FloatField(**RATIO, help_text="Krippendorff's alpha, nominal; null when undefined.")
    units = serializers.IntegerField(help_text="Units with two or more values.")
    values = serializers.IntegerField(help_text="Distinct values in those units.")


class KindAgreementSerializer(serializers.Serializer):
    kind = serializers.CharField()
    articles = serializers.IntegerField()
    spans = serializers.IntegerField()
    f1_exact = serializers.FloatField(**RATIO, help_text="Mean over pairs of annotators.")
    f1_overlap = serializers.FloatField(**RATIO, help_text="Mean over pairs of annotators.")
    alphas = LabelAlphaSerializer(many=True)
    pairs = PairAgreementSerializer(many=True)


class AnnotatorAgreementSerializer(serializers.Serializer):
    annotator = serializers.CharField()
    kind = serializers.CharField()
    articles = serializers.IntegerField(help_text="Articles shared with another annotator.")
    f1_exact = serializers.FloatField(**RATIO)
    f1_overlap = serializers.FloatField(**RATIO)
    gold_articles = serializers.IntegerField(help_text="Articles with approved annotations of other people.")
    f1_exact_gold = serializers.FloatField(**RATIO)
    f1_overlap_gold = serializers.FloatField(**RATIO)


class ProjectAgreementSerializer(serializers.Serializer):
    revision = serializers.IntegerField(help_text="The project's revision the figures were computed at.")
    computed_at = serializers.DateTimeField()
    articles = serializers.IntegerField(help_text="Articles submitted by two or more annotators.")
    annotators = serializers.IntegerField()
    kinds = KindAgreementSerializer(many=True)
    per_annotator = AnnotatorAgreementSerializer(many=True)


class SuggesterFiguresSerializer(serializers.Serializer):
    suggester = serializers.CharField()
    suggested = serializers.IntegerField(help_text="Pending suggestions stored.")
    undecided = serializers.IntegerField(help_text="Of those, the ones nobody has accepted or dismissed.")
    accepted_unchanged = serializers.IntegerField(help_text="Accepted, the copy still as suggested.")
    accepted_edited = serializers.IntegerField(help_text="Accepted, then the span or attributes changed.")
    accepted_deleted = serializers.IntegerField(help_text="Accepted, then the copy deleted.")
    dismissed = serializers.IntegerField()
    precision = serializers.FloatField(**RATIO, help_text="accepted ÷ decided; null before any decision.")


class ProjectStatsView(APIView):
    """Progress of the articles, annotations per kind and status, throughput per annotator and per day."""

    @extend_schema(responses={200: ProjectStatsSerializer, **ERRORS})
    def get(self, request, slug: str):
        return Response(ProjectStatsSerializer(project_stats(figures_project(request.user, slug))).data)


class ProjectAgreementView(APIView):
    """Agreement per kind: pairwise span F1 (exact and overlap) and Krippendorff's alpha on the labels."""

    @extend_schema(responses={200: ProjectAgreementSerializer, **ERRORS})
    def get(self, request, slug: str):
        return Response(ProjectAgreementSerializer(project_agreement(figures_project(request.user, slug))).data)


class ProjectSuggestionsView(APIView):
    """Per suggester: how its suggestions were received (each member's decision counts once), with the
    precision estimate accepted ÷ (accepted + dismissed), a copy deleted after accepting counted as dismissed."""

    @extend_schema(responses={200: SuggesterFiguresSerializer(many=True), **ERRORS})
    def get(self, request, slug: str):
        return Response(
            SuggesterFiguresSerializer(suggestion_figures(figures_project(request.user, slug)), many=True).data
        )
