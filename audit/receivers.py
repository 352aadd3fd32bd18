"""What the audit log hears from below: a rule verified in the rules table (content cannot
import the log, so it announces the verification and the log records it)."""

from __future__ import annotations

from typing import Any

from audit.actions import Action
from audit.services import record
from content.signals import rule_verified


def _record_verification(sender: Any, *, rule: Any, by: Any, **kwargs: Any) -> None:
    record(
        actor=by,
        action=Action.RULE_VERIFIED,
        obj=rule,
        detail={
            "key": rule.key,
            "effective_from": rule.effective_from.isoformat(),
            "verified_against": rule.verified_against,
        },
    )


def connect() -> None:
    rule_verified.connect(_record_verification, dispatch_uid="audit-rule-verified")
