"""Any change to what a Ruleset is built from gives the rules a new version token."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from content.models import CalendarOverride, CitizenshipGroup, DeadlineRule, GroupMembership, Rule

RULESET_SOURCES = (Rule, DeadlineRule, CitizenshipGroup, GroupMembership, CalendarOverride)


def _rules_changed(sender, **kwargs) -> None:
    from content.services import bump_rules_version

    bump_rules_version()


def connect() -> None:
    for model in RULESET_SOURCES:
        post_save.connect(_rules_changed, sender=model, dispatch_uid=f"rules-version-{model}")
        post_delete.connect(_rules_changed, sender=model, dispatch_uid=f"rules-version-{model}")
