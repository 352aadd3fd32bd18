"""Who holds the passport: the caseworker's record (Case.passport_holder) is the truth. The
migrant's "I have it" on the portal is recorded beside it (Case.passport_claimed_at) and shown
to the caseworker to check; it never changes the record."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cases.models import Case, ChecklistItem, TimelineEvent

PASSPORT_DOCUMENTS = frozenset({"passport_foreign", "passport_internal"})


def held_by_someone_else(case: Case) -> bool:
    return bool(case.passport_holder)


def claim_pending(case: Case) -> bool:
    """The migrant says they have the passport while the record says someone else holds it."""
    return case.passport_claimed_at is not None and held_by_someone_else(case)


@transaction.atomic
def migrant_ticks_passport(*, item: ChecklistItem) -> bool:
    """The portal's "I have it" on a passport item while custody is recorded with someone
    else: keep the claim beside the record and flag it; the item is left as it is. Returns
    whether the tick was taken as such a claim (otherwise it is an ordinary tick)."""
    case = Case.objects.select_for_update().get(pk=item.case_id)
    if item.document_code not in PASSPORT_DOCUMENTS or not held_by_someone_else(case):
        return False
    if case.passport_claimed_at is None:
        case.passport_claimed_at = timezone.now()
        case.save(update_fields=["passport_claimed_at", "updated_at"])
        TimelineEvent.objects.create(
            case=case,
            kind=TimelineEvent.Kind.MIGRANT,
            data={"custody_claim": "has_passport", "recorded_holder": case.passport_holder},
        )
    return True


def record_reviewed(case: Case, facts: dict) -> None:
    """A caseworker saving who holds the passport has seen the claim: it is settled (the
    clearing is one of the facts' changes, so it is saved and on the timeline)."""
    if "passport_holder" in facts and case.passport_claimed_at is not None:
        facts["passport_claimed_at"] = None
