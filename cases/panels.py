"""What the case page's panels and the reminders dashboard show: view-models, no writes.

The checklist panel (`checklist_panel_context`), the deadlines-and-reminders panel
(`deadline_panel_context`) and the dashboard's reminder lists (`dashboard_context`), with the
deadline annotations they share (`annotate_deadline`, `deadline_title`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import get_language

from cases import messages
from cases.models import Case, ChecklistItem, Deadline, Delivery, Organisation, Reminder, Task
from cases.scheduling import PENDING_STATES, local_today, org_zone
from content import queries


def deadline_title(deadline: Deadline, *, language: str, text=None) -> str:
    """The rule's title in the language, or the title saved on the deadline (a manual deadline,
    or a rule no longer in the table). `text`: the rule's DeadlineText if already looked up."""

    if text is None and deadline.rule_key:
        text = queries.deadline_text(deadline.rule_key, language, on=deadline.basis_date)
    if text is not None and text.title and text.title != deadline.rule_key:
        return text.title
    return deadline.title


def annotate_deadline(deadline: Deadline, *, language: str, today: date) -> Deadline:
    """Attach what every deadline panel shows: days left/overdue, the localised explanation,
    the rule's translated title and advice (`deadline.text`, None for manual deadlines) and the
    title to show (`deadline.display_title`)."""

    deadline.days_left = (deadline.due_date - today).days
    deadline.days_overdue = max(0, -deadline.days_left)
    deadline.explanation_local = (deadline.explanations or {}).get(
        (language or "en").split("-")[0], deadline.explanation
    )
    deadline.text = (
        queries.deadline_text(deadline.rule_key, language, on=deadline.basis_date)
        if deadline.rule_key
        else None
    )
    deadline.display_title = deadline_title(deadline, language=language, text=deadline.text)
    return deadline


def checklist_panel_context(*, case: Case) -> dict:
    """What the case page's checklist panel renders (plus the annotated open deadlines)."""

    language = get_language() or "en"
    today = local_today(case.organisation)
    items = list(case.checklist.filter(retired_at__isnull=True))
    for item in items:
        item.text = queries.document_text(item.document_code, language)
    deadlines = [
        annotate_deadline(deadline, language=language, today=today)
        for deadline in case.deadlines.exclude(state=Deadline.State.RETIRED)
    ]
    return {
        "case": case,
        "checklist_items": items,
        "deadlines": deadlines,
        "checklist_states": ChecklistItem.State.choices,
    }


@dataclass
class ReminderRow:
    reminder: Reminder
    send_at_local: datetime
    deliveries: list[Delivery]
    preview: str = ""
    sms: messages.SmsLength | None = None


@dataclass
class DeadlineRow:
    deadline: Deadline
    days_left: int
    overdue: bool
    reminders: list[ReminderRow]

    @property
    def overdue_days(self) -> int:
        return max(-self.days_left, 0)

    @property
    def failed(self) -> list[ReminderRow]:
        return [r for r in self.reminders if r.reminder.state == Reminder.State.FAILED]


def deadline_panel_context(*, case: Case) -> dict:
    """For templates/cases/_deadline_reminders.html: every deadline with every planned send,
    each deadline annotated like the checklist panel (annotate_deadline)."""
    language = get_language() or "en"
    organisation = case.organisation
    zone = org_zone(organisation)
    today = local_today(organisation)
    deadlines = list(
        case.deadlines.exclude(state=Deadline.State.RETIRED).prefetch_related(
            "reminders__deliveries"
        )
    )
    rows = []
    for deadline in deadlines:
        annotate_deadline(deadline, language=language, today=today)
        reminder_rows = []
        for reminder in deadline.reminders.all():
            row = ReminderRow(
                reminder, reminder.send_at.astimezone(zone), list(reminder.deliveries.all())
            )
            if reminder.audience == Reminder.Audience.MIGRANT:
                row.preview = messages.migrant_text(
                    language=case.migrant.preferred_language,
                    due=deadline.due_date,
                    days=reminder.offset_days,
                    migrant_id=case.migrant_id,
                )
                row.sms = messages.sms_length(row.preview)
            reminder_rows.append(row)
        rows.append(
            DeadlineRow(
                deadline=deadline,
                days_left=deadline.days_left,
                overdue=deadline.state == Deadline.State.OPEN and deadline.days_left < 0,
                reminders=reminder_rows,
            )
        )
    return {"case": case, "deadline_rows": rows, "today": today, "time_zone": str(zone)}


def dashboard_context(*, user, organisation: Organisation | None, only_mine: bool = False) -> dict:
    """For templates/cases/_reminders_dashboard.html: upcoming, sent, failed, calls to make."""
    cases = Case.objects.visible_to(user)
    if organisation is not None:
        cases = cases.filter(organisation=organisation)
    if only_mine:
        cases = cases.filter(assignee=user)
    now = timezone.now()
    base = Reminder.objects.filter(deadline__case__in=cases).select_related("deadline__case")
    return {
        "upcoming": list(
            base.filter(state__in=PENDING_STATES, send_at__lte=now + timedelta(days=7)).order_by(
                "send_at"
            )[:20]
        ),
        "sent": list(
            base.filter(state=Reminder.State.SENT, sent_at__gte=now - timedelta(days=7)).order_by(
                "-sent_at"
            )[:20]
        ),
        "failed": list(
            base.filter(
                state=Reminder.State.FAILED, updated_at__gte=now - timedelta(days=30)
            ).order_by("-updated_at")[:50]
        ),
        "call_tasks": list(
            Task.objects.filter(case__in=cases, kind=Task.Kind.CALL_MIGRANT, done_at__isnull=True)
            .select_related("case")
            .order_by("due_date", "id")[:50]
        ),
    }
