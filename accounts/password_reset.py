"""Staff password reset by e-mail (Django's views), rate-limited, with no user enumeration.

Every request shows the same "sent" page, whether or not the address belongs to anyone and
whether or not the limit was reached. The reset signs nobody in: the new password goes through
the ordinary sign-in, so a user with a second factor must pass it again. A reset ends the
user's sessions (and, through api.tokens, their API tokens)."""

from __future__ import annotations

import hashlib

from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts import sessions
from accounts.backends import client_ip
from audit import services as audit
from audit.actions import Action

PER_HOUR = 5
TEMPLATE = "accounts/password_reset.html"


def _over_limit(*keys: str) -> bool:
    """Count one request against each key; True when any is past the hourly limit."""
    over = False
    for key in keys:
        name = "pwreset:" + hashlib.sha256(key.encode()).hexdigest()
        cache.add(name, 0, timeout=3600)
        over = cache.incr(name) > PER_HOUR or over
    return over


class PasswordResetView(auth_views.PasswordResetView):
    template_name = TEMPLATE
    success_url = reverse_lazy("password_reset_done")
    extra_context = {"title": _("Reset your password")}

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        if _over_limit("ip:" + client_ip(self.request), "email:" + email):
            return super(auth_views.PasswordResetView, self).form_valid(form)  # no mail sent
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = TEMPLATE
    extra_context = {
        "title": _("Check your e-mail"),
        "message": _(
            "If the address belongs to an account, a link to set a new password is on its way."
        ),
    }


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = TEMPLATE
    success_url = reverse_lazy("password_reset_complete")
    post_reset_login = False  # the new password signs in the ordinary way, second factor included
    extra_context = {"title": _("Set a new password")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context.get("validlink"):
            context["message"] = _("This link has expired or was already used. Ask for a new one.")
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        sessions.revoke_all(form.user)
        audit.record(actor=form.user, action=Action.PASSWORD_CHANGED)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = TEMPLATE
    extra_context = {
        "title": _("Password set"),
        "message": _("Sign in with your new password."),
    }
