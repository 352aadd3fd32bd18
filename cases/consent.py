"""Consent per purpose and channel: give, withdraw, opt out, and the check made at send time.

A consent row records how (in person, by phone, on the portal, by Telegram), by whom, when,
under which notice version and in which language it was given; withdrawal stamps
`withdrawn_at` and takes effect at once: the reminder sender reads consent
(`consented_channels`) right before every send, so reminders already queued are not sent either.
Every path that changes consent (intake, case page, API, portal, STOP link, Telegram /stop,
seed data) goes through `give_consent` / `withdraw_consent`, which audit and timeline it.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit import services as audit
from audit.actions import Action as AuditAction
from cases import permissions
from cases.event_codes import coded
from cases.models import Case, Consent, Migrant, TimelineEvent

Purpose = Consent.Purpose
Channel = Consent.Channel
Method = Consent.Method
NOTICE_VERSION = "2026-1"


def _active(migrant: Migrant, purpose: str):
    return Consent.objects.filter(migrant=migrant, purpose=purpose, withdrawn_at__isnull=True)


def has_consent(migrant: Migrant, channel: str, *, purpose: str = Purpose.CONTACT) -> bool:
    """May we use this channel for this purpose right now? Reads the database every time."""
    if channel in (migrant.do_not_contact or []):
        return False
    now = timezone.now()
    return (
        _active(migrant, purpose)
        .filter(given_at__lte=now, channel__in=[channel, Channel.ANY])
        .exists()
    )


def consented_channels(migrant_ids: set[int]) -> dict[int, set[str]]:
    """The channels each migrant agreed to be contacted on (one query for a whole chunk)."""
    consented: dict[int, set[str]] = defaultdict(set)
    rows = Consent.objects.filter(
        migrant_id__in=migrant_ids, purpose=Purpose.CONTACT, withdrawn_at__isnull=True
    ).values_list("migrant_id", "channel")
    for migrant_id, channel in rows:
        consented[migrant_id].add(channel)
    return consented


def _validate(purpose: str, channel: str, method: str) -> None:
    errors = {}
    if purpose not in Purpose.values:
        errors["purpose"] = _("Choose a valid purpose.")
    if channel not in Channel.values:
        errors["channel"] = _("Choose a valid channel.")
    if method not in Method.values:
        errors["method"] = _("Choose how the consent was given.")
    if errors:
        raise ValidationError(errors)


def _require_editor(by, migrant: Migrant) -> None:
    """A caseworker changing consent needs EDIT_CASE; the migrant themself (by=None) does not."""
    if by is not None:
        permissions.require(by, migrant.organisation, permissions.Action.EDIT_CASE)


def _timeline(migrant: Migrant, *, by, message: str, data: dict) -> None:
    """One line on each open case, rendered in its reader's language (cases.event_codes)."""
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            case=case,
            kind=TimelineEvent.Kind.SYSTEM if by is not None else TimelineEvent.Kind.MIGRANT,
            actor=by,
            data=data | coded(message),
        )
        for case in Case.objects.filter(migrant=migrant).open()
    )


@transaction.atomic
def give_consent(
    *,
    migrant: Migrant,
    channel: str,
    by,
    method: str = Method.IN_PERSON,
    purpose: str = Purpose.CONTACT,
    notice_version: str = NOTICE_VERSION,
    language: str = "",
) -> Consent:
    """Record consent for one purpose and channel; giving it again records nothing new."""
    _require_editor(by, migrant)
    _validate(purpose, channel, method)
    existing = _active(migrant, purpose).filter(channel=channel).first()
    if existing is not None:
        return existing  # idempotent: a double submit records nothing new
    consent = Consent.objects.create(
        migrant=migrant,
        purpose=purpose,
        channel=channel,
        method=method,
        notice_version=notice_version,
        language=language or migrant.preferred_language,
        recorded_by=by,
    )
    detail = {"purpose": purpose, "channel": channel or "any", "method": method}
    audit.record(
        actor=by,
        action=AuditAction.CONSENT_GIVEN,
        organisation=migrant.organisation,
        obj=migrant,
        detail=detail | {"notice": notice_version},
    )
    _timeline(
        migrant, by=by, message=gettext_noop("Consent recorded."), data={"consent_given": detail}
    )
    return consent


def _split_any(consent: Consent, *, keep_out: str, kept: set[str]) -> None:
    """An "any channel" consent minus one channel: re-recorded for each of the others."""
    for other in Channel.values:
        if other in (Channel.ANY, keep_out) or other in kept:
            continue
        Consent.objects.create(
            migrant=consent.migrant,
            purpose=consent.purpose,
            channel=other,
            method=consent.method,
            notice_version=consent.notice_version,
            language=consent.language,
            given_at=consent.given_at,
            recorded_by=consent.recorded_by,
        )


@transaction.atomic
def withdraw_consent(
    *, migrant: Migrant, channel: str, by, purpose: str = Purpose.CONTACT, source: str = ""
) -> int:
    """Withdraw consent for one channel (or all, with Channel.ANY). Returns rows withdrawn.

    `by` is None when the migrant withdrew it (STOP link, portal, Telegram /stop); `source`
    says where. A consent for "any channel" is split: it is withdrawn and re-recorded for the
    other channels with its original date, notice and language, so only the named channel stops.
    """
    if purpose not in Purpose.values or channel not in Channel.values:
        raise ValidationError({"channel": _("Choose a valid channel.")})
    _require_editor(by, migrant)
    now = timezone.now()
    active = list(_active(migrant, purpose).select_for_update())
    kept = {c.channel for c in active if c.channel not in (channel, Channel.ANY)}
    withdrawn = 0
    for consent in active:
        if channel == Channel.ANY or consent.channel in (channel, Channel.ANY):
            consent.withdrawn_at = now
            consent.save(update_fields=["withdrawn_at"])
            withdrawn += 1
            if consent.channel == Channel.ANY and channel != Channel.ANY:
                _split_any(consent, keep_out=channel, kept=kept)
    if not withdrawn:
        return 0
    detail = {"purpose": purpose, "channel": channel or "any", "rows": withdrawn}
    audit.record(
        actor=by,
        action=AuditAction.CONSENT_WITHDRAWN,
        organisation=migrant.organisation,
        obj=migrant,
        detail=detail | {"source": source or ("caseworker" if by is not None else "migrant")},
    )
    message = (
        gettext_noop("The migrant opted out of reminder messages.")
        if by is None
        else gettext_noop("Consent to reminder messages withdrawn by a caseworker.")
    )
    _timeline(migrant, by=by, message=message, data={"consent_withdrawn": withdrawn} | detail)
    return withdrawn
