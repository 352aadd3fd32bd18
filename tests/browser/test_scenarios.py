"""The five acceptance stories (design/SCENARIOS.md) in headless Chromium, from an empty
organisation with one caseworker and one supervisor.

The organisation and its members are made through the services the admin screens use (the
Django admin saves the organisation; the members page adds the members); everything after that
is done in the caseworker web UI, as a caseworker would. Expected items and dates are written
here from the law, each with its reason, not copied from what the engine prints. The clock is
frozen on Wednesday 9 December 2026, 10:00 in Moscow (it ticks on from there).

Where a story asks for something the product cannot do yet, the test checks what exists and
ends with pytest.xfail naming the missing capability (see `Gaps`).
"""

from __future__ import annotations

import json
import re
import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from cases.dispatch import dispatch_due
from cases.models import Case, Consent, Reminder
from tests.browser import casework_ui
from tests.browser.casework_ui import intake, save_facts, sign_in
from tests.content.factories import load_shipped_rules
from tests.screenshots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOSCOW = ZoneInfo("Europe/Moscow")
YEKATERINBURG = ZoneInfo("Asia/Yekaterinburg")
TODAY = date(2026, 12, 9)  # a Wednesday in an ordinary working week
NOW = datetime(2026, 12, 9, 10, 0, tzinfo=MOSCOW)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def iso(day: date) -> str:
    return day.isoformat()


def long_date(day: date) -> str:
    """As the case page prints a due date ("19 December 2026")."""
    return f"{day.day} {day:%B} {day.year}"


@dataclass
class Gaps:
    """What a story expects that the product lacks: checked at the end of the test, which
    then xfails naming each gap (and passes once the product has them all)."""

    missing: list[str] = field(default_factory=list)

    def expect(self, met: bool, gap: str) -> None:
        if not met:
            self.missing.append(gap)

    def report(self) -> None:
        if self.missing:
            pytest.xfail("; ".join(self.missing))


# --- the empty organisation ---------------------------------------------------------------


@pytest.fixture
def frozen():
    """The clock at NOW, ticking; `frozen.shift(timedelta)` moves it on."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def empty_org(frozen, live_server, browser_settings):
    load_shipped_rules()
    return casework_ui.empty_organisation()


def deadline_article(page, title: str):
    """The deadline block on the case page whose heading starts with `title`."""
    return page.locator("#deadline-reminders article.deadline").filter(
        has=page.locator("h3", has_text=title)
    )


def checklist_names(page) -> list[str]:
    return [
        name.strip() for name in page.locator("#checklist .checklist-item strong").all_inner_texts()
    ]


def live_documents(case: Case) -> list[str]:
    return list(case.checklist.filter(retired_at=None).values_list("document_code", flat=True))


# --- 1. Farrukh: three problems at once, a phone that may be watched --------------------------


def test_farrukh_three_problems_and_a_watched_phone(browser, live_server, empty_org):
    gaps = Gaps()
    page = sign_in(browser, live_server, empty_org.caseworker)
    # Someone of the same name is already known (both scripts recorded, no birth date).
    intake(
        page,
        live_server,
        who={"full_name_latin": "Farrukh Rakhimov", "full_name_cyrillic": "Фаррух Рахимов",
             "citizenship": "TJ", "phone": "+992 93 000 11 22"},
        problems=["other"],
        facts={},
    )  # fmt: skip

    # Intake. The duplicate check runs as the name is typed: no birth date is known.
    page.goto(f"{live_server.url}/cases/new/")
    page.fill("#id_m-full_name_latin", "Farrukh Rakhimov")
    page.locator("#duplicates .warning").wait_for(timeout=10_000)
    warning = page.locator("#duplicates").inner_text()
    assert "may already be registered" in warning and "Фаррух Рахимов" in warning
    assert "similar name only" in warning or "year of birth not recorded" in warning
    page.fill("#id_m-full_name_latin", "")

    arrived = days_ago(5)  # Friday 4 December 2026, by train
    wage_due = date(2026, 10, 10)  # two months unpaid: the pays of 10 October and 10 November
    case = intake(
        page,
        live_server,
        who={
            "full_name_latin": "Farrukh Rakhimov",
            "citizenship": "TJ",
            "gender": "male",
            "phone": "+992 93 555 77 88",
            "preferred_language": "tg",
            "region": "Moscow",
            "phone_controlled": True,
            "safe_call_time": "only after 20:00",
            "message_hours_start": "20",  # the same, as hours the scheduler reads
            "message_hours_end": "24",
        },
        problems=["registration", "documents_confiscated", "unpaid_wages"],
        facts={
            "arrival_date": iso(arrived),
            "employer_name": "OOO StroyKapital",
            "amount_owed": "60000",
            "wage_due_date": iso(wage_due),
        },
        consent=["sms"],
    )
    assert set(case.problem_types) == {"registration", "documents_confiscated", "unpaid_wages"}
    assert case.problem_type == "registration"
    assert Consent.objects.filter(migrant=case.migrant, channel="sms", withdrawn_at=None).exists()

    # Custody: the employer holds the passport "for safety" since he started (recorded in the
    # facts form; the case page then shows who holds it and since when).
    held_since = days_ago(4)
    save_facts(
        page,
        live_server,
        case,
        {"passport_holder": "employer", "passport_held_since": iso(held_since)},
    )
    what = page.locator("section[aria-labelledby=h-what]").inner_text()
    assert "Who holds the passport\nEmployer" in what
    assert "Passport held since\nDec. 5, 2026" in what
    case.refresh_from_db()
    assert case.passport_holder == "employer" and case.passport_held_since == held_since

    # The 15-day registration term of the Russia–Tajikistan agreement (ratified by 393-FZ of
    # 28.12.2013; 109-FZ art. 20 part 3 otherwise gives 7 working days): 15 calendar days
    # counted from the day after entry (4 Dec) end on Saturday 19 December. That is a day
    # off, so the page says to file by the working day before, Friday 18 December.
    registration = deadline_article(page, "Register your stay")
    assert registration.count() == 1
    text = registration.inner_text()
    assert long_date(date(2026, 12, 19)) in text
    assert "15" in text and "Friday 18 December 2026" in text

    # Labour Code art. 392 part 2: one year from the day the wages were due. Each unpaid pay
    # has its own limit; the form records the oldest (10 October 2026), which comes first:
    # 10 October 2027. That is a Sunday: the Code of Civil Procedure (art. 108 part 2) would
    # carry it to Monday 11 October, but the safe advice is the working day before.
    court = deadline_article(page, "Last day to sue for unpaid wages")
    assert court.count() == 1
    assert long_date(date(2027, 10, 10)) in court.inner_text()
    assert "Friday 8 October 2027" in court.inner_text()
    assert "392" in court.inner_text()
    # Art. 142: more than 15 days late, the worker may suspend work after written notice.
    assert deadline_article(page, "You may suspend work").count() == 1

    # The checklist is the union of the three problems' lists, each document once.
    documents = live_documents(case)
    assert len(documents) == len(set(documents)), "a document is listed twice"
    expected = {
        # Registration: the passport and migration card (Govt decree 413), the host's notice
        # and its tear-off slip (109-FZ arts. 20, 22).
        "passport_foreign",
        "migration_card",
        "registration_tearoff",
        # Unpaid wages: the written demand to the employer before the inspectorate or court,
        # the labour inspectorate complaint (Labour Code art. 353), proof of the work.
        "written_claim_employer",
        "labour_inspectorate_complaint",
        "employment_evidence",
        "wage_court_claim",
        # Passport withheld: police report, demand for its return, the consulate.
        "police_report",
        "passport_return_demand",
        "consulate_contact",
    }
    assert expected <= set(documents), expected - set(documents)
    names = checklist_names(page)
    assert len(names) == len(documents)

    # SMS reminders: planned for the migrant, the text names no organisation.
    reminders = Reminder.objects.filter(deadline__case=case, audience="migrant", state="scheduled")
    assert reminders.exists()
    registration_row = registration.locator("table.reminders")
    assert registration_row.count() == 1
    preview = registration.locator("details p[lang]").first.inner_text()
    assert "Empty NGO" not in preview
    # He asked for messages only after 20:00 (the foreman checks the phone by day).
    local_hours = {r.send_at.astimezone(MOSCOW).hour for r in reminders}
    gaps.expect(
        all(hour >= 20 for hour in local_hours),
        "no per-migrant send window: migrant reminders are planned at REMINDER_SEND_HOUR "
        f"(hours {sorted(local_hours)} Moscow) inside the organisation's quiet hours only; "
        "the migrant's 'safe time to call' is free text that scheduling does not read",
    )
    shot(page, "scenario-1-farrukh")
    assert not page.js_errors, page.js_errors
    gaps.report()


# --- 2. Aizada: EAEU, no contract, dismissed, Telegram --------------------------------------


def telegram_update(live_server, secret: str, update: dict) -> dict:
    """POST an update to the bot's webhook the way Telegram does (secret-token header)."""
    request = urllib.request.Request(  # noqa: S310 — the live server, plain http
        f"{live_server.url}/telegram/webhook/",
        data=json.dumps(update).encode(),
        headers={
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": secret,
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 — the live server
        body = response.read()
    return json.loads(body) if body else {}


def test_aizada_eaeu_worker_without_contract_dismissed_wants_telegram(
    browser, live_server, empty_org, settings
):
    settings.TELEGRAM_BOT_USERNAME = "hamroh_test_bot"
    settings.TELEGRAM_WEBHOOK_SECRET = "webhook-secret-for-the-test"  # noqa: S105
    gaps = Gaps()
    page = sign_in(browser, live_server, empty_org.caseworker)
    arrived = date(2026, 4, 9)  # eight months ago
    dismissed = date(2026, 11, 30)  # Monday of last week
    case = intake(
        page,
        live_server,
        who={
            "full_name_latin": "Aizada Toktogulova",
            "full_name_cyrillic": "Айзада Токтогулова",
            "citizenship": "KG",
            "gender": "female",
            "date_of_birth": "1999-05-14",
            "phone": "+996 555 12 34 56",
            "preferred_language": "ky",
            "region": "Sverdlovsk Oblast",
            "city": "Yekaterinburg",
        },
        problems=["unpaid_wages", "registration"],
        facts={
            "arrival_date": iso(arrived),
            "employer_name": "Sklad-Ural (no written contract)",
            "amount_owed": "45000",
            # Labour Code art. 140: everything owed is paid on the day of dismissal.
            "wage_due_date": iso(dismissed),
            "dismissal_date": iso(dismissed),
        },
        consent=[],  # Telegram, not SMS: linked below through the handout
    )
    save_facts(page, live_server, case, {"employment_end_date": iso(dismissed)})
    documents = set(live_documents(case))
    deadline_keys = set(case.deadlines.values_list("key", flat=True))

    # EAEU: no patent and no work permit (Treaty on the EAEU art. 97 p. 1).
    assert not {"patent", "patent_payment_receipts", "work_permit"} & documents
    assert not [key for key in deadline_keys if key.startswith("patent.")]
    # Registration: EAEU citizens are exempt for 30 days from entry (art. 97; 9 May 2026),
    # long past for someone here eight months.
    registration = deadline_article(page, "Register your stay")
    assert registration.count() == 1
    assert long_date(date(2026, 5, 9)) in registration.inner_text()
    assert "97" in registration.inner_text() and "overdue" in registration.inner_text()
    # A worker's stay runs with the contract (art. 97 p. 5): once it ends (more than 90 days
    # after entry) a new contract is due within 15 days: 30 Nov + 15 = 15 December 2026.
    new_contract = deadline_article(page, "Sign a new work contract")
    assert new_contract.count() == 1
    assert long_date(date(2026, 12, 15)) in new_contract.inner_text()
    assert "97" in new_contract.inner_text()
    gaps.expect(
        any(key.startswith("stay.") for key in deadline_keys),
        "no EAEU stay rule: an EAEU worker's stay is the contract's term (EAEU Treaty art. 97 "
        "p. 5) and 90 days without one (115-FZ art. 5), but the stay deadlines cover the "
        "visa-free CIS group only, so a Kyrgyz worker without a contract gets no stay end date",
    )

    # No written contract: the claim to recognise the employment relationship (Labour Code
    # arts. 15, 19.1, 67 part 2: admitted to work, the contract counts as concluded).
    assert "employment_recognition_claim" in documents
    assert "employment_evidence" in documents
    # Labour Code art. 392 part 1: a dismissal is disputed within 1 month of the order:
    # 30 December 2026. Part 2: unpaid wages within 1 year of the due date: 30 November 2027.
    dismissal = deadline_article(page, "Last day to challenge your dismissal")
    assert dismissal.count() == 1 and long_date(date(2026, 12, 30)) in dismissal.inner_text()
    wages = deadline_article(page, "Last day to sue for unpaid wages")
    assert wages.count() == 1 and long_date(date(2027, 11, 30)) in wages.inner_text()

    # Telegram through the handout: issue her link, the handout prints the bot's start link.
    page.locator("#panel-portal").get_by_role("link", name="Personal link, QR handout").click()
    page.get_by_role("button", name="Issue a link and print the handout").click()
    page.wait_for_load_state()
    # The handout is bilingual: the same link in her language and in Russian.
    link = page.locator("code", has_text="t.me/hamroh_test_bot?start=").first.inner_text()
    code = link.split("start=", 1)[1].strip()
    shot(page, "scenario-2-aizada-handout")
    # She presses Start in Telegram: Telegram posts "/start <code>" to the webhook.
    answer = telegram_update(
        live_server,
        settings.TELEGRAM_WEBHOOK_SECRET,
        {"update_id": 7001, "message": {"chat": {"id": 424242}, "text": f"/start {code}"}},
    )
    assert answer["method"] == "sendMessage" and answer["chat_id"] == 424242
    assert "/stop" in answer["text"]  # in Kyrgyz, her language
    case.migrant.refresh_from_db()
    assert case.migrant.telegram_chat_id == "424242"
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    consent_panel = page.locator("#consent").inner_text()
    assert "Telegram" in consent_panel
    assert not page.locator("#consent .reminder-blocker").count()
    assert Consent.objects.filter(
        migrant=case.migrant, channel="telegram", withdrawn_at=None
    ).exists()
    assert not Consent.objects.filter(migrant=case.migrant, channel="sms").exists()

    # Her clock: Yekaterinburg (UTC+5). A migrant's reminder is planned at 10:00 on her clock
    # (08:00 in Moscow, which Moscow's quiet hours 21–9 would have pushed to 09:00). (One whose
    # day had already passed at intake goes out at once instead: not counted here.)
    planned = Reminder.objects.filter(
        deadline__case=case,
        audience="migrant",
        state="scheduled",
        send_at__gt=timezone.now() + timedelta(hours=1),
    )
    assert planned.count() >= 3
    for reminder in planned:
        assert reminder.send_at.astimezone(YEKATERINBURG).hour == 10, reminder.send_at
        assert reminder.send_at.astimezone(MOSCOW).hour == 8
    shot(page, "scenario-2-aizada")
    assert not page.js_errors, page.js_errors
    gaps.report()


# --- 3. Bekzod: a ban found at the border, family in Moscow ---------------------------------


def test_bekzod_ban_found_at_the_border_worked_through_his_brother(browser, live_server, empty_org):
    gaps = Gaps()
    page = sign_in(browser, live_server, empty_org.caseworker)
    learned = date(2026, 12, 4)  # turned back at the airport; the notice handed to him there
    case = intake(
        page,
        live_server,
        who={
            "full_name_latin": "Bekzod Yusupov",
            "full_name_cyrillic": "Бекзод Юсупов",
            "citizenship": "UZ",
            "gender": "male",
            "date_of_birth": "1985-02-11",
            "preferred_language": "uz",
            "region": "Moscow",
        },  # no phone of his: he is abroad, his brother brings the papers
        problems=["reentry_ban"],
        facts={"ban_decision_learned_date": iso(learned)},
    )
    # The notice: a 5-year ban for overstay (more than 180 days beyond the lawful stay), running
    # from his exit on 20 November 2025.
    ban_from = date(2025, 11, 20)
    save_facts(
        page,
        live_server,
        case,
        {
            "ban_start_date": iso(ban_from),
            "ban_duration_years": "5",
            "ban_reason": "Overstay of more than 180 days (114-FZ art. 27); decision of the MVD.",
        },
    )
    # The brother is the way to reach him: recorded as his safe contact.
    page.goto(f"{live_server.url}/cases/{case.pk}/migrant/")
    page.fill(
        "#id_safe_contact_notes", "Through his brother Akmal Yusupov, +7 916 555 44 33, Moscow."
    )
    page.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/", timeout=10_000)
    assert "Akmal Yusupov" in page.locator(".safe-contact").inner_text()

    # KAS art. 219 part 1: 3 months from the day he learned of the decision: 4 March 2027.
    appeal = deadline_article(page, "Last day to challenge the ban in court")
    assert appeal.count() == 1
    assert long_date(date(2027, 3, 4)) in appeal.inner_text()
    assert "219" in appeal.inner_text()
    # The ban itself: 5 years from 20 November 2025, its last day 20 November 2030; the first
    # day he may lawfully enter is the day after, 21 November 2030.
    ban_end = deadline_article(page, "Your entry ban ends")
    assert ban_end.count() == 1
    assert long_date(date(2030, 11, 20)) in ban_end.inner_text()
    gaps.expect(
        long_date(date(2030, 11, 21)) in page.locator("#panel-calculations").inner_text(),
        "no earliest lawful return date: the ban's end (ban.end) is shown, but not the first "
        "day entry is lawful again (the day after the ban's last day)",
    )

    # What to do: ask the deciding body to lift the ban for family reasons (wife and child
    # live in Moscow), then the court; check the MVD's database and, apart, the FSB's.
    documents = set(live_documents(case))
    assert {"ban_lift_application", "ban_check", "fsb_ban_check"} <= documents
    names = checklist_names(page)
    assert "Application to lift the ban (family in Russia)" in names
    assert "Separate check for an FSB ban" in names

    # No consent and no phone: nothing is sent, and the page says why.
    assert not Consent.objects.filter(migrant=case.migrant).exists()
    assert "No consent recorded" in page.locator("#consent").inner_text()
    blocker = page.locator("#consent .reminder-blocker")
    assert blocker.count() == 1 and "will not be sent" in blocker.inner_text()
    shot(page, "scenario-3-bekzod")
    assert not page.js_errors, page.js_errors
    gaps.report()


# --- 4. Sherzod: detained, expulsion ordered ------------------------------------------------


def test_sherzod_detained_expulsion_ordered_yesterday(browser, live_server, empty_org):
    page = sign_in(browser, live_server, empty_org.caseworker)
    received = days_ago(1)  # the court's order, handed to him yesterday (8 December)
    case = intake(
        page,
        live_server,
        who={
            "full_name_latin": "Sherzod Nazarov",
            "full_name_cyrillic": "Шерзод Назаров",
            "citizenship": "TJ",
            "gender": "male",
            "date_of_birth": "2003-07-01",
            "preferred_language": "tg",
            "region": "Moscow",
        },
        problems=["detention"],
        facts={"expulsion_order_date": iso(received)},
    )
    save_facts(page, live_server, case, {"detention_date": iso(days_ago(2))})

    # KoAP art. 30.3 part 1: a court order is appealed within 10 days of receiving its copy,
    # counted from the next day: 9 ... 18 December 2026 (a Friday, a working day).
    appeal = deadline_article(page, "Last day to appeal the expulsion order")
    assert appeal.count() == 1
    text = appeal.inner_text()
    assert long_date(date(2026, 12, 18)) in text
    assert "30.3" in text
    # Explained from the day the order was received, not the day of the hearing.
    explanation = appeal.locator(".deadline-explanation").inner_text()
    assert "10 calendar days after receipt of the court's expulsion order" in explanation
    assert "8 December 2026" in explanation and "18 December 2026" in explanation

    # The same appeal as a checklist step, and his rights in detention as items: an
    # interpreter and a lawyer (KoAP arts. 24.2, 25.1, 25.5), the consulate told (Vienna
    # Convention on Consular Relations art. 36).
    documents = set(live_documents(case))
    assert {"expulsion_order_appeal", "interpreter_and_lawyer", "consular_notification"} <= (
        documents
    )
    shot(page, "scenario-4-sherzod")
    assert not page.js_errors, page.js_errors


# --- 5. Closing and coming back ---------------------------------------------------------------


def test_closing_by_mistake_and_the_supervisors_reopening(browser, live_server, empty_org, frozen):
    page = sign_in(browser, live_server, empty_org.caseworker)
    case = intake(
        page,
        live_server,
        who={
            "full_name_latin": "Farrukh Rakhimov",
            "citizenship": "TJ",
            "gender": "male",
            "phone": "+992 93 555 77 88",
            "preferred_language": "tg",
            "region": "Moscow",
        },
        problems=["registration"],
        facts={"arrival_date": iso(days_ago(5))},
        consent=["sms"],
    )
    registration = case.deadlines.get(key__startswith="registration")
    # Due 19 December (15 days from entry on 4 December); reminders 5, 2 and 0 days before:
    # 14, 17 and 19 December, for the migrant (SMS) and for the caseworker.
    assert registration.due_date == date(2026, 12, 19)
    planned = {
        (r.audience, r.send_at.astimezone(MOSCOW).date())
        for r in registration.reminders.filter(state="scheduled")
    }
    assert {("migrant", date(2026, 12, d)) for d in (14, 17, 19)} <= planned

    # Sunday 13 December: the caseworker closes it by mistake, without choosing an outcome.
    frozen.shift(timedelta(days=4, hours=2))
    page.context.close()
    page = sign_in(browser, live_server, empty_org.caseworker)  # days later: a new session
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.locator("summary", has_text="Close the case").click()
    page.locator("form[action$='/close/'] button.primary").click()
    page.wait_for_load_state()
    assert "Choose an outcome to close the case." in page.locator("#status-actions").inner_text()
    case.refresh_from_db()
    assert not case.is_closed
    # Then with an outcome, confirmed: closed, every pending reminder cancelled.
    page.select_option("#id_outcome", "resolved")
    page.locator("form[action$='/close/'] button.primary").click()
    page.wait_for_load_state()
    page.locator("form:has(input[name='confirmed']) button.primary").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.is_closed and case.outcome == "resolved"
    assert not Reminder.objects.filter(deadline__case=case, state="scheduled").exists()

    # Two days later (Tuesday 15 December) the supervisor, who reads Russian, reopens it.
    frozen.shift(timedelta(days=2))
    boss = sign_in(browser, live_server, empty_org.supervisor)
    boss.get_by_role("button", name="Русский").click()
    boss.wait_for_load_state()
    boss.goto(f"{live_server.url}/cases/{case.pk}/")
    boss.locator("details:has(form[action$='/reopen/']) > summary").click()
    boss.locator("form[action$='/reopen/'] textarea[name=reason]").fill(
        "Закрыто по ошибке: регистрации ещё нет."
    )
    boss.locator("form[action$='/reopen/'] button.primary").click()
    boss.wait_for_load_state()
    case.refresh_from_db()
    assert not case.is_closed and case.status == Case.Status.IN_PROGRESS

    # Every reminder still ahead is scheduled again; the 14 December ones, whose time passed
    # while the case was closed, stay cancelled: never sent late.
    now = timezone.now()
    rows = list(Reminder.objects.filter(deadline__case=case, deadline__state="open"))
    ahead = [r for r in rows if r.send_at > now]
    behind = [r for r in rows if r.send_at <= now]
    assert ahead and behind
    assert all(r.state == "scheduled" for r in ahead), [(r.send_at, r.state) for r in ahead]
    assert all(r.state == "cancelled" for r in behind), [(r.send_at, r.state) for r in behind]
    assert {r.send_at.astimezone(MOSCOW).date() for r in behind if r.deadline == registration} == {
        date(2026, 12, 14)
    }
    claimed: list[int] = []
    dispatch_due(enqueue=claimed.extend)
    assert claimed == [], "a reminder whose time had passed was sent"

    # The timeline tells both, in each reader's language.
    timeline = boss.locator(".timeline").inner_text()
    assert "Открыто снова: Закрыто → В работе" in timeline
    assert "→ Закрыто · итог: Решено" in timeline
    assert "Закрыто по ошибке" in timeline
    page.context.close()
    page = sign_in(browser, live_server, empty_org.caseworker)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    timeline = page.locator(".timeline").inner_text()
    assert "Reopened: Closed → In progress" in timeline
    assert "→ Closed · outcome: Resolved" in timeline
    shot(boss, "scenario-5-reopened-ru")
    assert not page.js_errors and not boss.js_errors, page.js_errors + boss.js_errors
