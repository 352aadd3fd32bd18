"""Demo organisations, users for every role and 60+ realistic migrants and cases (idempotent)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases import services
from cases.models import Case, Consent, Membership, Organisation

DEMO_PASSWORD = "hamroh-demo-2026"  # noqa: S105 — printed on purpose; demo data only

ORGANISATIONS = [
    {"slug": "msk", "code": "MSK", "name": "Hamroh Moscow Centre", "hotline_phone": "+74950000001"},
    {"slug": "ekb", "code": "EKB", "name": "Ural Migrant Support", "hotline_phone": "+73430000002"},
]
ROLES = [Membership.Role.CASEWORKER, Membership.Role.SUPERVISOR, Membership.Role.ADMIN]

# (Latin as in passport, Cyrillic, gender). Spellings follow Tajik/Uzbek/Kyrgyz passports.
NAMES = {
    "TJ": [
        ("Rustam Nazarov", "Рустам Назаров", "male"),
        ("Shokhrukh Rahimov", "Шохрух Рахимов", "male"),
        ("Zarina Karimova", "Зарина Каримова", "female"),
        ("Firdavs Saidov", "Фирдавс Саидов", "male"),
        ("Jamshed Davlatov", "Джамшед Давлатов", "male"),
        ("Khurshed Sharipov", "Хуршед Шарипов", "male"),
        ("Manizha Odinaeva", "Манижа Одинаева", "female"),
        ("Suhrob Kurbonov", "Сухроб Курбонов", "male"),
        ("Bakhtiyor Rajabov", "Бахтиёр Раджабов", "male"),
        ("Dilnoza Safarova", "Дилноза Сафарова", "female"),
        ("Umed Khojaev", "Умед Ходжаев", "male"),
        ("Parviz Mirzoev", "Парвиз Мирзоев", "male"),
    ],
    "UZ": [
        ("Sherzod Toshmatov", "Шерзод Тошматов", "male"),
        ("Dilshod Yusupov", "Дилшод Юсупов", "male"),
        ("Gulnora Ismoilova", "Гулнора Исмоилова", "female"),
        ("Jasur Abdullaev", "Жасур Абдуллаев", "male"),
        ("Otabek Nematov", "Отабек Нематов", "male"),
        ("Nodira Xasanova", "Нодира Хасанова", "female"),
        ("Akmal Qodirov", "Акмал Кодиров", "male"),
        ("Sanjar Ergashev", "Санжар Эргашев", "male"),
    ],
    "KG": [
        ("Aibek Toktogulov", "Айбек Токтогулов", "male"),
        ("Aizhan Mamatova", "Айжан Маматова", "female"),
        ("Nurlan Asanov", "Нурлан Асанов", "male"),
        ("Cholpon Sydykova", "Чолпон Сыдыкова", "female"),
        ("Bakyt Zhumabaev", "Бакыт Жумабаев", "male"),
        ("Gulzat Osmonova", "Гулзат Осмонова", "female"),
    ],
}
# Citizenship mix of an NGO's caseload: Tajik first, then Uzbek, then Kyrgyz (FACTS.md §5.6).
CITIZENSHIP_WEIGHTS = {"TJ": 0.5, "UZ": 0.3, "KG": 0.2}
PROBLEM_WEIGHTS = {
    Case.ProblemType.UNPAID_WAGES: 0.25,
    Case.ProblemType.REGISTRATION: 0.18,
    Case.ProblemType.DOCUMENTS_CONFISCATED: 0.13,
    Case.ProblemType.PATENT: 0.14,
    Case.ProblemType.REENTRY_BAN: 0.1,
    Case.ProblemType.DETENTION: 0.09,
    Case.ProblemType.TRAFFICKING: 0.05,
    Case.ProblemType.OTHER: 0.06,
}
LANGUAGE_BY_CITIZENSHIP = {"TJ": "tg", "UZ": "uz", "KG": "ky"}
# Mobile prefixes with the national number padded to nine digits.
PHONE_PREFIX = {"TJ": "+99293", "UZ": "+99890", "KG": "+99655"}
REGIONS = {"msk": ["Moscow", "Moscow Oblast"], "ekb": ["Sverdlovsk Oblast", "Chelyabinsk Oblast"]}
EMPLOYERS = [
    "OOO StroyMontazh",
    "OOO Fruktovy Ryad",
    "IP Ivanov",
    "OOO ChistyGorod",
    "OOO DostavkaPro",
]
CASES_PER_ORG = 32


class Command(BaseCommand):
    help = "Create demo organisations, users and realistic migrants and cases (safe to re-run)."

    def handle(self, *args, **options):
        rng = random.Random(2026)  # noqa: S311 — deterministic demo data
        with transaction.atomic():
            superuser = self._user("platform", is_superuser=True)
            orgs = [self._organisation(spec) for spec in ORGANISATIONS]
            created = sum(self._cases(org, rng) for org in orgs)
            self._demo_deadline(orgs[0])
        self._print_logins(orgs, superuser, created)

    def _user(self, username: str, *, is_superuser: bool = False) -> User:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"is_superuser": is_superuser, "is_staff": is_superuser},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _organisation(self, spec: dict) -> Organisation:
        org, _ = Organisation.objects.get_or_create(slug=spec["slug"], defaults=spec)
        for role in ROLES:
            user = self._user(f"{spec['slug']}_{role}")
            Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": role})
        return org

    def _demo_deadline(self, org: Organisation) -> None:
        """A deadline tomorrow on an assigned case, so `make run` shows reminders in var/outbox/."""
        from cases import deadlines
        from cases.models import Deadline

        title = "Appointment at the migration centre"
        tomorrow = timezone.localdate() + timedelta(days=1)
        if Deadline.objects.filter(case__organisation=org, title=title, due_date__gte=tomorrow):
            return
        case = org.cases.open().filter(assignee__isnull=False).order_by("pk").first()
        if case is not None:
            deadlines.add_manual_deadline(
                case=case, title=title, due_date=tomorrow, by=case.assignee, reminder_offsets=(1, 0)
            )

    def _cases(self, org: Organisation, rng: random.Random) -> int:
        if org.cases.exists():
            return 0
        caseworker = User.objects.get(username=f"{org.slug}_caseworker")
        supervisor = User.objects.get(username=f"{org.slug}_supervisor")
        today = timezone.localdate()
        for index in range(CASES_PER_ORG):
            citizenship = rng.choices(list(CITIZENSHIP_WEIGHTS), CITIZENSHIP_WEIGHTS.values())[0]
            latin, cyrillic, gender = rng.choice(NAMES[citizenship])
            migrant = services.create_migrant(
                organisation=org,
                by=caseworker,
                full_name_latin=latin,
                full_name_cyrillic=cyrillic,
                gender=gender,
                citizenship=citizenship,
                date_of_birth=today - timedelta(days=rng.randint(19 * 365, 50 * 365)),
                phone=f"{PHONE_PREFIX[citizenship]}{rng.randint(1000000, 9999999)}",
                preferred_language=LANGUAGE_BY_CITIZENSHIP[citizenship],
                region=rng.choice(REGIONS[org.slug]),
                sector=rng.choice(["construction", "trade", "services", "transport"]),
                phone_controlled=rng.random() < 0.1,
            )
            Consent.objects.create(migrant=migrant, channel="sms", recorded_by=caseworker)
            problem = rng.choices(list(PROBLEM_WEIGHTS), PROBLEM_WEIGHTS.values())[0]
            case = services.open_case(
                organisation=org,
                migrant=migrant,
                problem_type=problem,
                by=caseworker,
                assignee=caseworker if index % 4 else None,
                **self._facts(problem, today, rng),
            )
            self._progress(case, index, caseworker, supervisor)
        return CASES_PER_ORG

    def _facts(self, problem: str, today, rng: random.Random) -> dict:
        facts = {"arrival_date": today - timedelta(days=rng.randint(1, 400))}
        if problem == Case.ProblemType.UNPAID_WAGES:
            facts |= {
                "employer_name": rng.choice(EMPLOYERS),
                "amount_owed": rng.choice([35000, 60000, 120000, 180000]),
                "wage_period_start": today - timedelta(days=rng.randint(60, 120)),
                "wage_period_end": today - timedelta(days=rng.randint(1, 30)),
            }
        elif problem == Case.ProblemType.DOCUMENTS_CONFISCATED:
            facts |= {
                "passport_holder": rng.choice(["employer", "intermediary", "landlord"]),
                "passport_held_since": today - timedelta(days=rng.randint(5, 90)),
                "employer_name": rng.choice(EMPLOYERS),
            }
        elif problem == Case.ProblemType.REENTRY_BAN:
            facts |= {
                "ban_start_date": today - timedelta(days=rng.randint(30, 900)),
                "ban_duration_years": rng.choice([3, 5, 10]),
                "ban_reason": "Two administrative offences (registration)",
            }
        elif problem == Case.ProblemType.REGISTRATION:
            facts["arrival_date"] = today - timedelta(days=rng.randint(0, 6))
        elif problem == Case.ProblemType.PATENT:
            facts["patent_issue_date"] = today - timedelta(days=rng.randint(20, 300))
        elif problem == Case.ProblemType.DETENTION:
            facts["detention_date"] = today - timedelta(days=rng.randint(0, 20))
        return facts

    def _progress(self, case: Case, index: int, caseworker: User, supervisor: User) -> None:
        """Move some cases along so the dashboard and statistics have something to show."""
        if index % 3 == 0:
            return
        services.change_status(case=case, to=Case.Status.IN_PROGRESS, by=caseworker)
        services.add_note(
            case=case, text="First consultation held; documents reviewed.", by=caseworker
        )
        if index % 5 == 0:
            services.change_status(case=case, to=Case.Status.WAITING_EMPLOYER, by=caseworker)
        if index % 7 == 0:
            outcome = ["resolved", "partly_resolved", "referred", "lost_contact"][index % 4]
            services.close_case(case=case, outcome=outcome, by=supervisor)

    def _print_logins(self, orgs: list[Organisation], superuser: User, created: int) -> None:
        self.stdout.write(
            f"Demo data ready ({created} new cases). Logins (password: {DEMO_PASSWORD}):"
        )
        for org in orgs:
            for role in ROLES:
                self.stdout.write(f"  {org.slug}_{role:<12} {org.name} — {role}")
        self.stdout.write(f"  {superuser.username:<16} platform admin (Django admin at /admin/)")
