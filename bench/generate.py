"""Deterministic synthetic data: organisations, users, migrants, cases, checklist items,
deadlines, reminders and deliveries, with distributions taken from shared/domain/FACTS.md.

Same seed, same data. Built for volume: rows are made in memory in batches and written with
PostgreSQL `COPY` (ids reserved from the table's sequence first), or `bulk_create` on SQLite —
no per-row service calls, no history rows, no planning. Case numbers are unique per
organisation and continue the organisation's own sequence for the current year.

    python -m bench.generate --cases 100000 --organisations 10 --seed 1
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

# --- distributions (each cites FACTS.md) ----------------------------------------------------

# Caseload by citizenship: Tajik, Uzbek, Kyrgyz first (§5.6 "Origin (focus)"); the small
# shares of other CIS countries (§5.6) make the small cells that suppression must hide.
CITIZENSHIP = {"TJ": 48, "UZ": 30, "KG": 18, "KZ": 1, "AZ": 1, "MD": 1, "UA": 1}
# Share of men by citizenship (§5.8): "between 60-90%" for Tajikistan and Uzbekistan,
# "almost half ... from Kyrgyzstan are female".
MALE_SHARE = {"TJ": 0.80, "UZ": 0.78, "KG": 0.52}
MALE_SHARE_OTHER = 0.70
# Problem types (§1, the P01..P10 codes mapped onto Case.ProblemType): unpaid wages dominate
# NGO complaints (P01: "90% of complaints" at Tajikistan Fund; weighted down for a general NGO).
PROBLEMS = {
    "unpaid_wages": 25,
    "registration": 18,
    "patent": 14,
    "documents_confiscated": 13,
    "reentry_ban": 10,
    "detention": 9,
    "other": 6,
    "trafficking": 5,
}
# Regions of stay (§5.7): Central Federal District "nearly 43 per cent" (Moscow + oblast), then
# the cities named: St Petersburg, Yekaterinburg, Samara, Astrakhan, Siberia, the Far East.
REGIONS = {
    "Moscow": 30,
    "Moscow Oblast": 13,
    "Saint Petersburg": 15,
    "Leningrad Oblast": 4,
    "Sverdlovsk Oblast": 10,
    "Samara Oblast": 5,
    "Astrakhan Oblast": 3,
    "Krasnoyarsk Krai": 5,
    "Novosibirsk Oblast": 5,
    "Sakhalin Oblast": 2,
    "Chelyabinsk Oblast": 4,
    "Tatarstan": 4,
}
# Sectors (§5.9): construction "over 40 per cent"; shuttle trade/stores; street sweepers and
# cleaning; drivers 6%; agriculture 6%; oil and gas 6%.
SECTORS = {
    "construction": 41,
    "trade": 15,
    "services": 12,
    "housing": 8,
    "transport": 8,
    "agriculture": 6,
    "industry": 6,
    "domestic": 3,
    "other": 1,
}
# Table 4.2 (§5.2), as printed (sums to 99.8; drawn proportionally).
MIGRATION_CARD = {"valid": 54.3, "expired": 10.2, "forged": 31.7, "lost": 1.6, "never": 2.0}
# Table 4.3 (§5.3), as printed (sums to 102.8; one reason per migrant, drawn proportionally).
REGISTRATION_OBSTACLE = {
    "not_aware": 11.6,
    "did_not_know_how": 22.0,
    "employer_refused": 8.8,
    "landlord_refused": 6.6,
    "no_valid_card": 14.8,
    "agency_not_found": 39.0,
}
# §5.5: "about 900 thousand out of 1.3 million Tajik migrants were registered" (70%). The
# unregistered are asked Table 4.3's question, as are all registration-problem cases.
UNREGISTERED_SHARE = 0.30
OUTCOMES = {
    "resolved": 45,
    "partly_resolved": 20,
    "referred": 13,
    "not_resolved": 12,
    "lost_contact": 10,
}
CHANNELS = {"sms": 60, "telegram": 30, "email": 10}
DELIVERY_FAILURE = 0.08
LANGUAGE = {"TJ": "tg", "UZ": "uz", "KG": "ky"}
PHONE_PREFIX = {"TJ": "+99293", "UZ": "+99890", "KG": "+99655"}
PASSPORT_PREFIX = {"TJ": "A", "UZ": "AA", "KG": "AC"}
DOCUMENTS = ["passport", "migration_card", "registration_slip", "patent", "labour_contract"]
EMPLOYERS = ["OOO StroyMontazh", "OOO Fruktovy Ryad", "IP Ivanov", "OOO ChistyGorod"]

# Given names (Latin spellings as in passports, with common variants) and Cyrillic forms.
# Surnames take -ov/-ova, -ev/-eva (§ names in both scripts; spellings as in seed_demo).
GIVEN = {
    ("TJ", "male"): [
        (("Rustam",), "Рустам"),
        (("Jamshed", "Dzhamshed", "Djamshed"), "Джамшед"),
        (("Khurshed", "Hurshed"), "Хуршед"),
        (("Shokhrukh", "Shohruh"), "Шохрух"),
        (("Firdavs",), "Фирдавс"),
        (("Suhrob", "Sukhrob"), "Сухроб"),
        (("Parviz",), "Парвиз"),
        (("Umed",), "Умед"),
    ],
    ("TJ", "female"): [
        (("Zarina",), "Зарина"),
        (("Manizha", "Manija"), "Манижа"),
        (("Dilnoza",), "Дилноза"),
        (("Nigina",), "Нигина"),
    ],
    ("UZ", "male"): [
        (("Sherzod",), "Шерзод"),
        (("Dilshod",), "Дилшод"),
        (("Jasur", "Zhasur"), "Жасур"),
        (("Otabek",), "Отабек"),
        (("Sanjar", "Sanzhar"), "Санжар"),
        (("Akmal",), "Акмал"),
    ],
    ("UZ", "female"): [
        (("Gulnora", "Gulnara"), "Гулнора"),
        (("Nodira",), "Нодира"),
        (("Malika",), "Малика"),
    ],
    ("KG", "male"): [
        (("Aibek", "Aybek"), "Айбек"),
        (("Nurlan",), "Нурлан"),
        (("Bakyt", "Bakit"), "Бакыт"),
        (("Azamat",), "Азамат"),
    ],
    ("KG", "female"): [
        (("Aizhan", "Aijan", "Ayzhan"), "Айжан"),
        (("Cholpon",), "Чолпон"),
        (("Gulzat",), "Гулзат"),
        (("Aigerim",), "Айгерим"),
    ],
}
SURNAME_STEMS = {
    "TJ": [
        (("Nazar",), "Назар"),
        (("Rahim", "Rakhim"), "Рахим"),
        (("Karim",), "Карим"),
        (("Davlat",), "Давлат"),
        (("Sharip", "Sharif"), "Шарип"),
        (("Kurbon", "Qurbon"), "Курбон"),
        (("Mirzo",), "Мирзо"),
        (("Safar",), "Сафар"),
    ],
    "UZ": [
        (("Toshmat",), "Тошмат"),
        (("Yusup", "Yusuf"), "Юсуп"),
        (("Ismoil", "Ismail"), "Исмоил"),
        (("Nemat", "Nematov"), "Немат"),
        (("Ergash",), "Эргаш"),
        (("Xasan", "Khasan", "Hasan"), "Хасан"),
    ],
    "KG": [
        (("Toktogul",), "Токтогул"),
        (("Mamat",), "Мамат"),
        (("Asan",), "Асан"),
        (("Sydyk",), "Сыдык"),
        (("Osmon",), "Осмон"),
        (("Zhumabai", "Jumabai"), "Жумабай"),
    ],
}


class Picker:
    """Weighted choice with precomputed cumulative weights (fast for millions of draws)."""

    def __init__(self, weights: dict):
        self.values = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random):
        return self.values[bisect(self.cumulative, rng.random() * self.total)]


_PICK = {
    "citizenship": Picker(CITIZENSHIP),
    "problem": Picker(PROBLEMS),
    "region": Picker(REGIONS),
    "sector": Picker(SECTORS),
    "card": Picker(MIGRATION_CARD),
    "obstacle": Picker(REGISTRATION_OBSTACLE),
    "outcome": Picker(OUTCOMES),
    "channel": Picker(CHANNELS),
}


@dataclass
class Summary:
    organisations: int = 0
    users: int = 0
    migrants: int = 0
    cases: int = 0
    checklist_items: int = 0
    deadlines: int = 0
    reminders: int = 0
    deliveries: int = 0
    organisation_ids: list[int] = field(default_factory=list)


def _letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _name(rng: random.Random, citizenship: str, gender: str) -> tuple[str, str]:
    group = citizenship if citizenship in SURNAME_STEMS else "TJ"
    sex = "female" if gender == "female" else "male"
    given_latin, given_cyr = rng.choice(GIVEN[(group, sex)])
    stem_latin, stem_cyr = rng.choice(SURNAME_STEMS[group])
    latin_stem = rng.choice(stem_latin)
    ending_latin = "" if latin_stem.endswith("ov") else ("ova" if sex == "female" else "ov")
    ending_cyr = "ова" if sex == "female" else "ов"
    latin = f"{rng.choice(given_latin)} {latin_stem}{ending_latin}"
    return latin, f"{given_cyr} {stem_cyr}{ending_cyr}"


def generate(
    *,
    cases: int,
    organisations: int = 3,
    seed: int = 1,
    batch_size: int = 5000,
    years: int = 3,
    today: date | None = None,
    checklist_per_case: int = 3,
    reminders: bool = True,
    shares: Sequence[float] | None = None,
    progress=None,
) -> Summary:
    """Create `cases` cases spread over `organisations` organisations (evenly, or by relative
    `shares`, one per organisation). Same seed, same data."""
    from django.db import transaction
    from django.utils import timezone

    from cases.models import Organisation

    rng = random.Random(seed)
    today = today or timezone.localdate()
    summary = Summary()
    with transaction.atomic():
        orgs = [_organisation(seed, i) for i in range(organisations)]
        users = {org.pk: _users(org, seed, max(1, cases // organisations // 300)) for org in orgs}
    pick_org = Picker({i: w for i, w in enumerate(shares or [1] * organisations)})
    summary.organisations = len(orgs)
    summary.users = sum(len(u) for u in users.values())
    summary.organisation_ids = [org.pk for org in orgs]
    sequences: dict[tuple[int, int], int] = {}
    for org in orgs:
        for year in range(today.year - years - 1, today.year + 1):
            sequences[(org.pk, year)] = org.cases.filter(
                number__startswith=f"{org.code}-{year}-"
            ).count()
    done = 0
    while done < cases:
        size = min(batch_size, cases - done)
        with transaction.atomic():
            _batch(
                rng,
                size,
                orgs,
                pick_org,
                users,
                sequences,
                today,
                years,
                checklist_per_case,
                reminders,
                summary,
            )
        done += size
        if progress:
            progress(done)
    with transaction.atomic():
        for org in orgs:
            # open_case continues after the generated numbers of the current year.
            current = sequences[(org.pk, today.year)]
            Organisation.objects.filter(pk=org.pk).update(
                case_year=today.year, case_sequence=current
            )
    return summary


def _organisation(seed: int, index: int):
    from cases.models import Organisation

    code = f"SY{_letters(seed % 676)}{_letters(index)}"[:8]
    org, _ = Organisation.objects.get_or_create(
        slug=f"synthetic-{seed}-{index}",
        defaults={"name": f"Synthetic NGO {seed}-{index + 1}", "code": code},
    )
    return org


def _users(org, seed: int, caseworkers: int) -> list:
    from accounts.models import User
    from cases.models import Membership

    specs = [("admin", Membership.Role.ADMIN), ("supervisor", Membership.Role.SUPERVISOR)]
    specs += [(f"caseworker{i}", Membership.Role.CASEWORKER) for i in range(caseworkers)]
    result = []
    for name, role in specs:
        user, created = User.objects.get_or_create(username=f"syn{seed}-{org.code.lower()}-{name}")
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": role})
        result.append(user)
    return result


def _aware(day: date, rng: random.Random, zone) -> datetime:
    moment = datetime.combine(day, time(9)) + timedelta(minutes=rng.randint(0, 9 * 60))
    return moment.replace(tzinfo=zone)


def _batch(
    rng: random.Random,
    size: int,
    orgs: Sequence,
    pick_org: Picker,
    users: dict[int, list],
    sequences: dict[tuple[int, int], int],
    today: date,
    years: int,
    checklist_per_case: int,
    with_reminders: bool,
    summary: Summary,
) -> None:
    """One batch of rows, built as plain dicts of column values (no model instances: at a
    million cases their construction was most of the load time)."""
    from django.utils import timezone

    from cases import search
    from cases.fields import keyed_hash
    from cases.models import Case, CaseProblem, ChecklistItem, Deadline, Delivery, Migrant, Reminder

    span = years * 365
    now = timezone.now()
    zone = timezone.get_current_timezone()
    staff_ids = {org_id: [u.pk for u in staff] for org_id, staff in users.items()}
    migrants: list[dict] = []
    plans: list[tuple] = []
    serial = summary.migrants
    for _ in range(size):
        org = orgs[pick_org(rng)]
        citizenship = _PICK["citizenship"](rng)
        male = MALE_SHARE.get(citizenship, MALE_SHARE_OTHER)
        draw = rng.random()
        gender = "other" if draw > 0.995 else ("male" if draw < male else "female")
        latin, cyrillic = _name(rng, citizenship, gender)
        problem = _PICK["problem"](rng)
        opened_day = today - timedelta(days=rng.randrange(span))
        # Trafficking victims are "mostly aged 19-29" (§5.8); others centre on 32 (Kyrgyz mean).
        age = rng.randint(19, 29) if problem == "trafficking" else int(rng.gauss(32, 9))
        age = min(65, max(16, age))
        born = opened_day - timedelta(days=age * 365 + rng.randrange(365))
        serial += 1
        prefix = PHONE_PREFIX.get(citizenship, "+79")
        phone = f"+79{serial:09d}" if rng.random() < 0.6 else f"{prefix}{serial % 10**7:07d}"
        passport = f"{PASSPORT_PREFIX.get(citizenship, 'P')}{serial:08d}"
        migrants.append(
            {
                "organisation_id": org.pk,
                "full_name_latin": latin,
                "full_name_cyrillic": cyrillic,
                "search_names": search.index_names(latin, cyrillic),
                "date_of_birth": born,
                "gender": gender,
                "citizenship": citizenship,
                "phone": phone,
                "preferred_language": LANGUAGE.get(citizenship, "ru"),
                "region": _PICK["region"](rng),
                "sector": _PICK["sector"](rng),
                "passport_number": passport,
                "passport_number_hash": keyed_hash(passport),
            }
        )
        plans.append((org, problem, opened_day))
    _save(Migrant, migrants)
    summary.migrants += len(migrants)

    cases: list[dict] = []
    for migrant, (org, problem, opened_day) in zip(migrants, plans, strict=True):
        sequences[(org.pk, opened_day.year)] = sequences.get((org.pk, opened_day.year), 0) + 1
        number = f"{org.code}-{opened_day.year}-{sequences[(org.pk, opened_day.year)]:05d}"
        opened_at = _aware(opened_day, rng, zone)
        facts: dict = {"migration_card": _PICK["card"](rng)}
        if problem == "registration" or rng.random() < UNREGISTERED_SHARE:
            facts["registered"] = False
            facts["registration_obstacle"] = _PICK["obstacle"](rng)
        age_days = (today - opened_day).days
        closed_at, status, outcome = None, "new", ""
        if rng.random() < min(0.9, age_days / 150):
            duration = min(age_days, int(rng.lognormvariate(3.3, 0.8)))
            closed_at = min(now, opened_at + timedelta(days=duration, hours=rng.randint(0, 8)))
            status = "closed" if rng.random() < 0.8 else "resolved"
            outcome = _PICK["outcome"](rng)
        else:
            status = rng.choice(
                ["new", "in_progress", "in_progress", "waiting_migrant", "waiting_authority"]
            )
        staff = staff_ids[org.pk]
        case = {
            "organisation_id": org.pk,
            "number": number,
            "migrant_id": migrant["id"],
            "problem_type": problem,
            "status": status,
            "outcome": outcome,
            "assignee_id": staff[rng.randrange(len(staff))],
            "arrival_date": opened_day - timedelta(days=rng.randint(1, 300)),
            "extra_facts": facts,
            "opened_at": opened_at,
            "closed_at": closed_at,
        }
        if problem == "unpaid_wages":
            case["employer_name"] = rng.choice(EMPLOYERS)
            case["amount_owed"] = Decimal(rng.randrange(15_000, 240_000, 500))
        if problem == "documents_confiscated":
            case["passport_holder"] = rng.choice(["employer"] * 2 + ["intermediary", "landlord"])
        cases.append(case)
    _save(Case, cases)
    summary.cases += len(cases)  # and each case's one problem row, as open_case writes it:
    _save(CaseProblem, [{"case_id": c["id"], "problem_type": c["problem_type"]} for c in cases])

    items: list[dict] = []
    deadlines: list[dict] = []
    for case in cases:
        for position, code in enumerate(rng.sample(DOCUMENTS, k=min(checklist_per_case, 5))):
            state = rng.choice(["missing", "have", "have", "submitted"])
            items.append(
                {
                    "case_id": case["id"],
                    "key": code,
                    "document_code": code,
                    "state": state,
                    "position": position,
                }
            )
        due = case["opened_at"].date() + timedelta(days=rng.choice([7, 14, 30, 90]))
        closed = case["closed_at"] is not None
        deadlines.append(
            {
                "case_id": case["id"],
                "key": "main",
                "title": "Deadline",
                "due_date": due,
                "state": "met" if closed or (due < today and rng.random() < 0.7) else "open",
                "reminder_offsets": [3, 1],
            }
        )
    _save(ChecklistItem, items)
    _save(Deadline, deadlines)
    summary.checklist_items += len(items)
    summary.deadlines += len(deadlines)
    if not with_reminders:
        return
    reminders: list[dict] = []
    for deadline in deadlines:
        send_at = datetime.combine(deadline["due_date"] - timedelta(days=1), time(10)).replace(
            tzinfo=zone
        )
        if send_at > now:
            state = "scheduled"
        else:
            state = "failed" if rng.random() < DELIVERY_FAILURE else "sent"
        reminders.append(
            {
                "deadline_id": deadline["id"],
                "audience": "migrant",
                "offset_days": 1,
                "send_at": send_at,
                "state": state,
                "sent_at": send_at if state == "sent" else None,
                "attempts": 0 if state == "scheduled" else 1,
            }
        )
    _save(Reminder, reminders)
    deliveries = [
        {
            "reminder_id": r["id"],
            "organisation_id": case["organisation_id"],
            "channel": _PICK["channel"](rng),
            "state": "failed" if r["state"] == "failed" else "delivered",
            "attempts": 1,
            "sent_at": r["sent_at"],
            "error": "gateway timeout" if r["state"] == "failed" else "",
            # Statistics count deliveries by when they were tried, not when the generator ran.
            "created_at": r["send_at"],
        }
        for r, case in zip(reminders, cases, strict=True)
        if r["state"] != "scheduled"
    ]
    _save(Delivery, deliveries)
    summary.reminders += len(reminders)
    summary.deliveries += len(deliveries)


def _save(model, rows: list[dict]) -> None:
    """Insert rows given as {attname: value} (other columns take the field's default) and set
    each row's "id": COPY on PostgreSQL (ids reserved from the sequence), bulk_create elsewhere.
    A value given for an auto_now(_add) field is kept."""
    from django.db import connection

    if not rows:
        return
    if connection.vendor != "postgresql":
        _save_portable(model, rows)
        return
    from django.db.models import JSONField
    from django.utils import timezone

    from cases.fields import EncryptedTextField

    table = model._meta.db_table
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    spec = []  # (attname, converter for given values, the value when not given)
    for f in fields:
        convert = None
        if isinstance(f, JSONField):
            convert = json.dumps
        elif isinstance(f, EncryptedTextField):
            convert = f.get_prep_value
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default = now
        else:
            default = f.get_default()
            if convert is not None and default is not None:
                default = convert(default)
        spec.append((f.attname, convert, default))
    columns = ", ".join(connection.ops.quote_name(f.column) for f in [model._meta.pk, *fields])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row["id"] = pk
        with cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
        ) as copy:
            for row in rows:
                values = [row["id"]]
                for name, convert, default in spec:
                    if name in row:
                        value = row[name]
                        values.append(
                            convert(value) if convert is not None and value is not None else value
                        )
                    else:
                        values.append(default)
                copy.write_row(values)


def _save_portable(model, rows: list[dict]) -> None:
    """bulk_create, then put back the auto_now_add values the rows chose (SQLite tests)."""
    objects = [model(**row) for row in rows]
    model.objects.bulk_create(objects, batch_size=len(objects))
    for row, obj in zip(rows, objects, strict=True):
        row["id"] = obj.pk
    for auto_add in model._meta.concrete_fields:
        if not getattr(auto_add, "auto_now_add", False):
            continue
        chosen = []
        for row, obj in zip(rows, objects, strict=True):
            if row.get(auto_add.attname) is not None:
                setattr(obj, auto_add.attname, row[auto_add.attname])
                chosen.append(obj)
        if chosen:
            model.objects.bulk_update(chosen, [auto_add.name], batch_size=2000)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--organisations", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--no-reminders", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    import django

    django.setup()
    summary = generate(
        cases=args.cases,
        organisations=args.organisations,
        seed=args.seed,
        batch_size=args.batch_size,
        reminders=not args.no_reminders,
        progress=lambda n: print(f"{n} cases", flush=True),
    )
    print(summary)


if __name__ == "__main__":
    main()
