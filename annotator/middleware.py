"""Answers for requests that fail through no fault of their own or of the code: the database out of reach;
and for requests too large to read at all."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError

from annotator.api.exceptions import API_PREFIX, INCOMPLETE_BODY, service_unavailable
from annotator.database import is_outage


class DatabaseUnavailableMiddleware:
    """A view that fails because the database cannot be reached answers 503 with Retry-After (JSON under /api/,
    a plain page elsewhere) instead of a server error. Django closes the broken connection when the request
    ends (CONN_HEALTH_CHECKS checks a kept one before its next use), so the next request connects afresh and
    the app recovers by itself when the database is back. The API's views are covered by its exception
    handler; this covers the pages. A query the database refused is no outage (`is_outage`): a logged 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_outage(exception):
            return service_unavailable(request, exception)
        if isinstance(exception, UnreadablePostError):  # the client is gone; the answer is for the log
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": INCOMPLETE_BODY}, status=400)
            return HttpResponse(INCOMPLETE_BODY, status=400, content_type="text/plain; charset=utf-8")
        return None


class RequestSizeLimitMiddleware:
    """A body larger than one upload (UPLOAD_MAX_BYTES) and a form's other fields (DATA_UPLOAD_MAX_MEMORY_SIZE)
    is refused with 413 before anything reads it. Django would otherwise write every file it carries to the
    upload spool before any view refused it, for anyone: the CSRF check reads the form of every POST."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.UPLOAD_MAX_BYTES + (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= limit:
            return self.get_response(request)
        message = (
            f"The request is {length:,} bytes, over the limit of {limit:,}: "
            f"a file of at most {settings.UPLOAD_MAX_BYTES:,} bytes and the form around it."
        )
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": message}, status=413)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
