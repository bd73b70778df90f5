"""An export as an HTTP response: streamed, named, its counts in the headers (the page and the API)."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

from annotator.exports.services import DatasetExport, count_headers


def export_response(export: DatasetExport) -> StreamingHttpResponse:
    response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=export.filename)
    response["Cache-Control"] = "private, no-store"
    for name, value in count_headers(export.counts).items():
        response[name] = value
    return response
