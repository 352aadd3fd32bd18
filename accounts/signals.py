"""Security events: start session clocks, audit logins, end the sessions of deactivated users.

Membership changes are audited by the services that make them (`cases.services`)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from accounts import sessions
from accounts.backends import client_ip
from audit import services as audit
from audit.actions import Action


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
    audit.record(actor=user, action=Action.LOGIN, detail={"ip": _client_ip(request)})


@receiver(user_logged_out, dispatch_uid="hamroh_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action=Action.LOGOUT)


@receiver(user_login_failed, dispatch_uid="hamroh_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # The username tried is not stored: it may be a mistyped password.
    audit.record(
        actor=None,
        action=Action.LOGIN_FAILED,
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
            action=Action.USER_DEACTIVATED,
            obj=instance,
        )
