"""What several API view modules share: the timeline page and the scoping helpers."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from api.pagination import CursorPage
from cases.models import (
    Case,
)

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
