"""Every action the audit log knows: one registry, so a typo cannot start a new kind of event.

The values are what is stored in `AuditEvent.action`; never change one (old rows keep it).
"""

from __future__ import annotations

from django.db import models


class Action(models.TextChoices):
    # Sign-in, second factor, sessions (accounts).
    LOGIN = "auth.login"
    LOGOUT = "auth.logout"
    LOGIN_FAILED = "auth.login_failed"
    MFA_ENABLED = "auth.mfa_enabled"
    MFA_VERIFIED = "auth.mfa_verified"
    MFA_FAILED = "auth.mfa_failed"
    RECOVERY_CODES_RENEWED = "auth.recovery_codes_renewed"
    PASSWORD_CHANGED = "auth.password_changed"  # noqa: S105 - an event name, not a secret
    SESSIONS_ENDED = "auth.sessions_ended"
    AUTHZ_DENIED = "authz.denied"
    USER_DEACTIVATED = "user.deactivated"

    # Members of an organisation.
    MEMBERSHIP_ADD = "membership.add"
    MEMBERSHIP_UPDATE = "membership.update"
    # Written by a model signal before the services audited membership changes; old rows only.
    MEMBERSHIP_CREATED = "membership.created"
    MEMBERSHIP_CHANGED = "membership.changed"

    # Reading records (audit.reads) and revealing identifiers.
    CASE_VIEW = "case.view"
    MIGRANT_PRIVACY_VIEW = "migrant.privacy_view"
    PASSPORT_REVEAL = "passport.reveal"
    PASSPORT_REVEAL_DENIED = "passport.reveal_denied"

    # Exports (stats) and identifier exports.
    EXPORT_RESEARCH = "export.research"
    EXPORT_FULL = "export.full"
    EXPORT_DOWNLOAD = "export.download"
    EXPORT_AGGREGATE = "export.aggregate"
    EXPORT_IDENTIFIERS = "export.identifiers"
    EXPORT_IDENTIFIERS_DENIED = "export.identifiers_denied"

    # Consent and privacy (subject access, erasure, legal holds, retention).
    CONSENT_GIVEN = "consent.given"
    CONSENT_WITHDRAWN = "consent.withdrawn"
    SUBJECT_ACCESS_JSON = "subject_access.json"
    SUBJECT_ACCESS_PDF = "subject_access.pdf"
    LEGAL_HOLD_PLACED = "legal_hold.placed"
    LEGAL_HOLD_RELEASED = "legal_hold.released"
    ERASURE_BLOCKED = "erasure.blocked"
    MIGRANT_ERASED = "migrant.erased"
    RETENTION_RUN = "retention.run"
    RETENTION_DRY_RUN = "retention.dry_run"

    # The migrant portal's personal links.
    PORTAL_LINK_ISSUE = "portal.link_issue"
    PORTAL_LINK_REVOKE = "portal.link_revoke"
    PORTAL_LOGIN_LOCKOUT = "portal.login_lockout"

    # The rules table: a named person confirmed a rule against a text of the law.
    RULE_VERIFIED = "rule.verified"
