"""Legal holds: a recorded reason to keep a person's data, which blocks erasure."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.actions import Action as AuditAction
from cases.models import LegalHold, Migrant


def active_legal_holds(migrant: Migrant):
    return LegalHold.objects.filter(migrant=migrant, released_at__isnull=True)


@transaction.atomic
def place_legal_hold(*, migrant: Migrant, reason: str, by) -> LegalHold:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the data must be kept.")})
    hold = LegalHold.objects.create(migrant=migrant, reason=reason.strip(), placed_by=by)
    audit.record(
        actor=by,
        action=AuditAction.LEGAL_HOLD_PLACED,
        organisation=migrant.organisation,
        obj=migrant,
    )
    return hold


@transaction.atomic
def release_legal_hold(*, hold: LegalHold, by) -> LegalHold:
    if hold.released_at is None:
        hold.released_at = timezone.now()
        hold.released_by = by
        hold.save(update_fields=["released_at", "released_by"])
        audit.record(
            actor=by,
            action=AuditAction.LEGAL_HOLD_RELEASED,
            organisation=hold.migrant.organisation,
            obj=hold.migrant,
        )
    return hold
