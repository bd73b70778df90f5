"""Accounts in the API: a token for a username and password, and the staff's list of users."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from annotator.accounts.models import User
from annotator.accounts.services import create_token, create_user, revoke_token
from annotator.api import serializers as s
from annotator.api.views import ERROR, ERRORS, IdCursor, validated


class TokenView(APIView):
    """Trade a username and password for a token (send it as `Authorization: Token KEY`), or revoke yours."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    def get_authenticators(self):
        # Logging in takes no credentials, so that a stale token or a session without CSRF cannot stand in its way;
        # revoking takes the token (or session) it revokes.
        if getattr(self, "request", None) is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(request=s.TokenInputSerializer, responses={200: s.TokenSerializer, 400: ERROR, 429: ERROR})
    def post(self, request):
        # Django's request, not DRF's: django-axes marks a locked-out client on it, and its middleware answers 429.
        user = authenticate(request._request, **validated(s.TokenInputSerializer, request.data))
        if user is None or not user.is_active:
            raise DjangoValidationError("Unable to log in with that username and password.")
        if user.must_change_password:
            raise DjangoValidationError(
                "This account's password was made up for you: log in on the site and choose your own first."
            )
        token = Token.objects.filter(user=user).first() or create_token(user=user)
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: None, **ERRORS})
    def delete(self, request):
        """Revoke my token: requests made with it are refused from now on (a new login makes another)."""
        revoke_token(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(list=extend_schema(responses={200: s.UserSerializer(many=True), **ERRORS}))
class UserViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Staff list and create accounts."""

    serializer_class = s.UserSerializer
    permission_classes = [IsAdminUser]
    pagination_class = IdCursor
    queryset = User.objects.order_by("id")

    @extend_schema(responses={201: s.UserSerializer, **ERRORS})
    def create(self, request):
        user = create_user(actor=request.user, **validated(s.UserSerializer, request.data))
        return Response(s.UserSerializer(user).data, status=status.HTTP_201_CREATED)
