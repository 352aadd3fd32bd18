from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff member of an NGO (caseworker, supervisor, organisation admin) or a platform admin.

    Migrants never have accounts: they reach their checklist through a personal link.
    """

    language = models.CharField(
        _("interface language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    # Every session started before this moment is ended on its next request
    # (deactivation, membership removal, "log out my other sessions"); see accounts.sessions.
    sessions_revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return self.username
