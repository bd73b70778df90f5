"""Dataset exports in the API: the same stream as the command and the export page."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from annotator.annotations.kinds import Kind
from annotator.api.views import ERRORS
from annotator.articles.models import Project
from annotator.exports.responses import export_response
from annotator.exports.services import DEFAULT_STATUS, FORMATS, STATUSES, export_dataset


class AnyAccepted(JSONRenderer):
    """Lets a client that asks for text/csv or application/ld+json through; errors still come as JSON."""

    media_type = "*/*"


# What an export answers with, by format: streamed here, a file from a finished export job (job_views).
EXPORT_FILES = {
    (200, "application/jsonl"): OpenApiResponse(OpenApiTypes.BINARY, description="format=jsonl."),
    (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="format=csv."),
    (200, "text/plain"): OpenApiResponse(OpenApiTypes.BINARY, description="format=conll."),
    (200, "application/ld+json"): OpenApiResponse(OpenApiTypes.OBJECT, description="format=w3c or claimreview."),
    (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="format=brat."),
}


class ExportView(APIView):
    """Stream the project's annotations as a dataset (reviewers and admins)."""

    renderer_classes = [JSONRenderer, AnyAccepted]

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=list(FORMATS), required=True),
            OpenApiParameter("status", str, enum=list(STATUSES), description=f"Default: {DEFAULT_STATUS}."),
            OpenApiParameter("kind", str, many=True, enum=Kind.values),
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="Annotations changed at or after."),
            OpenApiParameter("until", OpenApiTypes.DATETIME, description="Annotations changed before."),
        ],
        responses={**EXPORT_FILES, **ERRORS},
    )
    def get(self, request, slug: str):
        project = get_object_or_404(Project.objects.visible_to(request.user), slug=slug)
        params = request.query_params
        export = export_dataset(
            project=project,
            format=params.get("format", ""),
            status=params.get("status") or DEFAULT_STATUS,
            kinds=params.getlist("kind"),
            since=params.get("since"),
            until=params.get("until"),
            actor=request.user,
        )
        return export_response(export)
