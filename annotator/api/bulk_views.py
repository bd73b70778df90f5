"""Bulk actions in the API: my recent ones (accept all, approve all, adjudication), and undoing one."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # a malformed id is a 404, as in every viewset
from rest_framework.response import Response

from annotator.annotations.models import BulkAction
from annotator.annotations.services import RESTORE_WINDOW
from annotator.annotations.undo import undo_bulk_action
from annotator.api.views import ERRORS


class BulkActionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="accept_all, approve_remaining or adjudicate")
    article = serializers.IntegerField(source="article_id")
    annotations = serializers.SerializerMethodField(help_text="The annotations it changed.")
    undo_until = serializers.SerializerMethodField(help_text="Until when its actor may undo it.")

    class Meta:
        model = BulkAction
        fields = ["id", "kind", "article", "at", "undone_at", "annotations", "undo_until"]

    def get_annotations(self, action: BulkAction) -> list[int]:
        return [entry["annotation"] for entry in action.entries]

    def get_undo_until(self, action: BulkAction) -> str:
        return serializers.DateTimeField().to_representation(action.at + RESTORE_WINDOW)


@extend_schema_view(list=extend_schema(responses={200: BulkActionSerializer(many=True), **ERRORS}))
class BulkActionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The bulk actions I did in the last five minutes, newest first: those I may still undo (docs/reviewing.md)."""

    serializer_class = BulkActionSerializer
    queryset = BulkAction.objects.none()  # for the schema: get_queryset is the user's own

    def get_queryset(self):
        recent = BulkAction.objects.filter(actor=self.request.user, at__gte=timezone.now() - RESTORE_WINDOW)
        return recent.order_by("-id")

    @extend_schema(request=None, responses={200: BulkActionSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        """Undo it: every annotation it changed back as it was, or nothing (409) if one changed since."""
        action = get_object_or_404(BulkAction.objects.filter(actor=request.user), pk=pk)
        undone = undo_bulk_action(actor=request.user, action=action)
        return Response(BulkActionSerializer(undone).data)
