"""Tokens and the current user."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.models import ApiToken
from api.serializers.accounts import (
    ApiTokenSerializer,
    MeSerializer,
    TokenIssuedSerializer,
    TokenObtainSerializer,
)
from api.throttling import TokenObtainThrottle
from api.tokens import second_factor_error
from cases.models import (
    Membership,
)


class TokenObtainView(APIView):
    """Exchange a username, password and (when the user has 2FA) a one-time code for an
    integration token (shown once)."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [TokenObtainThrottle]

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenObtainSerializer,
        responses={201: TokenIssuedSerializer},
        tags=["auth"],
    )
    def post(self, request):
        form = TokenObtainSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=form.validated_data["username"],
            password=form.validated_data["password"],
        )
        if user is None:
            raise ValidationError({"non_field_errors": [_("Wrong username or password.")]})
        refusal = second_factor_error(user, form.validated_data["otp_code"])
        if refusal is not None:
            raise ValidationError({"otp_code": [refusal]})
        token, raw = ApiToken.issue(user=user, name=form.validated_data["name"])
        token.token = raw
        return Response(TokenIssuedSerializer(token).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["auth"])
@extend_schema_view(
    list=extend_schema(operation_id="auth_tokens_list", description="Your tokens."),
    destroy=extend_schema(operation_id="auth_tokens_revoke", description="Revoke a token."),
)
class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()  # for the schema; get_queryset scopes to the owner
    filter_backends = []

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user)

    def perform_destroy(self, instance):
        if instance.revoked_at is None:
            instance.revoked_at = timezone.now()
            instance.save(update_fields=["revoked_at"])


class MeView(APIView):
    @extend_schema(operation_id="me", responses=MeSerializer, tags=["auth"])
    def get(self, request):
        user = request.user
        memberships = Membership.objects.filter(user=user, is_active=True).select_related(
            "organisation"
        )
        body = {
            "id": user.pk,
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "language": user.language,
            "memberships": memberships,
        }
        return Response(MeSerializer(body).data)
