"""Who must use two-factor authentication, and the devices that provide it (django-otp).

TOTP (authenticator app) is the factor; ten single-use recovery codes live in a static device.
Required for platform admins (staff); the organisations a user works in may require it too
(the core decides that: `cases.organisations.organisation_requires_mfa`). Available to everybody.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, Q
from django.dispatch import Signal
from django_otp import device_classes, devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10

# Sent with `user` once a new authenticator is confirmed: what was granted on the password
# alone until then (API tokens) must be asked for again with the second factor.
enrolled = Signal()

# Paths a signed-in user without a verified second factor may still reach.
EXEMPT_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/mfa/setup/",
    "/accounts/mfa/verify/",
    "/static/",
    "/healthz/",
    "/i18n/",
)


def mfa_required(user, *, by_organisation: bool = False) -> bool:
    """`by_organisation`: an organisation the user works in requires it (role or setting)."""
    if not getattr(settings, "MFA_ENFORCED", True):
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or user.is_superuser or by_organisation


def device_exists(user) -> ExpressionWrapper:
    """True when the user has a confirmed device of any kind: one expression, so it can ride
    along another query (it does not depend on the outer row)."""
    condition = Q()
    for model in device_classes():
        condition |= Q(Exists(model.objects.devices_for_user(user, confirmed=True)))
    return ExpressionWrapper(condition, output_field=BooleanField())


def has_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def pending_totp(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def confirm_totp(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a first code; returns fresh recovery codes, or None."""
    if not device.verify_token(token.strip().replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(user=device.user)
    transaction.on_commit(lambda: enrolled.send(sender=TOTPDevice, user=device.user))
    return codes


@transaction.atomic
def new_recovery_codes(*, user) -> list[str]:
    """Replace the user's recovery codes; each works once (django-otp deletes it on use)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def verify(user, token: str):
    """The device that accepts this code (TOTP or a recovery code), or None."""
    token = token.strip().replace(" ", "")
    if not token:
        return None
    # Six digits go to the authenticator, anything else to the recovery codes, so a wrong
    # code counts against one device's throttle only.
    kind = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, kind) and device.verify_token(token):
                return device
    return None
