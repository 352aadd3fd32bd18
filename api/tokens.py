"""Who may hold an API token: the second factor at issue time, and revocation when the user's
credentials or standing change (password, deactivation, membership removal, a new second
factor).

A token acts as its user with the user's current memberships, read on every request, so it can
never do more than the role does now; revocation makes sure it does nothing once the person
behind it changed their password or left.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import match_token

from accounts import mfa
from api.models import ApiToken
from cases.models import Membership
from cases.organisations import memberships, organisation_requires_mfa


def second_factor_error(user, code: str) -> str | None:
    """Why `user` may not get a token with this one-time `code`, or None when they may.

    The same rule as the web sign-in: required by role or organisation, or turned on by the
    user. A recovery code counts (it is used up, as on the web).
    """
    required = mfa.mfa_required(
        user, by_organisation=organisation_requires_mfa(list(memberships(user)))
    )
    has_device = mfa.has_device(user)
    if not (required or has_device):
        return None
    if not has_device:
        return _("Set up two-factor authentication in the web app before asking for a token.")
    if not code or match_token(user, code.strip().replace(" ", "")) is None:
        return _("A valid two-factor code (otp_code) is required.")
    return None


def revoke_all(user_id: int) -> int:
    return ApiToken.objects.filter(user_id=user_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@receiver(pre_save, sender=get_user_model(), dispatch_uid="api_tokens_on_user_change")
def _on_user_change(sender, instance, **kwargs):
    if instance.pk is None:
        return
    stored = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if stored is None:
        return
    password_changed = stored["password"] != instance.password
    deactivated = stored["is_active"] and not instance.is_active
    if password_changed or deactivated:
        revoke_all(instance.pk)


@receiver(mfa.enrolled, dispatch_uid="api_tokens_on_mfa_enrolment")
def _on_mfa_enrolled(sender, user, **kwargs):
    # Tokens issued before the second factor existed were issued on the password alone.
    revoke_all(user.pk)


@receiver(post_save, sender=Membership, dispatch_uid="api_tokens_on_membership_end")
def _on_membership_saved(sender, instance, created, **kwargs):
    if not created and not instance.is_active:
        revoke_all(instance.user_id)


@receiver(post_delete, sender=Membership, dispatch_uid="api_tokens_on_membership_delete")
def _on_membership_deleted(sender, instance, **kwargs):
    revoke_all(instance.user_id)
