"""Which fields hold data about a migrant, and how each table reaches its migrant.

`PERSONAL_DATA` tags every field of the case tables. It drives the subject-access export,
erasure and retention; a test fails when a field is left untagged.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models

from cases.models import (
    Address,
    Call,
    Case,
    CaseProblem,
    ChecklistItem,
    Consent,
    Deadline,
    Delivery,
    LegalHold,
    Migrant,
    Reminder,
    Stay,
    Task,
    TelegramStartCode,
    TimelineEvent,
)


class Tag(StrEnum):
    ID = "identifier"  # names the person directly: erased
    TEXT = "free_text"  # may hold anything, names included: erased
    QUASI = "quasi_identifier"  # exact dates, places, employer: erased
    STAT = "statistical"  # coarse facts kept after anonymisation (statistics)
    SYS = "system"  # keys, states, timestamps of the work itself: kept


PERSONAL_DATA: dict[type[models.Model], dict[str, Tag]] = {
    Migrant: {
        "id": Tag.SYS,
        "version": Tag.SYS,
        "organisation": Tag.SYS,
        "full_name_latin": Tag.ID,
        "full_name_cyrillic": Tag.ID,
        "search_names": Tag.ID,
        "date_of_birth": Tag.QUASI,
        "birth_year": Tag.QUASI,
        "gender": Tag.STAT,
        "citizenship": Tag.STAT,
        "phone": Tag.ID,
        "phone_secondary": Tag.ID,
        "phone_hash": Tag.ID,
        "phone_tail_hash": Tag.ID,
        "phone_secondary_hash": Tag.ID,
        "phone_secondary_tail_hash": Tag.ID,
        "telegram": Tag.ID,
        "telegram_chat_id": Tag.ID,
        "email": Tag.ID,
        "preferred_language": Tag.STAT,
        "preferred_channel": Tag.SYS,
        "region": Tag.STAT,
        "city": Tag.QUASI,
        "sector": Tag.STAT,
        "phone_controlled": Tag.QUASI,
        "safe_call_time": Tag.TEXT,
        "message_hours_start": Tag.QUASI,
        "message_hours_end": Tag.QUASI,
        "do_not_contact": Tag.SYS,
        "safe_contact_notes": Tag.TEXT,
        "passport_number": Tag.ID,
        "passport_number_hash": Tag.ID,
        "created_by": Tag.SYS,
        "created_at": Tag.SYS,
        "updated_at": Tag.SYS,
    },
    Case: {
        "id": Tag.SYS,
        "version": Tag.SYS,
        "organisation": Tag.SYS,
        "number": Tag.SYS,
        "migrant": Tag.SYS,
        "problem_type": Tag.STAT,
        "status": Tag.STAT,
        "outcome": Tag.STAT,
        "priority": Tag.STAT,
        "assignee": Tag.SYS,
        "summary": Tag.TEXT,
        "country_of_stay": Tag.STAT,
        "arrival_date": Tag.QUASI,
        "entry_point": Tag.QUASI,
        "host_address": Tag.ID,
        "employer_name": Tag.QUASI,
        "employer_tax_id": Tag.QUASI,
        "amount_owed": Tag.STAT,
        "currency": Tag.STAT,
        "wage_period_start": Tag.QUASI,
        "wage_period_end": Tag.QUASI,
        "employment_end_date": Tag.QUASI,
        "patent_issue_date": Tag.QUASI,
        "ban_start_date": Tag.QUASI,
        "ban_duration_years": Tag.STAT,
        "ban_reason": Tag.TEXT,
        "passport_holder": Tag.STAT,
        "passport_held_since": Tag.QUASI,
        "passport_recovery_steps": Tag.TEXT,
        "passport_claimed_at": Tag.QUASI,
        "detention_date": Tag.QUASI,
        "extra_facts": Tag.TEXT,
        "opened_at": Tag.SYS,
        "closed_at": Tag.SYS,
        "reopen_requested_at": Tag.SYS,
        "reopen_requested_by": Tag.SYS,
        "created_by": Tag.SYS,
        "updated_at": Tag.SYS,
    },
    CaseProblem: {"id": Tag.SYS, "case": Tag.SYS, "problem_type": Tag.STAT},
    Consent: {
        "id": Tag.SYS,
        "migrant": Tag.SYS,
        "purpose": Tag.SYS,
        "channel": Tag.SYS,
        "method": Tag.SYS,
        "notice_version": Tag.SYS,
        "language": Tag.SYS,
        "given_at": Tag.SYS,
        "withdrawn_at": Tag.SYS,
        "recorded_by": Tag.SYS,
    },
    Stay: {
        "id": Tag.SYS,
        "migrant": Tag.SYS,
        "entry_date": Tag.QUASI,
        "exit_date": Tag.QUASI,
        "entry_point": Tag.QUASI,
        "recorded_by": Tag.SYS,
        "created_at": Tag.SYS,
        "updated_at": Tag.SYS,
    },
    Address: {
        "id": Tag.SYS,
        "migrant": Tag.SYS,
        "address": Tag.QUASI,
        "arrival_date": Tag.QUASI,
        "end_date": Tag.QUASI,
        "recorded_by": Tag.SYS,
        "created_at": Tag.SYS,
        "updated_at": Tag.SYS,
    },
    TelegramStartCode: {
        "id": Tag.SYS,
        "migrant": Tag.SYS,
        "code_hash": Tag.SYS,
        "created_at": Tag.SYS,
        "expires_at": Tag.SYS,
        "used_at": Tag.SYS,
    },
    TimelineEvent: {
        "id": Tag.SYS,
        "case": Tag.SYS,
        "kind": Tag.SYS,
        "actor": Tag.SYS,
        "text": Tag.TEXT,
        "data": Tag.TEXT,
        "created_at": Tag.SYS,
    },
    Task: {
        "id": Tag.SYS,
        "case": Tag.SYS,
        "kind": Tag.SYS,
        "title": Tag.TEXT,
        "due_date": Tag.SYS,
        "assignee": Tag.SYS,
        "done_at": Tag.SYS,
        "created_by": Tag.SYS,
        "created_at": Tag.SYS,
    },
    ChecklistItem: {
        "id": Tag.SYS,
        "version": Tag.SYS,
        "case": Tag.SYS,
        "key": Tag.SYS,
        "document_code": Tag.SYS,
        "rule_key": Tag.SYS,
        "source": Tag.SYS,
        "unverified": Tag.SYS,
        "state": Tag.SYS,
        "note": Tag.TEXT,
        "position": Tag.SYS,
        "retired_at": Tag.SYS,
        "ticked_by_migrant_at": Tag.SYS,
        "updated_by": Tag.SYS,
        "updated_at": Tag.SYS,
    },
    Deadline: {
        "id": Tag.SYS,
        "version": Tag.SYS,
        "case": Tag.SYS,
        "key": Tag.SYS,
        "kind": Tag.SYS,
        "title": Tag.TEXT,
        "due_date": Tag.SYS,
        "basis_fact": Tag.SYS,
        "basis_date": Tag.QUASI,
        "explanation": Tag.TEXT,
        "explanations": Tag.TEXT,
        "rule_key": Tag.SYS,
        "source": Tag.SYS,
        "unverified": Tag.SYS,
        "reminder_offsets": Tag.SYS,
        "file_by": Tag.SYS,
        "provisional": Tag.SYS,
        "state": Tag.SYS,
        "resolved_on": Tag.SYS,
        "resolution_note": Tag.TEXT,
        "created_by": Tag.SYS,
        "created_at": Tag.SYS,
        "updated_at": Tag.SYS,
    },
    Reminder: {
        "id": Tag.SYS,
        "deadline": Tag.SYS,
        "audience": Tag.SYS,
        "offset_days": Tag.SYS,
        "send_at": Tag.SYS,
        "state": Tag.SYS,
        "claimed_at": Tag.SYS,
        "attempts": Tag.SYS,
        "last_error": Tag.TEXT,
        "sent_at": Tag.SYS,
        "created_at": Tag.SYS,
        "updated_at": Tag.SYS,
    },
    Delivery: {
        "id": Tag.SYS,
        "reminder": Tag.SYS,
        "organisation": Tag.SYS,
        "channel": Tag.SYS,
        "state": Tag.SYS,
        "attempts": Tag.SYS,
        "provider_message_id": Tag.QUASI,
        "error": Tag.TEXT,
        "segments": Tag.SYS,
        "claimed_at": Tag.SYS,
        "created_at": Tag.SYS,
        "sent_at": Tag.SYS,
    },
    Call: {
        "id": Tag.SYS,
        "organisation": Tag.SYS,
        "received_at": Tag.SYS,
        "line": Tag.STAT,
        "migrant": Tag.SYS,
        "case": Tag.SYS,
        "language": Tag.STAT,
        "topics": Tag.STAT,
        "outcome": Tag.STAT,
        "note": Tag.TEXT,
        "follow_up": Tag.TEXT,
        "follow_up_due": Tag.SYS,
        "follow_up_task": Tag.SYS,
        "taken_by": Tag.SYS,
        "created_at": Tag.SYS,
        "updated_at": Tag.SYS,
    },
    LegalHold: {
        "id": Tag.SYS,
        "migrant": Tag.SYS,
        "reason": Tag.TEXT,
        "placed_by": Tag.SYS,
        "placed_at": Tag.SYS,
        "released_at": Tag.SYS,
        "released_by": Tag.SYS,
    },
}


# How each registered model reaches its migrant (for export and erasure).
PATH_TO_MIGRANT = {
    Migrant: "pk",
    Case: "migrant",
    Consent: "migrant",
    Stay: "migrant",
    Address: "migrant",
    TelegramStartCode: "migrant",
    LegalHold: "migrant",
    Call: "migrant",  # an anonymous caller's call belongs to nobody
    CaseProblem: "case__migrant",
    TimelineEvent: "case__migrant",
    Task: "case__migrant",
    ChecklistItem: "case__migrant",
    Deadline: "case__migrant",
    Reminder: "deadline__case__migrant",
    Delivery: "reminder__deadline__case__migrant",
}
ERASED_TAGS = (Tag.ID, Tag.TEXT, Tag.QUASI)
# Columns derived from others for lookups: erased with them, but not data to show or search for.
DERIVED_FIELDS = {"search_names", "birth_year", "passport_number_hash"}
DERIVED_FIELDS |= {"phone_hash", "phone_tail_hash", "phone_secondary_hash"}
DERIVED_FIELDS |= {"phone_secondary_tail_hash"}
USER_FIELDS = {"created_by", "assignee", "actor", "recorded_by", "updated_by", "placed_by"}
USER_FIELDS |= {"released_by", "reopen_requested_by", "taken_by"}


def rows_of(model: type[models.Model], migrant: Migrant) -> models.QuerySet:
    """The rows of a registered table that belong to this migrant."""
    return model.objects.filter(**{PATH_TO_MIGRANT[model]: migrant.pk}).order_by("pk")


def identifier_tokens(migrant: Migrant) -> list[str]:
    """The strings that identify this migrant directly (searched in payloads and files)."""
    names = [
        name
        for name, tag in PERSONAL_DATA[Migrant].items()
        if tag == Tag.ID and name not in DERIVED_FIELDS
    ]
    tokens = {str(getattr(migrant, name)).strip() for name in names if getattr(migrant, name)}
    return sorted(t for t in tokens if len(t) >= 4)
