"""What the case page's panels and the reminders dashboard show: view-models, no writes.

The checklist panel (`checklist_panel_context`), the deadlines-and-reminders panel
(`deadline_panel_context`) and the dashboard's reminder lists (`dashboard_context`), with the
deadline annotations they share (`annotate_deadline`, `deadline_title`). The case page reads
its checklist and deadlines once (`CasePlan.load`) and hands them to every panel.
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


def deadline_titles(deadlines: list[Deadline], *, language: str) -> dict[int, str]:
    """`deadline_title` of each deadline by id, with the rules read in one query."""
    texts = queries.deadline_texts(
        {(d.rule_key, d.basis_date) for d in deadlines if d.rule_key}, language
    )
    return {
        d.pk: deadline_title(d, language=language, text=texts.get((d.rule_key, d.basis_date)))
        for d in deadlines
    }


def annotate_deadline(deadline: Deadline, *, language: str, today: date, text=None) -> Deadline:
    """Attach what every deadline panel shows: days left/overdue, the localised explanation,
    the rule's translated title and advice (`deadline.text`, None for manual deadlines) and the
    title to show (`deadline.display_title`). `text`: the rule's DeadlineText if looked up."""

    deadline.days_left = (deadline.due_date - today).days
    deadline.days_overdue = max(0, -deadline.days_left)
    deadline.explanation_local = (deadline.explanations or {}).get(
        (language or "en").split("-")[0], deadline.explanation
    )
    if deadline.rule_key and text is None:
        text = queries.deadline_text(deadline.rule_key, language, on=deadline.basis_date)
    deadline.text = text if deadline.rule_key else None
    deadline.display_title = deadline_title(deadline, language=language, text=deadline.text)
    return deadline


@dataclass
class CasePlan:
    """A case's checklist and deadlines (with their reminders and deliveries) as its page shows
    them, read once and shared by the checklist, deadlines, portal and feed panels: a fixed
    number of queries however many items, deadlines or reminders the case has."""

    case: Case
    items: list[ChecklistItem]  # the current items, each with `.text` (DocumentText)
    deadlines: list[Deadline]  # every deadline, retired too (the feed names them)
    language: str
    today: date

    @classmethod
    def load(cls, case: Case, *, checklist: bool = True) -> CasePlan:
        """`checklist=False`: the deadlines only (the deadlines panel alone, after an action)."""
        language = get_language() or "en"
        items = (
            list(
                case.checklist.filter(retired_at__isnull=True).annotate(
                    rule_citation=queries.citation_column("rule_key", "source")
                )
            )
            if checklist
            else []
        )
        texts = queries.document_texts({item.document_code for item in items}, language)
        for item in items:
            item.text = texts[item.document_code]
            item.source_display = queries.source_from(item.source, item.rule_citation, language)
        deadlines = deadlines_with_reminders(case)
        plan = cls(case, items, deadlines, language, local_today(case.organisation))
        for deadline in deadlines:
            text = queries.deadline_text_from(deadline.rule_key, deadline.rule_texts, language)
            annotate_deadline(deadline, language=language, today=plan.today, text=text)
            deadline.source_display = queries.source_from(
                deadline.source, deadline.rule_citation, language
            )
        return plan

    @property
    def current_deadlines(self) -> list[Deadline]:
        return [d for d in self.deadlines if d.state != Deadline.State.RETIRED]

    def titles(self) -> dict[int, str]:
        """Every deadline's title in the page's language, by id (for the feed)."""
        return {d.pk: d.display_title for d in self.deadlines}

    def waiting_migrant_reminder(self) -> bool:
        """A reminder to the migrant is still to be sent (the consent panel says why not)."""
        return any(
            r.audience == Reminder.Audience.MIGRANT and r.state == Reminder.State.SCHEDULED
            for d in self.deadlines
            for r in d.reminder_list
        )


def _columns(model, prefix: str = "") -> tuple[list[str], list[str]]:
    fields = model._meta.concrete_fields
    return [f.attname for f in fields], [prefix + f.name for f in fields]


def deadlines_with_reminders(case: Case) -> list[Deadline]:
    """The case's deadlines, each with `.reminder_list` and each reminder with `.delivery_list`,
    in one query (LEFT JOINs; a case has a handful of deadlines with a few reminders each),
    in the models' own orders; `.rule_texts` carries the texts of the deadline's rule version
    (content.queries.deadline_texts_column)."""
    deadline_names, deadline_paths = _columns(Deadline)
    reminder_names, reminder_paths = _columns(Reminder, "reminders__")
    delivery_names, delivery_paths = _columns(Delivery, "reminders__deliveries__")
    rows = (
        Deadline.objects.filter(case=case)
        .annotate(
            rule_texts=queries.deadline_texts_column("rule_key", "basis_date"),
            rule_citation=queries.citation_column("rule_key", "source", deadline=True),
        )
        .order_by(
            "due_date",
            "id",
            "reminders__send_at",
            "reminders__id",
            "reminders__deliveries__created_at",
            "reminders__deliveries__id",
        )
    )
    db = rows.db
    deadlines: dict[int, Deadline] = {}
    reminders: dict[int, Reminder] = {}
    cut_reminder = len(deadline_names)
    cut_delivery = cut_reminder + len(reminder_names)
    columns = (*deadline_paths, *reminder_paths, *delivery_paths, "rule_texts", "rule_citation")
    for *row, rule_texts, rule_citation in rows.values_list(*columns):
        deadline = deadlines.get(row[0])
        if deadline is None:
            deadline = Deadline.from_db(db, deadline_names, row[:cut_reminder])
            deadline.case = case
            deadline.rule_texts = rule_texts
            deadline.rule_citation = rule_citation
            deadline.reminder_list = []
            deadlines[deadline.pk] = deadline
        reminder_values = row[cut_reminder:cut_delivery]
        if reminder_values[0] is None:
            continue
        reminder = reminders.get(reminder_values[0])
        if reminder is None:
            reminder = Reminder.from_db(db, reminder_names, reminder_values)
            reminder.deadline = deadline
            reminder.delivery_list = []
            reminders[reminder.pk] = reminder
            deadline.reminder_list.append(reminder)
        delivery_values = row[cut_delivery:]
        if delivery_values[0] is not None:
            delivery = Delivery.from_db(db, delivery_names, delivery_values)
            delivery.reminder = reminder
            reminder.delivery_list.append(delivery)
    return list(deadlines.values())


def checklist_panel_context(*, case: Case, plan: CasePlan | None = None) -> dict:
    """What the case page's checklist panel renders (plus the annotated open deadlines)."""

    plan = plan or CasePlan.load(case)
    return {
        "case": case,
        "checklist_items": plan.items,
        "deadlines": plan.current_deadlines,
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


def deadline_panel_context(*, case: Case, plan: CasePlan | None = None) -> dict:
    """For templates/cases/_deadline_reminders.html: every deadline with every planned send,
    each deadline annotated like the checklist panel (annotate_deadline)."""
    plan = plan or CasePlan.load(case, checklist=False)
    zone = org_zone(case.organisation)
    rows = []
    for deadline in plan.current_deadlines:
        reminder_rows = []
        for reminder in deadline.reminder_list:
            row = ReminderRow(reminder, reminder.send_at.astimezone(zone), reminder.delivery_list)
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
    return {"case": case, "deadline_rows": rows, "today": plan.today, "time_zone": str(zone)}


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
