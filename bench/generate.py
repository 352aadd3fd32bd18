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
import json
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from bench.population import (
    DELIVERY_FAILURE,
    DOCUMENTS,
    EMPLOYERS,
    LANGUAGE,
    MALE_SHARE,
    MALE_SHARE_OTHER,
    PASSPORT_PREFIX,
    PHONE_PREFIX,
    PICK,
    UNREGISTERED_SHARE,
    Picker,
    person_name,
)


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
    run = _Run(
        rng=rng,
        orgs=orgs,
        pick_org=pick_org,
        staff_ids={org_id: [u.pk for u in staff] for org_id, staff in users.items()},
        sequences=sequences,
        today=today,
        years=years,
        checklist_per_case=checklist_per_case,
        summary=summary,
        now=timezone.now(),
        zone=timezone.get_current_timezone(),
    )
    done = 0
    while done < cases:
        size = min(batch_size, cases - done)
        with transaction.atomic():
            _batch(run, size, with_reminders=reminders)
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


@dataclass
class _Run:
    """What every batch of one generation shares."""

    rng: random.Random
    orgs: Sequence
    pick_org: Picker
    staff_ids: dict[int, list[int]]
    sequences: dict[tuple[int, int], int]
    today: date
    years: int
    checklist_per_case: int
    summary: Summary
    now: datetime
    zone: tzinfo

    def aware(self, day: date) -> datetime:
        moment = datetime.combine(day, time(9)) + timedelta(minutes=self.rng.randint(0, 9 * 60))
        return moment.replace(tzinfo=self.zone)


def _batch(run: _Run, size: int, *, with_reminders: bool) -> None:
    """One batch of rows, built as plain dicts of column values (no model instances: at a
    million cases their construction was most of the load time)."""
    from cases.models import (
        Case,
        CaseProblem,
        ChecklistItem,
        Deadline,
        Delivery,
        Migrant,
        Reminder,
    )

    migrants, plans = _migrant_rows(run, size)
    _save(Migrant, migrants)
    run.summary.migrants += len(migrants)
    cases = [_case_row(run, migrant, *plan) for migrant, plan in zip(migrants, plans, strict=True)]
    _save(Case, cases)
    run.summary.cases += len(cases)
    # Each case's one problem row, as open_case writes it.
    _save(CaseProblem, [{"case_id": c["id"], "problem_type": c["problem_type"]} for c in cases])
    items, deadlines = _plan_rows(run, cases)
    _save(ChecklistItem, items)
    _save(Deadline, deadlines)
    run.summary.checklist_items += len(items)
    run.summary.deadlines += len(deadlines)
    if not with_reminders:
        return
    reminders = _reminder_rows(run, deadlines)
    _save(Reminder, reminders)
    deliveries = _delivery_rows(run, reminders, cases)
    _save(Delivery, deliveries)
    run.summary.reminders += len(reminders)
    run.summary.deliveries += len(deliveries)


def _migrant_rows(run: _Run, size: int) -> tuple[list[dict], list[tuple]]:
    from cases import search
    from cases.fields import keyed_hash, phone_hashes

    rng, span = run.rng, run.years * 365
    migrants: list[dict] = []
    plans: list[tuple] = []
    serial = run.summary.migrants
    for _ in range(size):
        org = run.orgs[run.pick_org(rng)]
        citizenship = PICK["citizenship"](rng)
        male = MALE_SHARE.get(citizenship, MALE_SHARE_OTHER)
        draw = rng.random()
        gender = "other" if draw > 0.995 else ("male" if draw < male else "female")
        latin, cyrillic = person_name(rng, citizenship, gender)
        problem = PICK["problem"](rng)
        opened_day = run.today - timedelta(days=rng.randrange(span))
        # Trafficking victims are "mostly aged 19-29" (§5.8); others centre on 32 (Kyrgyz mean).
        age = rng.randint(19, 29) if problem == "trafficking" else int(rng.gauss(32, 9))
        age = min(65, max(16, age))
        born = opened_day - timedelta(days=age * 365 + rng.randrange(365))
        serial += 1
        prefix = PHONE_PREFIX.get(citizenship, "+79")
        phone = f"+79{serial:09d}" if rng.random() < 0.6 else f"{prefix}{serial % 10**7:07d}"
        passport = f"{PASSPORT_PREFIX.get(citizenship, 'P')}{serial:08d}"
        phone_hash, phone_tail_hash = phone_hashes(phone)
        migrants.append(
            {
                "organisation_id": org.pk,
                "full_name_latin": latin,
                "full_name_cyrillic": cyrillic,
                "search_names": search.index_names(latin, cyrillic),
                "date_of_birth": born,
                "birth_year": born.year,
                "gender": gender,
                "citizenship": citizenship,
                "phone": phone,
                "phone_hash": phone_hash,
                "phone_tail_hash": phone_tail_hash,
                "preferred_language": LANGUAGE.get(citizenship, "ru"),
                "region": PICK["region"](rng),
                "sector": PICK["sector"](rng),
                "passport_number": passport,
                "passport_number_hash": keyed_hash(passport),
            }
        )
        plans.append((org, problem, opened_day))
    return migrants, plans


def _case_row(run: _Run, migrant: dict, org, problem: str, opened_day: date) -> dict:
    rng = run.rng
    year_key = (org.pk, opened_day.year)
    run.sequences[year_key] = run.sequences.get(year_key, 0) + 1
    opened_at = run.aware(opened_day)
    facts: dict = {"migration_card": PICK["card"](rng)}
    if problem == "registration" or rng.random() < UNREGISTERED_SHARE:
        facts["registered"] = False
        facts["registration_obstacle"] = PICK["obstacle"](rng)
    age_days = (run.today - opened_day).days
    closed_at, status, outcome = None, "new", ""
    if rng.random() < min(0.9, age_days / 150):
        duration = min(age_days, int(rng.lognormvariate(3.3, 0.8)))
        closed_at = min(run.now, opened_at + timedelta(days=duration, hours=rng.randint(0, 8)))
        status = "closed" if rng.random() < 0.8 else "resolved"
        outcome = PICK["outcome"](rng)
    else:
        status = rng.choice(
            ["new", "in_progress", "in_progress", "waiting_migrant", "waiting_authority"]
        )
    staff = run.staff_ids[org.pk]
    case = {
        "organisation_id": org.pk,
        "number": f"{org.code}-{opened_day.year}-{run.sequences[year_key]:05d}",
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
        case["passport_holder"] = rng.choice(["employer", "employer", "intermediary", "landlord"])
    return case


def _plan_rows(run: _Run, cases: list[dict]) -> tuple[list[dict], list[dict]]:
    rng = run.rng
    items: list[dict] = []
    deadlines: list[dict] = []
    for case in cases:
        for position, code in enumerate(rng.sample(DOCUMENTS, k=min(run.checklist_per_case, 5))):
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
                "state": "met" if closed or (due < run.today and rng.random() < 0.7) else "open",
                "reminder_offsets": [3, 1],
            }
        )
    return items, deadlines


def _reminder_rows(run: _Run, deadlines: list[dict]) -> list[dict]:
    reminders: list[dict] = []
    for deadline in deadlines:
        send_at = datetime.combine(deadline["due_date"] - timedelta(days=1), time(10))
        send_at = send_at.replace(tzinfo=run.zone)
        if send_at > run.now:
            state = "scheduled"
        else:
            state = "failed" if run.rng.random() < DELIVERY_FAILURE else "sent"
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
    return reminders


def _delivery_rows(run: _Run, reminders: list[dict], cases: list[dict]) -> list[dict]:
    return [
        {
            "reminder_id": r["id"],
            "organisation_id": case["organisation_id"],
            "channel": PICK["channel"](run.rng),
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

    from cases.fields import Encrypted

    table = model._meta.db_table
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    spec = []  # (attname, converter for given values, the value when not given)
    for f in fields:
        convert = None
        if isinstance(f, JSONField):
            convert = json.dumps
        elif isinstance(f, Encrypted):
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
