"""Consent per purpose and channel: give, withdraw, opt out, and the check made at send time.

A consent row records when, under which notice version and in which language it was given;
withdrawal stamps `withdrawn_at` and takes effect at once: the reminder sender reads consent
(`consented_channels`) right before every send, so reminders already queued are not sent either.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from audit import services as audit
from cases import permissions
from cases.event_codes import coded
from cases.models import Case, Consent, Migrant, TimelineEvent

Purpose = Consent.Purpose
Channel = Consent.Channel


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


@transaction.atomic
def give_consent(
    *,
    migrant: Migrant,
    channel: str,
    by,
    purpose: str = Purpose.CONTACT,
    notice_version: str,
    language: str,
) -> Consent:
    existing = _active(migrant, purpose).filter(channel=channel).first()
    if existing is not None:
        return existing  # idempotent: a double submit records nothing new
    consent = Consent.objects.create(
        migrant=migrant,
        purpose=purpose,
        channel=channel,
        notice_version=notice_version,
        language=language,
        recorded_by=by,
    )
    audit.record(
        actor=by,
        action="consent.given",
        organisation=migrant.organisation,
        obj=migrant,
        detail={"purpose": purpose, "channel": channel or "any", "notice": notice_version},
    )
    return consent


@transaction.atomic
def withdraw_consent(*, migrant: Migrant, channel: str, by, purpose: str = Purpose.CONTACT) -> int:
    """Withdraw consent for one channel (or all, with Channel.ANY). Returns rows withdrawn.

    A consent for "any channel" is split: it is withdrawn and re-recorded for the other
    channels with its original date, notice and language, so only the named channel stops.
    """
    now = timezone.now()
    active = list(_active(migrant, purpose).select_for_update())
    withdrawn = 0
    for consent in active:
        if channel == Channel.ANY or consent.channel == channel:
            consent.withdrawn_at = now
            consent.save(update_fields=["withdrawn_at"])
            withdrawn += 1
        elif consent.channel == Channel.ANY:
            consent.withdrawn_at = now
            consent.save(update_fields=["withdrawn_at"])
            withdrawn += 1
            kept = {c.channel for c in active if c.withdrawn_at is None}
            for other in Channel.values:
                if other in (Channel.ANY, channel) or other in kept:
                    continue
                Consent.objects.create(
                    migrant=migrant,
                    purpose=purpose,
                    channel=other,
                    notice_version=consent.notice_version,
                    language=consent.language,
                    given_at=consent.given_at,
                    recorded_by=consent.recorded_by,
                )
    audit.record(
        actor=by,
        action="consent.withdrawn",
        organisation=migrant.organisation,
        obj=migrant,
        detail={"purpose": purpose, "channel": channel or "any", "rows": withdrawn},
    )
    return withdrawn


@transaction.atomic
def opt_out(*, migrant: Migrant, by=None, channel: str = "") -> int:
    """Withdraw the migrant's consent to be contacted (one channel, or all when blank).

    Queued reminders are not touched: consent is checked again when they are sent, so nothing
    goes out after this returns. Returns how many consent records were withdrawn.
    """
    if by is not None:
        permissions.require(by, migrant.organisation, permissions.Action.EDIT_CASE)
    now = timezone.now()
    consents = Consent.objects.filter(
        migrant=migrant, purpose=Consent.Purpose.CONTACT, withdrawn_at__isnull=True
    )
    if channel:
        consents = consents.filter(channel__in=[channel, Consent.Channel.ANY])
    withdrawn = consents.update(withdrawn_at=now)
    message = (
        gettext_noop("The migrant opted out of reminder messages.")
        if by is None
        else gettext_noop("Consent to reminder messages withdrawn by a caseworker.")
    )
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            case=case,
            kind=TimelineEvent.Kind.MIGRANT if by is None else TimelineEvent.Kind.SYSTEM,
            actor=by,
            data={"consent_withdrawn": withdrawn, "channel": channel or "any", **coded(message)},
        )
        for case in Case.objects.filter(migrant=migrant).open()
    )
    return withdrawn
