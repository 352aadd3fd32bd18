"""What several API view modules share: the timeline page and the scoping helpers."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.pagination import CursorPage
from cases import concurrency
from cases.models import Case, Membership, Organisation
from cases.organisations import current_membership

User = get_user_model()


class TimelinePage(CursorPage):
    ordering = ("-created_at", "-id")


def _visible_cases(user):
    return Case.objects.visible_to(user)


def _member_user(user_id: int | None):
    """The user an id names, for a service to check membership; unknown ids fail the same way."""
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise ValidationError(
            {"assignee": [_("The assignee must be a member of this organisation.")]}
        )
    return user


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='The ETag you read (e.g. "v3"). If the record was saved since, the answer is '
    "412 with the fields changed meanwhile and the new ETag; without it the change applies.",
)


def expected_version(request) -> int | None:
    """The version the client read, from its If-Match header (the ETag it was sent)."""
    try:
        return concurrency.version_from_if_match(request.headers.get("If-Match"))
    except ValueError:
        raise ValidationError(
            {"If-Match": [_('Send the ETag you were given, e.g. "v3", or no If-Match.')]}
        ) from None


def versioned(data, instance, **kwargs) -> Response:
    """A response carrying the ETag of the row it shows, for a later If-Match."""
    return Response(data, headers={"ETag": concurrency.etag(instance)}, **kwargs)


class ETagRetrieveMixin:
    """GET of one row sends its ETag."""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        return versioned(self.get_serializer(instance).data, instance)


def organisation_to_write(request, organisation_id: int | None) -> Organisation:
    """The organisation a create writes into: the one named (if the user is an active member of
    it) or the user's current one; otherwise a field error, as for any bad input."""
    if organisation_id is not None:
        membership = Membership.objects.filter(
            user=request.user, organisation_id=organisation_id, is_active=True
        ).first()
        if membership is None:
            raise ValidationError(
                {"organisation": [_("You are not a member of this organisation.")]}
            )
        return membership.organisation
    membership = current_membership(request._request)
    if membership is None:
        raise ValidationError({"organisation": [_("You are not a member of any organisation.")]})
    return membership.organisation
