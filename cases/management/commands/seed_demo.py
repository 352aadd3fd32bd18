"""Demo organisations, users for every role and 60+ realistic migrants and cases (idempotent)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from accounts.models import User
from cases import calls, consent, services
from cases.models import Call, Case, Consent, Deadline, Membership, Organisation, TimelineEvent

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
        ("Muhammadjon Qurbonov", "Мухаммаджон Курбонов", "male"),
        ("Nilufar Hasanova", "Нилуфар Хасанова", "female"),
        ("Farrukh Ismoilov", "Фаррух Исмоилов", "male"),
        ("Sitora Nazarova", "Ситора Назарова", "female"),
        ("Davron Sharifov", "Даврон Шарифов", "male"),
        ("Abdulloh Rahmonov", "Абдуллох Рахмонов", "male"),
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
        ("Oʻtkir Xoliqov", "Уткир Холиков", "male"),
        ("Feruza Gʻafurova", "Феруза Гафурова", "female"),
        ("Bobur Mirzayev", "Бобур Мирзаев", "male"),
        ("Shahnoza Rashidova", "Шахноза Рашидова", "female"),
    ],
    "KG": [
        ("Aibek Toktogulov", "Айбек Токтогулов", "male"),
        ("Aizhan Mamatova", "Айжан Маматова", "female"),
        ("Nurlan Asanov", "Нурлан Асанов", "male"),
        ("Cholpon Sydykova", "Чолпон Сыдыкова", "female"),
        ("Bakyt Zhumabaev", "Бакыт Жумабаев", "male"),
        ("Gulzat Osmonova", "Гулзат Осмонова", "female"),
        ("Ermek Kadyrov", "Эрмек Кадыров", "male"),
        ("Nurbek Abdyldaev", "Нурбек Абдылдаев", "male"),
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
CASES_PER_ORG = 40
# The hotline: calls over the same months, most from people without a case (yet).
CALLS_PER_ORG = 60
CALL_OUTCOMES = {"advice": 10, "referred": 3, "callback": 3, "dropped": 1}
CITIES = {
    "msk": ["Moscow", "Podolsk", "Balashikha", "Khimki", "Lyubertsy"],
    "ekb": ["Yekaterinburg", "Chelyabinsk", "Nizhny Tagil", "Kamensk-Uralsky"],
}
PASSPORT_PREFIX = {"TJ": "400", "UZ": "FA", "KG": "AC"}
URGENT_PROBLEMS = {Case.ProblemType.TRAFFICKING, Case.ProblemType.DETENTION}
SUMMARIES = {
    Case.ProblemType.UNPAID_WAGES: gettext_noop(
        "Worked on a building site; the foreman stopped paying."
    ),
    Case.ProblemType.DOCUMENTS_CONFISCATED: gettext_noop(
        "Passport kept 'for safekeeping' by the employer."
    ),
    Case.ProblemType.REENTRY_BAN: gettext_noop(
        "Learned of a ban at the border; wants to check the reason."
    ),
    Case.ProblemType.REGISTRATION: gettext_noop("Host refuses to register the stay."),
    Case.ProblemType.PATENT: gettext_noop("Patent payment missed by a few days."),
    Case.ProblemType.TRAFFICKING: gettext_noop(
        "Recruited for a farm; cannot leave; phone checked daily."
    ),
    Case.ProblemType.DETENTION: gettext_noop("Stopped in the metro; asked to pay to be let go."),
}
DEADLINE_TITLES = [
    gettext_noop("Submit the wage claim to the labour inspectorate"),
    gettext_noop("Register the stay with the migration office"),
    gettext_noop("Pay the patent advance"),
    gettext_noop("Collect the police report"),
    gettext_noop("File the appeal against the ban"),
]
# The language the demo organisations' people write their notes in (their members' UI language):
# the demo texts above are msgids, written into the database in that language.
DEMO_LANGUAGE = {"msk": "en", "ekb": "ru"}
# One supervisor works for both organisations (to show the organisation switcher).
NETWORK_USER = "network_supervisor"


class Command(BaseCommand):
    help = "Create demo organisations, users and realistic migrants and cases (safe to re-run)."

    def handle(self, *args, **options):
        rng = random.Random(2026)  # noqa: S311 — deterministic demo data
        with transaction.atomic():
            superuser = self._user("platform", is_superuser=True)
            orgs = [self._organisation(spec) for spec in ORGANISATIONS]
            network = self._user(NETWORK_USER)
            for org in orgs:
                Membership.objects.get_or_create(
                    user=network, organisation=org, defaults={"role": Membership.Role.SUPERVISOR}
                )
            User.objects.filter(username="ekb_caseworker").update(language="ru")
            Membership.objects.filter(user__username__in=["msk_admin", "ekb_admin"]).update(
                can_reveal_identifiers=True
            )
            created = 0
            for org in orgs:
                with translation.override(DEMO_LANGUAGE.get(org.slug, "en")):
                    created += self._cases(org, rng)
                    self._calls(org, rng)
            with translation.override(DEMO_LANGUAGE.get(orgs[0].slug, "en")):
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

        title = gettext("Appointment at the migration centre")
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
        # Every name once per organisation, mixed; some people come back with a second case.
        people = [(cit, *name) for cit, names in NAMES.items() for name in names]
        rng.shuffle(people)
        migrants: list = []
        for index in range(CASES_PER_ORG):
            if index % 9 == 8 and migrants:
                migrant = rng.choice(migrants)
            else:
                migrant = self._migrant(
                    org, caseworker, people[index % len(people)], rng, today, index
                )
                migrants.append(migrant)
            consent.give_consent(
                migrant=migrant, channel=Consent.Channel.SMS, by=caseworker, method="in_person"
            )
            problem = rng.choices(list(PROBLEM_WEIGHTS), PROBLEM_WEIGHTS.values())[0]
            # Migrants come with several problems at once: unpaid wages often with the passport.
            others = self._other_problems(problem, index)
            facts: dict = {}
            for each in (*others, problem):
                facts |= self._facts(each, today, rng)
            case = services.open_case(
                organisation=org,
                migrant=migrant,
                problem_type=problem,
                other_problem_types=others,
                by=caseworker,
                assignee=caseworker if index % 4 else None,
                priority="urgent" if problem in URGENT_PROBLEMS else "normal",
                summary=gettext(SUMMARIES[problem]) if problem in SUMMARIES else "",
                **facts,
            )
            # Spread the caseload over the last months (the list sorts by opening date).
            opened = timezone.now() - timedelta(days=rng.randint(0, 120), hours=rng.randint(0, 9))
            Case.objects.filter(pk=case.pk).update(opened_at=opened)
            case.timeline.update(created_at=opened)
            case.refresh_from_db()
            self._progress(case, index, caseworker, supervisor)
            case.refresh_from_db()
            # What happened next happened soon after the case was opened, not today.
            case.timeline.exclude(kind="opened").filter(
                created_at__gt=case.opened_at + timedelta(days=2)
            ).update(created_at=case.opened_at + timedelta(days=1, hours=rng.randint(0, 8)))
            self._deadline(case, index, today, caseworker)
        return CASES_PER_ORG

    def _calls(self, org: Organisation, rng: random.Random) -> None:
        if org.calls.exists():
            return
        caseworker = User.objects.get(username=f"{org.slug}_caseworker")
        cases = list(org.cases.select_related("migrant").order_by("pk"))
        for index in range(CALLS_PER_ORG):
            case = rng.choice(cases) if cases and index % 3 == 0 else None
            citizenship = case.migrant.citizenship if case else rng.choice(["TJ", "UZ", "KG"])
            language = LANGUAGE_BY_CITIZENSHIP.get(citizenship, "ru")
            language = language if rng.random() < 0.7 else "ru"
            topics = rng.choices(list(PROBLEM_WEIGHTS), PROBLEM_WEIGHTS.values(), k=index % 3 + 1)
            outcome = rng.choices(list(CALL_OUTCOMES), CALL_OUTCOMES.values())[0]
            call = calls.log_call(
                organisation=org,
                by=caseworker,
                case=case,
                language=language,
                topics=topics,
                outcome=Call.Outcome.ADDED_TO_CASE if case else outcome,
                line=Call.Line.HOTLINE if index % 5 else Call.Line.OFFICE,
                received_at=timezone.now()
                - timedelta(days=rng.randint(0, 120), hours=rng.randint(0, 9)),
            )
            # The case's "Call logged" line at the time of the call, not of the seeding.
            case_lines = TimelineEvent.objects.filter(kind=TimelineEvent.Kind.CALL)
            case_lines.filter(data__call=call.pk).update(created_at=call.received_at)

    def _migrant(self, org, by, person, rng: random.Random, today, index: int):
        citizenship, latin, cyrillic, gender = person
        # About one in eight: an employer may read this phone (safe-contact rules apply).
        controlled = rng.random() < 0.12 or index % 8 == 5
        return services.create_migrant(
            organisation=org,
            by=by,
            full_name_latin=latin,
            full_name_cyrillic=cyrillic,
            gender=gender,
            citizenship=citizenship,
            date_of_birth=today - timedelta(days=rng.randint(19 * 365, 50 * 365)),
            phone=f"{PHONE_PREFIX[citizenship]}{rng.randint(1000000, 9999999)}",
            phone_secondary=(
                f"+79{rng.randint(100000000, 999999999)}" if rng.random() < 0.4 else ""
            ),
            telegram=f"@{latin.split()[0].lower()}{rng.randint(10, 99)}"
            if rng.random() < 0.5
            else "",
            preferred_language=LANGUAGE_BY_CITIZENSHIP[citizenship],
            region=rng.choice(REGIONS[org.slug]),
            city=rng.choice(CITIES[org.slug]),
            sector=rng.choice(["construction", "trade", "services", "transport"]),
            phone_controlled=controlled,
            safe_call_time=gettext("after 20:00, Sundays") if controlled else "",
            do_not_contact=["sms"] if controlled else [],
            safe_contact_notes=(
                gettext("Call only from the hotline number; ask for 'Karim'.") if controlled else ""
            ),
            passport_number=(
                f"{PASSPORT_PREFIX[citizenship]}{rng.randint(1000000, 9999999)}"
                if rng.random() < 0.7
                else ""
            ),
        )

    def _deadline(self, case: Case, index: int, today, by: User) -> None:
        """A few caseworker-added deadlines so the dashboard shows overdue and due-soon work."""
        if case.is_closed or index % 3:
            return
        offset = [-3, -1, 1, 2, 5, 6, 12][index % 7]
        Deadline.objects.get_or_create(
            case=case,
            key=f"manual-demo-{case.pk}",
            defaults={
                "kind": Deadline.Kind.MANUAL,
                "title": gettext(DEADLINE_TITLES[index % len(DEADLINE_TITLES)]),
                "due_date": today + timedelta(days=offset),
                "created_by": by,
            },
        )

    @staticmethod
    def _other_problems(problem: str, index: int) -> tuple[str, ...]:
        if problem == Case.ProblemType.UNPAID_WAGES and index % 3 == 0:
            return (Case.ProblemType.DOCUMENTS_CONFISCATED,)
        if problem == Case.ProblemType.DOCUMENTS_CONFISCATED and index % 4 == 0:
            return (Case.ProblemType.REGISTRATION,)
        return ()

    def _facts(self, problem: str, today, rng: random.Random) -> dict:
        facts = {"arrival_date": today - timedelta(days=rng.randint(1, 400))}
        if problem == Case.ProblemType.UNPAID_WAGES:
            facts |= {
                "employer_name": rng.choice(EMPLOYERS),
                "amount_owed": rng.choice([35000, 60000, 120000, 180000]),
                "wage_period_start": today - timedelta(days=rng.randint(60, 120)),
                "wage_period_end": today - timedelta(days=rng.randint(1, 30)),
                # The limitation date (Labour Code art. 392) counts from the pay day.
                "extra_facts": {"wage_due_date": str(today - timedelta(days=rng.randint(20, 50)))},
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
                "ban_reason": gettext("Two administrative offences (registration)"),
            }
        elif problem == Case.ProblemType.REGISTRATION:
            facts["arrival_date"] = today - timedelta(days=rng.randint(0, 6))
            obstacles = rng.sample(["employer_refused", "landlord_refused", "no_valid_card"], 2)
            facts["extra_facts"] = {"registration_obstacle": obstacles, "migration_card": "valid"}
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
            case=case, text=gettext("First consultation held; documents reviewed."), by=caseworker
        )
        if index % 5 == 0:
            services.change_status(case=case, to=Case.Status.WAITING_EMPLOYER, by=caseworker)
            if index % 10 == 0:
                # Waiting for weeks: shows under "waiting too long" on the dashboard.
                since = timezone.now() - timedelta(days=20 + index % 9)
                case.timeline.filter(kind="status").update(created_at=since)
                Case.objects.filter(pk=case.pk, opened_at__gt=since).update(
                    opened_at=since - timedelta(days=6)
                )
                case.timeline.filter(kind="opened").update(created_at=since - timedelta(days=6))
        if index % 4 == 1:
            services.add_task(
                case=case,
                title=gettext("Call the migrant back with the employer's answer"),
                by=caseworker,
                due_date=timezone.localdate() + timedelta(days=index % 5),
            )
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
        self.stdout.write(f"  {NETWORK_USER:<16} supervisor in both organisations")
        self.stdout.write(f"  {superuser.username:<16} platform admin (Django admin at /admin/)")
