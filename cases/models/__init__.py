"""People, organisations, cases and everything that happens to them, one module per topic.

`__str__` never returns personal data: it ends up in logs, admin history and error reports.
"""

from cases.models.calls import Call, CallQuerySet
from cases.models.case import Case, CaseProblem, CaseQuerySet, Task, TimelineEvent
from cases.models.consent import Consent, TelegramStartCode, TelegramUpdate
from cases.models.organisations import Membership, Organisation
from cases.models.people import (
    Migrant,
    MigrantQuerySet,
    message_window_errors,
    phone_q,
    phone_tail_q,
)
from cases.models.plan import ChecklistItem, Deadline
from cases.models.privacy import ErasureRecord, LegalHold
from cases.models.reminders import Delivery, Reminder
from cases.models.stays import Address, Stay

__all__ = [
    "Address",
    "Call",
    "CallQuerySet",
    "Case",
    "CaseProblem",
    "CaseQuerySet",
    "ChecklistItem",
    "Consent",
    "Deadline",
    "Delivery",
    "ErasureRecord",
    "LegalHold",
    "Membership",
    "Migrant",
    "MigrantQuerySet",
    "Organisation",
    "Reminder",
    "Stay",
    "Task",
    "TelegramStartCode",
    "TelegramUpdate",
    "TimelineEvent",
    "message_window_errors",
    "phone_q",
    "phone_tail_q",
]
