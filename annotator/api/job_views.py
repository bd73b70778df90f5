"""Jobs in the API: a job's state and progress, its cancel, an export's file; a project's recent jobs; and the
answer every endpoint that starts one gives (202 with Location)."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.export_views import EXPORT_FILES, AnyAccepted
from annotator.api.serializers import StrictSerializer
from annotator.api.views import ERROR, ERRORS, IdCursor, validated
from annotator.articles.models import Project
from annotator.exports.jobs import ExportGone, export_file, start_export
from annotator.exports.services import DEFAULT_STATUS, FORMATS, STATUSES
from annotator.jobs.models import Job
from annotator.jobs.services import cancel
from annotator.suggestions.jobs import start_project_suggestions


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField(allow_null=True, help_text="Null until the job knows how much there is.")


class JobSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "state",
            "progress",
            "result",
            "error",
            "cancel_requested",
            "project",
            "created_at",
            "started_at",
            "finished_at",
        ]

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, job: Job) -> dict:
        return {"done": job.done, "total": job.total}


def job_url(job: Job) -> str:
    return f"/api/v1/jobs/{job.pk}/"


def accepted(job: Job) -> Response:
    """The answer of an endpoint that started a job: 202, the job, and where to follow it."""
    return Response(JobSerializer(job).data, status=202, headers={"Location": job_url(job)})


ACCEPTED = {202: OpenApiResponse(JobSerializer, description="A job was started; follow it at `Location`.")}
GONE = {410: OpenApiResponse(ERROR, description="The export's file was deleted after its retention period.")}


class Gone(APIException):
    status_code = 410
    default_detail = "The file is gone."


class RecentFirst(IdCursor):
    """A project's jobs, most recent first."""

    ordering = "-id"
    page_size = 20


@extend_schema_view(
    retrieve=extend_schema(
        responses={200: JobSerializer, **ERRORS},
        description="A job's state (queued, running, succeeded, failed, cancelled), progress, result and error. "
        "Members of the job's project see it; anyone else gets 404.",
    )
)
class JobViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = JobSerializer

    def get_queryset(self):
        return Job.objects.visible_to(self.request.user).select_related("project").defer("params")

    @extend_schema(
        request=None,
        responses={200: JobSerializer, **ERRORS},
        description="Cancel the job (the person who started it, or a project admin): a queued job at once, a "
        "running one at its next batch boundary, keeping what it committed. A job that is over answers 400.",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return Response(JobSerializer(cancel(actor=request.user, job=self.get_object())).data)

    @extend_schema(
        responses={**EXPORT_FILES, **ERRORS, **GONE},
        description="The file of a finished export, for the project's reviewers and admins (as the streamed export).",
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, AnyAccepted])
    def download(self, request, pk=None):
        try:
            path, result = export_file(actor=request.user, job=self.get_object())
        except ExportGone as exc:
            raise Gone(str(exc)) from None
        response = FileResponse(
            path.open("rb"), as_attachment=True, filename=result["filename"], content_type=result["content_type"]
        )
        response["Cache-Control"] = "private, no-store"
        return response


def _project(request, slug: str) -> Project:
    return get_object_or_404(Project.objects.visible_to(request.user), slug=slug)


@extend_schema_view(
    get=extend_schema(
        responses={200: JobSerializer(many=True), **ERRORS},
        description="The project's jobs, most recent first (members).",
    )
)
class ProjectJobsView(generics.ListAPIView):
    serializer_class = JobSerializer
    pagination_class = RecentFirst

    def get_queryset(self):
        project = _project(self.request, self.kwargs["slug"])
        return Job.objects.filter(project=project).select_related("project").defer("params")


class ExportInputSerializer(StrictSerializer):
    format = serializers.ChoiceField(choices=list(FORMATS))
    status = serializers.ChoiceField(choices=list(STATUSES), default=DEFAULT_STATUS)
    kind = serializers.ListField(child=serializers.CharField(), required=False)
    since = serializers.CharField(required=False)
    until = serializers.CharField(required=False)


class ProjectExportsView(APIView):
    @extend_schema(
        request=ExportInputSerializer,
        responses={**ACCEPTED, **ERRORS},
        description="Reviewers and admins export the project to a file, as a job; its `result.url` downloads the "
        "file when it is done (kept EXPORT_RETENTION_HOURS). The streamed GET …/export/ gives the same bytes.",
    )
    def post(self, request, slug: str):
        project = _project(request, slug)
        fields = validated(ExportInputSerializer, request.data)
        fields["kinds"] = fields.pop("kind", None)
        return accepted(start_export(actor=request.user, project=project, **fields))


class ProjectSuggestView(APIView):
    @extend_schema(
        request=None,
        responses={**ACCEPTED, **ERRORS},
        description="Reviewers and admins run the suggesters again over every article of the project, as a job: "
        "new proposals are added, those no longer proposed that nobody decided on are withdrawn.",
    )
    def post(self, request, slug: str):
        return accepted(start_project_suggestions(actor=request.user, project=_project(request, slug)))
