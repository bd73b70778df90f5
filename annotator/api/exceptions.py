"""One exception handler: every error of the API is JSON with a message a person can act on."""

from __future__ import annotations

import logging
import sys

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, JsonResponse, UnreadablePostError
from django.template import loader
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from annotator.annotations.services import Conflict, ItemErrors, StaleVersion
from annotator.database import is_outage

API_PREFIX = "/api/"
NOT_FOUND = "Not found, or not yours to see."
RETRY_AFTER_SECONDS = 5
UNAVAILABLE = f"The database is not available at the moment; try again in {RETRY_AFTER_SECONDS} seconds."
UNAVAILABLE_HEADERS = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
INCOMPLETE_BODY = "The request body ended before the length announced in Content-Length; nothing was done."

logger = logging.getLogger(__name__)


def not_found(request, exception=None):
    """An address under /api/ that names no endpoint is a JSON 404 like every other API error."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": NOT_FOUND}, status=404)
    return defaults.page_not_found(request, exception)


def service_unavailable(request, exception: Exception) -> HttpResponse:
    """503 with Retry-After while the database is out of reach: JSON under /api/, a plain page elsewhere
    (rendered without the request: its user and session live in the database)."""
    logger.warning("database unavailable for %s %s: %s", request.method, request.path, str(exception).strip())
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": UNAVAILABLE}, status=503, headers=UNAVAILABLE_HEADERS)
    return HttpResponse(loader.render_to_string("503.html"), status=503, headers=UNAVAILABLE_HEADERS)


def server_error(request):
    """A crash under /api/ still answers JSON, so that clients can read it as they read any error; a crash
    because the database went away (in a middleware, where no view caught it) is a 503 like any other."""
    exception = sys.exc_info()[1]  # Django calls this handler while it handles the exception
    if is_outage(exception):
        return service_unavailable(request, exception)
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Server error: the failure is logged; please report it."}, status=500)
    return defaults.server_error(request)


def _messages(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"non_field_errors": error.messages}


def exception_handler(exc, context):
    """Django's ValidationError → 400 with the messages the forms show; Conflict → 409 with the current state;
    the database out of reach → 503 with Retry-After; a body cut short by its client → 400. A query the database
    refused is no outage: it goes on to Django, which logs it with its traceback and answers 500."""
    if is_outage(exc):
        request = context["request"]
        logger.warning("database unavailable for %s %s: %s", request.method, request.path, str(exc).strip())
        return Response({"detail": UNAVAILABLE}, status=503, headers=UNAVAILABLE_HEADERS)
    if isinstance(exc, UnreadablePostError):
        return Response({"detail": f"{INCOMPLETE_BODY} ({exc})"}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ItemErrors):
        errors = {str(index): messages for index, messages in exc.item_errors.items()}
        return Response(
            {"detail": f"{len(errors)} item(s) refused; nothing was stored.", "errors": errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoValidationError):
        errors = _messages(exc)
        first = next(iter(errors.items()))
        detail = f"{first[0]}: {first[1][0]}" if first[0] != "non_field_errors" else first[1][0]
        return Response({"detail": detail, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Conflict):
        body = {"detail": str(exc)}
        if exc.current is not None:
            from annotator.api.serializers import AnnotationSerializer

            body["current"] = AnnotationSerializer(exc.current).data
        code = status.HTTP_412_PRECONDITION_FAILED if isinstance(exc, StaleVersion) else status.HTTP_409_CONFLICT
        response = Response(body, status=code)
        if exc.current is not None:
            response["ETag"] = f'"{exc.current.version}"'
        return response
    if isinstance(exc, (RequestDataTooBig, TooManyFieldsSent)):
        return Response({"detail": f"The request is too large: {exc}"}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" not in response.data:
        errors = response.data
        first = next(iter(errors.items()), ("", [""]))
        message = first[1][0] if isinstance(first[1], list) and first[1] else first[1]
        response.data = {"detail": f"{first[0]}: {message}", "errors": errors}
    elif response is not None and isinstance(response.data, list):
        response.data = {"detail": "; ".join(map(str, response.data)), "errors": {"non_field_errors": response.data}}
    return response
