"""What the rules table tells others: a new version token on any change to what a Ruleset is
built from, and `rules_changed` when open cases should be re-planned (cases listens)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from content.models import (
    CalendarDecree,
    CalendarOverride,
    CitizenshipGroup,
    DeadlineRule,
    GroupMembership,
    Rule,
)
from content.rulesets import bump_rules_version

RULESET_SOURCES = (
    Rule, DeadlineRule, CitizenshipGroup, GroupMembership, CalendarDecree, CalendarOverride
)  # fmt: skip

# Sent with `job` (a new ResyncJob: reason, problem_types, created_by) and `run_now` (re-sync in
# this process instead of on a worker after commit). The receiver fills in the job's total.
rules_changed = Signal()
# Sent with `rule` (a Rule or DeadlineRule just verified) and `by` (who): the audit log listens.
rule_verified = Signal()


def _bump_version(sender, **kwargs) -> None:
    bump_rules_version()


def connect() -> None:
    for model in RULESET_SOURCES:
        post_save.connect(_bump_version, sender=model, dispatch_uid=f"rules-version-{model}")
        post_delete.connect(_bump_version, sender=model, dispatch_uid=f"rules-version-{model}")
