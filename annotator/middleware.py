"""Answers for requests that fail through no fault of their own or of the code: the database out of reach."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError

from annotator.api.exceptions import API_PREFIX, DATABASE_UNAVAILABLE, INCOMPLETE_BODY, service_unavailable


class DatabaseUnavailableMiddleware:
    """A view that fails because the database cannot be reached answers 503 with Retry-After (JSON under /api/,
    a plain page elsewhere) instead of a server error. Django closes the broken connection when the request
    ends (CONN_HEALTH_CHECKS checks a kept one before its next use), so the next request connects afresh and
    the app recovers by itself when the database is back. The API's views are covered by its exception
    handler; this covers the pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return service_unavailable(request, exception)
        if isinstance(exception, UnreadablePostError):  # the client is gone; the answer is for the log
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": INCOMPLETE_BODY}, status=400)
            return HttpResponse(INCOMPLETE_BODY, status=400, content_type="text/plain; charset=utf-8")
        return None
