"""The migrant's personal access to their case: a secret link, or a short code and a PIN.

Nothing secret is stored in the clear: the link token and the case code are stored as keyed
hashes (they are high-entropy or only useful with the PIN), the PIN as a salted password hash.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import Case


class AccessLink(models.Model):
    """One issued personal link (with its code + PIN) for a case. Re-issuing revokes the old one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="portal_links")
    token_hash = models.CharField(max_length=64, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    pin_hash = models.CharField(max_length=128, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Every opening of /m/<token>/ looks the link up by its hash.
            models.UniqueConstraint(fields=["token_hash"], name="portal_link_token_unique"),
            # Code + PIN login finds the link by the code's hash, so codes never repeat.
            models.UniqueConstraint(fields=["code_hash"], name="portal_link_code_unique"),
            # Re-issuing revokes the previous link: a case has at most one working link.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(revoked_at__isnull=True),
                name="portal_link_one_active_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"Portal link #{self.pk} for case {self.case_id}"


class LoginFailure(models.Model):
    """A wrong code/PIN attempt at /m/, kept for the rate-limit window (in the database, so the
    limit holds across web processes even without a shared cache)."""

    class Scope(models.TextChoices):
        CODE = "code", "code"
        ADDRESS = "address", "address"
        # The migrant's own phone (portal.throttle): counted apart from strangers' tries.
        DEVICE = "device", "device"

    scope = models.CharField(max_length=8, choices=Scope)
    # Keyed hash of the code or of the client address: the table holds no personal data.
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # The limiter counts one key's failures within the last window.
            models.Index(fields=["scope", "key_hash", "created_at"], name="portal_failure_lookup"),
        ]

    def __str__(self) -> str:
        return f"Login failure #{self.pk} ({self.scope})"
