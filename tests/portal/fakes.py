"""TEMPORARY FAKES — stand-ins for interfaces another engineer implements in parallel.

`content.selectors.document_text`, `deadline_text`, `plan_for` and
`cases.planning.set_item_state` still raise NotImplementedError on this branch. The tests that
need them use the `fake_rules` fixture (tests/portal/conftest.py), which patches in the small
implementations below. After merging the rules branch, the lead removes this module and the
fixture so these tests run against the real implementations (see the portal report).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from cases.models import ChecklistItem, TimelineEvent
from content.engine import Facts, Plan, PlannedDeadline, PlannedItem
from content.selectors import DeadlineText, DocumentText

DOCUMENTS = {
    "passport": {
        "en": ("Passport", "Your identity document. Keep it yourself: nobody may take it.", "", ""),
        "ru": (
            "Паспорт",
            "Ваш документ, удостоверяющий личность. Никто не вправе его забирать.",
            "",
            "",
        ),
        "tg": ("Шиноснома", "Ҳуҷҷати шахсияти шумо. Ҳеҷ кас ҳақ надорад онро гирад.", "", ""),
        "uz": (
            "Pasport",
            "Shaxsingizni tasdiqlovchi hujjat. Uni hech kim olib qololmaydi.",
            "",
            "",
        ),
        "ky": ("Паспорт", "Инсандыгыңызды тастыктаган документ. Аны эч ким ала албайт.", "", ""),
    },
    "migration_card": {
        "en": ("Migration card", "Filled in at the border.", "Ask the border officer.", "Free"),
        "ru": ("Миграционная карта", "Заполняется на границе.", "На границе.", "Бесплатно"),
        "tg": ("Корти муҳоҷиратӣ", "Дар сарҳад пур карда мешавад.", "Дар сарҳад.", "Ройгон"),
        "uz": ("Migratsiya kartasi", "Chegarada toʻldiriladi.", "Chegarada.", "Bepul"),
        "ky": ("Миграциялык карта", "Чек арада толтурулат.", "Чек арада.", "Акысыз"),
    },
    "registration_slip": {
        "en": ("Registration slip", "Shows you are registered.", "Your host files it.", "Free"),
        "ru": (
            "Отрывная часть уведомления",
            "Подтверждает учёт.",
            "Подаёт принимающая сторона.",
            "Бесплатно",
        ),
        "tg": (
            "Қисми ҷудошавандаи огоҳинома",
            "Бақайдгириро тасдиқ мекунад.",
            "Соҳибхона медиҳад.",
            "Ройгон",
        ),
        "uz": (
            "Bildirishnomaning ajraladigan qismi",
            "Roʻyxatni tasdiqlaydi.",
            "Uy egasi topshiradi.",
            "Bepul",
        ),
        "ky": (
            "Билдирменин үзүлмө бөлүгү",
            "Каттоону тастыктайт.",
            "Кабыл алуучу тапшырат.",
            "Акысыз",
        ),
    },
}
DEADLINES = {
    "registration": {
        "en": ("Register your stay", "Ask your host or employer to register you."),
        "ru": (
            "Встаньте на миграционный учёт",
            "Попросите принимающую сторону подать уведомление.",
        ),
        "tg": ("Бақайдгирии муҳоҷиратӣ гузаред", "Аз соҳибхона ё корфармо хоҳиш кунед."),
        "uz": ("Migratsiya hisobiga turing", "Uy egasi yoki ish beruvchidan soʻrang."),
        "ky": ("Миграциялык каттоодон өтүңүз", "Кабыл алуучудан сураңыз."),
    },
}


def document_text(code: str, language: str) -> DocumentText:
    texts = DOCUMENTS[code]  # unknown code → KeyError, a LookupError like the real one
    name, description, how, cost = texts.get(language, texts["en"])
    return DocumentText(code, name, description, how, cost, "")


def deadline_text(rule_key: str, language: str) -> DeadlineText:
    texts = DEADLINES[rule_key]
    title, advice = texts.get(language, texts["en"])
    return DeadlineText(rule_key, title, advice)


def plan_for(facts: Facts, *, on: date | None = None) -> Plan:
    items = (
        PlannedItem("passport", "passport", "passport", "Federal Law 115-FZ", False, 0),
        PlannedItem(
            "migration_card", "migration_card", "migration_card", "115-FZ art. 5", False, 1
        ),
    )
    deadlines = ()
    if facts.arrival_date:
        deadlines = (
            PlannedDeadline(
                key="registration",
                title="Register your stay",
                due=facts.arrival_date + timedelta(days=7),
                basis_fact="arrival_date",
                basis_date=facts.arrival_date,
                explanation="7 working days after arrival",
                rule_key="registration",
                source="109-FZ art. 20",
                unverified=True,
            ),
        )
    return Plan(items=items, deadlines=deadlines)


@transaction.atomic
def set_item_state(*, item, state: str, by=None, note: str = "", via_migrant: bool = False):
    old = item.state
    item.state = state
    if via_migrant:
        item.ticked_by_migrant_at = timezone.now()
    item.save()
    TimelineEvent.objects.create(
        case=item.case,
        kind=TimelineEvent.Kind.MIGRANT if via_migrant else TimelineEvent.Kind.CHECKLIST,
        actor=by,
        data={"item": item.pk, "from": old, "to": state},
    )
    return item


def install(monkeypatch) -> None:
    from cases import planning
    from content import selectors

    monkeypatch.setattr(selectors, "document_text", document_text)
    monkeypatch.setattr(selectors, "deadline_text", deadline_text)
    monkeypatch.setattr(selectors, "plan_for", plan_for)
    monkeypatch.setattr(planning, "set_item_state", set_item_state)


def add_plan_rows(case, *, today: date) -> None:
    """Checklist and deadline rows as sync_plan would write them (sync_plan is not merged yet)."""
    for position, code in enumerate(("passport", "migration_card", "registration_slip")):
        ChecklistItem.objects.get_or_create(
            case=case,
            key=f"portal-test-{code}",
            defaults={"document_code": code, "rule_key": code, "position": position},
        )
    case.deadlines.get_or_create(
        key="portal-test-registration",
        defaults={
            "title": "Register your stay",
            "due_date": today + timedelta(days=3),
            "rule_key": "registration",
        },
    )
    case.deadlines.get_or_create(
        key="portal-test-overdue",
        defaults={
            "title": "Register your stay",
            "due_date": today - timedelta(days=2),
            "rule_key": "registration",
        },
    )
