"""Two-factor setup and verification, and ending one's other sessions."""

from __future__ import annotations

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from accounts import mfa, sessions
from audit import services as audit
from audit.actions import Action


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@login_required
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Show a QR code for an authenticator app; the first correct code confirms it.

    Someone who already has a second factor must pass it first: otherwise a stolen password
    would be enough to enrol the thief's own authenticator.
    """
    if mfa.has_device(request.user) and not request.user.is_verified():
        return redirect("mfa_verify")
    device = mfa.pending_totp(request.user)
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        codes = mfa.confirm_totp(device=device, token=form.data.get("token", ""))
        if codes is not None:
            otp_login(request, device)
            audit.record(actor=request.user, action=Action.MFA_ENABLED)
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error("token", _("That code is not right. Check the time on your phone."))
        status = 400
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    context = {"form": form, "qr_svg": qr_svg, "secret": _base32(device)}
    return render(request, "accounts/mfa_setup.html", context, status=status)


def _base32(device) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@login_required
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the authenticator code (or a recovery code) after the password."""
    if not mfa.has_device(request.user):
        return redirect("mfa_setup")
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        device = mfa.verify(request.user, form.data.get("token", ""))
        if device is not None:
            otp_login(request, device)
            audit.record(
                actor=request.user,
                action=Action.MFA_VERIFIED,
                detail={"method": "recovery_code" if device.name == "recovery" else "totp"},
            )
            return redirect("cases:dashboard")
        audit.record(actor=request.user, action=Action.MFA_FAILED)
        form.add_error("token", _("That code is not right."))
        status = 400
    return render(request, "accounts/mfa_verify.html", {"form": form}, status=status)


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Issue a new set of recovery codes (the old ones stop working). Needs a verified session."""
    if not request.user.is_verified():
        return redirect("mfa_verify")
    codes = mfa.new_recovery_codes(user=request.user)
    audit.record(actor=request.user, action=Action.RECOVERY_CODES_RENEWED)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password ends every other session (Django's session hash changes)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("cases:dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        sessions.revoke_all(self.request.user)
        self.request.user.refresh_from_db(fields=["sessions_revoked_at"])
        sessions.start(self.request)
        audit.record(actor=self.request.user, action=Action.PASSWORD_CHANGED)
        messages.success(self.request, _("Password changed. You were signed out everywhere else."))
        return response


@login_required
@require_POST
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    sessions.revoke_all(request.user)
    request.user.refresh_from_db(fields=["sessions_revoked_at"])
    sessions.start(request)  # this session continues
    update_session_auth_hash(request, request.user)
    audit.record(actor=request.user, action=Action.SESSIONS_ENDED)
    messages.success(request, _("Your other sessions have been ended."))
    return redirect("cases:dashboard")
