"""Accounts in the API: a token for a username and password, and the staff's list of users."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from annotator.accounts.models import User
from annotator.accounts.services import create_user
from annotator.api import serializers as s
from annotator.api.views import ERROR, ERRORS, IdCursor, validated


class TokenView(APIView):
    """Trade a username and password for a token (send it as `Authorization: Token KEY`)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=s.TokenInputSerializer, responses={200: s.TokenSerializer, 400: ERROR, 429: ERROR})
    def post(self, request):
        # Django's request, not DRF's: django-axes marks a locked-out client on it, and its middleware answers 429.
        user = authenticate(request._request, **validated(s.TokenInputSerializer, request.data))
        if user is None or not user.is_active:
            raise DjangoValidationError("Unable to log in with that username and password.")
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


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
