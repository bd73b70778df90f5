"""What every view of the REST API, /api/v1/, shares: the errors it documents, its cursor pagination and
its checked input. Every read starts from `visible_to(user)`, every write calls a service; the views are
per resource: account_views, project_views, article_views, annotation_views, queue_views, stats_views and
export_views."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

from annotator.values import clean_id

ERROR = inline_serializer("Error", {"detail": serializers.CharField(), "errors": serializers.DictField(required=False)})
ERRORS = {
    400: OpenApiResponse(ERROR, description="Bad input: `detail` says what, `errors` which field."),
    401: OpenApiResponse(ERROR, description="Not logged in."),
    403: OpenApiResponse(ERROR, description="Your role may not do this."),
    404: OpenApiResponse(ERROR, description="Not found, or not yours to see."),
}
FORGED_CURSOR = "is not a cursor of this list; follow the `next` and `previous` links as they are"
KEY_REUSED = {
    422: OpenApiResponse(ERROR, description="The Idempotency-Key was sent before with another path or body."),
}


class IdCursor(CursorPagination):
    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        """A page_size that is not a whole number from 1 up is bad input (DRF alone would ignore it)."""
        value = request.query_params.get(self.page_size_query_param)
        if value is not None and not (value.isascii() and value.isdigit() and int(value) > 0):
            message = f"must be a whole number from 1 up (pages hold at most {self.max_page_size}), not {value!r}"
            raise DjangoValidationError({"page_size": message})
        return super().get_page_size(request)

    def decode_cursor(self, request):
        """A cursor we did not hand out is bad input (400), not a missing page; its position is an id."""
        try:
            cursor = super().decode_cursor(request)
            if cursor is not None and cursor.position is not None:
                clean_id(cursor.position, "cursor")
        except (NotFound, DjangoValidationError):
            raise DjangoValidationError({"cursor": FORGED_CURSOR}) from None
        return cursor


ARTICLE_ANNOTATIONS_CAP = 2_000


class WholeArticleCursor(IdCursor):
    """An article's annotations come whole, in one page, unless the article has more than
    ARTICLE_ANNOTATIONS_CAP (then `next` links the rest), as doccano and Label Studio give them: a client
    wants the whole article, and pages of 50 made it ask 2 to 6 times. `page_size` and `cursor` page them
    as any list."""

    page_size = ARTICLE_ANNOTATIONS_CAP
    max_page_size = ARTICLE_ANNOTATIONS_CAP


def validated(serializer_class: type[serializers.Serializer], data, **kwargs) -> dict:
    """The data as the serializer accepts it; refused, a 400 naming the fields."""
    checked = serializer_class(data=data, **kwargs)
    checked.is_valid(raise_exception=True)
    return checked.validated_data
