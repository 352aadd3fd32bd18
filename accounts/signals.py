"""Security events: start session clocks, audit logins and role changes, end revoked sessions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from accounts import sessions
from accounts.backends import client_ip
from audit import services as audit
from cases.models import Membership


def _client_ip(request) -> str:
    if request is None:
        return ""
    return getattr(request, "axes_ip_address", None) or client_ip(request)


def _current_request():
    # simple-history's middleware keeps the request of this thread: the actor of admin edits.
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


@receiver(user_logged_in, dispatch_uid="hamroh_login")
def on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    sessions.start(request)
    audit.record(actor=user, action="auth.login", detail={"ip": _client_ip(request)})


@receiver(user_logged_out, dispatch_uid="hamroh_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action="auth.logout")


@receiver(user_login_failed, dispatch_uid="hamroh_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # The username tried is not stored: it may be a mistyped password.
    audit.record(
        actor=None,
        action="auth.login_failed",
        detail={"ip": _client_ip(request) if request is not None else ""},
    )


@receiver(pre_save, sender=get_user_model(), dispatch_uid="hamroh_user_deactivated")
def on_user_saved(sender, instance, **kwargs):
    if instance.pk is None or instance.is_active:
        return
    was_active = sender.objects.filter(pk=instance.pk, is_active=True).exists()
    if was_active:
        instance.sessions_revoked_at = timezone.now()
        request = _current_request()
        audit.record(
            actor=getattr(request, "user", None),
            action="user.deactivated",
            obj=instance,
        )


@receiver(pre_save, sender=Membership, dispatch_uid="hamroh_membership_changed")
def on_membership_saved(sender, instance, **kwargs):
    old = sender.objects.filter(pk=instance.pk).first() if instance.pk else None
    flags = ("role", "is_active", "can_reveal_identifiers", "can_view_trafficking")
    flags += ("can_export_identifiers",)
    if old is None:
        changes = {"role": [None, instance.role]}
    else:
        changes = {
            name: [getattr(old, name), getattr(instance, name)]
            for name in flags
            if getattr(old, name) != getattr(instance, name)
        }
    if not changes:
        return
    instance._hamroh_changes = changes
    if old is not None and old.is_active and not instance.is_active:
        sessions.revoke_all(instance.user)


@receiver(post_save, sender=Membership, dispatch_uid="hamroh_membership_audit")
def on_membership_audit(sender, instance, created, **kwargs):
    changes = getattr(instance, "_hamroh_changes", None)
    if not changes:
        return
    request = _current_request()
    audit.record(
        actor=getattr(request, "user", None),
        action="membership.created" if created else "membership.changed",
        organisation=instance.organisation,
        obj=instance,
        detail={"user_id": instance.user_id, "changes": changes},
    )
    instance._hamroh_changes = None
