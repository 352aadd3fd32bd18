"""An organisation's members as plain values, cached under a version key.

The case list's assignee filter, the case page's assignee select and the feed's "assigned to"
names all need every member's id and name. They are read once per organisation and kept in the
cache; any change of a membership or of a user's name starts a new version, so the next read
builds the list afresh (a shared cache, Redis in production, makes that true for every process;
the timeout bounds how long a process-local cache can lag behind another process's change).

Stale names are only ever a display matter: assigning validates the assignee in the database.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from accounts.models import User
from cases.models import Membership

CACHE_SECONDS = 10 * 60


@dataclass(frozen=True)
class Member:
    user_id: int
    username: str
    name: str  # User.get_full_name() or the username, as the pages show a person
    is_active: bool  # an active membership (a former member still names past events)


def _version_key(organisation_id: int) -> str:
    return f"members:version:{organisation_id}"


def version(organisation_id: int) -> str:
    """The organisation's members version: part of every cache key built from its members."""
    key = _version_key(organisation_id)
    current = cache.get(key)
    if current is None:
        cache.add(key, uuid.uuid4().hex, None)
        current = cache.get(key) or ""
    return current


def forget(organisation_ids) -> None:
    """Start a new members version for these organisations (their cached lists go unused)."""
    cache.delete_many([_version_key(pk) for pk in organisation_ids])


def members(organisation_id: int) -> list[Member]:
    """Every member, active or not, ordered by username (one query when not cached)."""
    key = f"members:{organisation_id}:{version(organisation_id)}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    rows = (
        Membership.objects.filter(organisation_id=organisation_id)
        .order_by("user__username", "user_id")
        .values_list(
            "user_id", "user__username", "user__first_name", "user__last_name", "is_active"
        )
    )
    result = [
        Member(user_id, username, f"{first} {last}".strip() or username, active)
        for user_id, username, first, last, active in rows
    ]
    cache.set(key, result, CACHE_SECONDS)
    return result


def active_members(organisation_id: int) -> list[Member]:
    return [member for member in members(organisation_id) if member.is_active]


def _membership_changed(sender, instance: Membership, **kwargs) -> None:
    forget([instance.organisation_id])


NAME_FIELDS = frozenset({"username", "first_name", "last_name"})


def _user_changed(sender, instance: User, created: bool = False, update_fields=None, **kwargs):
    if created or (update_fields is not None and not NAME_FIELDS & set(update_fields)):
        return  # a new user belongs to no organisation yet; a sign-in saves only last_login
    organisation_ids = Membership.objects.filter(user_id=instance.pk).values_list(
        "organisation_id", flat=True
    )
    forget(list(organisation_ids))


def connect() -> None:
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="members-membership")
    post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="members-membership")
    post_save.connect(_user_changed, sender=User, dispatch_uid="members-user")
