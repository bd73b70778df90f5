"""The `Idempotency-Key` header on the API's create endpoints: `@idempotent` on a viewset action hands the
request to annotator.idempotency, which answers a copy of it as the first time and stores nothing new."""

from __future__ import annotations

import functools

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request, is_form_media_type
from rest_framework.response import Response

from annotator.idempotency.models import KEY_MAX_LENGTH
from annotator.idempotency.services import HEADER, KEY_PATTERN, Answer, KeyReused, answer_once, clean_key, fingerprint

REPLAYED_HEADERS = ("ETag", "Location")
REPLAY_MARK = "Idempotent-Replayed"

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    {"type": "string", "minLength": 1, "maxLength": KEY_MAX_LENGTH, "pattern": KEY_PATTERN},
    OpenApiParameter.HEADER,
    description="Any string of your own (1–255 visible ASCII characters, e.g. a UUID) naming this request. "
    "Sent again with the same key, the request is answered as the first time (same status, body and ETag, "
    f"with `{REPLAY_MARK}: true`) and stores nothing new, also when the copies arrive together. The same key "
    "with another path or body is refused (422). Error answers are not kept: after one, the key may be sent "
    "again. Keys are kept for 24 hours (`IDEMPOTENCY_KEY_HOURS`).",
)


def _body_parts(request: Request):
    """The body as it identifies the request: the bytes as sent, or for a file upload each field and file
    (a client's multipart boundary changes from one try to the next)."""
    if not is_form_media_type(request.content_type):
        yield request.body
        return
    data = request.data
    for name in sorted(data):
        for value in data.getlist(name):
            yield name.encode()
            if hasattr(value, "chunks"):
                yield f"file {value.name}".encode()
                yield from value.chunks()
                value.seek(0)
            else:
                yield str(value).encode()


def idempotent(action):
    """Honour an Idempotency-Key header on the action's POST (see IDEMPOTENCY_KEY)."""

    @functools.wraps(action)
    def wrapper(view, request: Request, *args, **kwargs):
        if request.method != "POST" or HEADER not in request.headers:
            return action(view, request, *args, **kwargs)
        key = clean_key(request.headers[HEADER])
        request_line = f"POST {request.get_full_path()}"
        first: Response | None = None

        def run() -> Answer:
            nonlocal first
            first = action(view, request, *args, **kwargs)
            body = b"" if first.data is None else JSONRenderer().render(first.data)
            headers = {name: first[name] for name in REPLAYED_HEADERS if first.has_header(name)}
            return Answer(first.status_code, body, headers)

        try:
            answer = answer_once(
                user=request.user,
                key=key,
                request_line=request_line,
                fingerprint=fingerprint(request_line, _body_parts(request)),
                run=run,
            )
        except KeyReused as exc:
            return Response({"detail": str(exc), "errors": {HEADER: [str(exc)]}}, status=422)
        if not answer.replayed:
            return first
        response = HttpResponse(answer.body, status=answer.status, content_type="application/json")
        for name, value in answer.headers.items():
            response[name] = value
        response[REPLAY_MARK] = "true"
        return response

    return wrapper
