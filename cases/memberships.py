"""Members of an organisation: add, change, deactivate (organisation admins).

Every change of a membership writes exactly one audit row, here: the members page, the API and
the Django admin all come through these functions.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from cases import permissions
from cases.models import Membership, Organisation
from cases.services import record_author

MEMBERSHIP_FLAGS = ("can_reveal_identifiers", "can_view_trafficking", "can_export_identifiers")
# What a membership change records (old and new value of each).
_AUDITED_MEMBERSHIP_FIELDS = ("role", "is_active", *MEMBERSHIP_FLAGS)


@transaction.atomic
def add_member(
    *,
    organisation: Organisation,
    by: User,
    role: str = Membership.Role.CASEWORKER,
    existing_user: User | None = None,
    new_username: str = "",
    new_email: str = "",
    new_password: str = "",
) -> Membership:
    """Add an existing user, or a newly created one, to the organisation (or reactivate them)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    permissions.require(by, organisation, permissions.Action.MANAGE_MEMBERS)
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    user_model = get_user_model()
    user = existing_user
    if user is None:
        if user_model.objects.filter(username__iexact=new_username).exists():
            raise ValidationError({"new_username": _("This username is taken.")})
        user = user_model(username=new_username, email=new_email)
        try:
            validate_password(new_password, user)
        except ValidationError as exc:
            raise ValidationError({"new_password": exc.messages}) from exc
        user.set_password(new_password)
        user.full_clean(exclude=["password"])
        user.save()
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    if not created:
        membership.role, membership.is_active = role, True
        record_author(membership, by)
        membership.save(update_fields=["role", "is_active"])
    _audit_membership_added(membership, by=by, new_user=existing_user is None)
    return membership


@transaction.atomic
def update_membership(
    *,
    membership: Membership,
    by: User,
    role: str | None = None,
    is_active: bool | None = None,
    **flags: bool,
) -> Membership:
    """Change a member's role, deactivate/reactivate them, or toggle field-level permissions."""
    permissions.require(by, membership.organisation, permissions.Action.MANAGE_MEMBERS)
    unknown = set(flags) - set(MEMBERSHIP_FLAGS)
    if unknown:
        raise ValueError(f"not membership flags: {sorted(unknown)}")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role is not None and role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    new_role = membership.role if role is None else role
    new_active = membership.is_active if is_active is None else is_active
    losing_admin = membership.role == Membership.Role.ADMIN and (
        new_role != Membership.Role.ADMIN or not new_active
    )
    if losing_admin:
        other_admins = (
            Membership.objects.filter(
                organisation=membership.organisation, role=Membership.Role.ADMIN, is_active=True
            )
            .exclude(pk=membership.pk)
            .exists()
        )
        if not other_admins:
            raise ValidationError(
                {"role": _("An organisation needs at least one active organisation admin.")}
            )
    old = Membership(**{name: getattr(membership, name) for name in _AUDITED_MEMBERSHIP_FIELDS})
    changed = []
    for name, value in (("role", new_role), ("is_active", new_active), *flags.items()):
        if getattr(membership, name) != value:
            changed.append(name)
            setattr(membership, name, value)
    if changed:
        record_author(membership, by)
        membership.save(update_fields=changed)
        _membership_changed(old, membership, by=by)
    return membership


@transaction.atomic
def save_membership_in_admin(*, membership: Membership, by: User) -> Membership:
    """A platform admin's edit in the Django admin (its own permissions apply there): saved
    as given, then audited and its sessions ended like an organisation admin's change."""
    old = Membership.objects.filter(pk=membership.pk).first() if membership.pk else None
    record_author(membership, by)
    membership.save()
    if old is None:
        _audit_membership_added(membership, by=by, new_user=False)
    else:
        _membership_changed(old, membership, by=by)
    return membership


def _audit_membership_added(membership: Membership, *, by: User, new_user: bool) -> None:
    from audit import services as audit
    from audit.actions import Action

    audit.record(
        actor=by,
        action=Action.MEMBERSHIP_ADD,
        organisation=membership.organisation,
        obj=membership,
        detail={"user_id": membership.user_id, "role": membership.role, "new_user": new_user},
    )


def _membership_changed(old: Membership, membership: Membership, *, by: User) -> None:
    """One audit row naming each changed field (old, new); a deactivated member's sessions end."""
    from accounts import sessions
    from audit import services as audit
    from audit.actions import Action

    changes = {
        name: [getattr(old, name), getattr(membership, name)]
        for name in _AUDITED_MEMBERSHIP_FIELDS
        if getattr(old, name) != getattr(membership, name)
    }
    if not changes:
        return
    if old.is_active and not membership.is_active:
        sessions.revoke_all(membership.user)
    audit.record(
        actor=by,
        action=Action.MEMBERSHIP_UPDATE,
        organisation=membership.organisation,
        obj=membership,
        detail={"user_id": membership.user_id, "changes": changes},
    )
