"""Fixtures for statistics tests: two organisations with admins and real, identifiable people."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from cases import services
from cases.models import Case, Membership, Organisation

# Every identifier the fixture stores; no export may contain one unless identifiers are allowed.
PEOPLE = [
    {
        "full_name_latin": "Zulfiya Qurbonova",
        "full_name_cyrillic": "Зульфия Курбонова",
        "phone": "+992931112233",
        "passport_number": "A77123456",
        "date_of_birth": date(1991, 3, 17),
        "citizenship": "TJ",
        "gender": "female",
        "region": "Sverdlovsk Oblast",
        "city": "Yekaterinburg",
    },
    {
        "full_name_latin": "Bakhtovar Sharipov",
        "full_name_cyrillic": "Бахтовар Шарипов",
        "phone": "+79161234567",
        "passport_number": "B55443322",
        "date_of_birth": date(1987, 11, 2),
        "citizenship": "TJ",
        "gender": "male",
        "region": "Moscow",
        "city": "Zelenograd",
    },
    {
        "full_name_latin": "Cholponai Asanbekova",
        "full_name_cyrillic": "Чолпонай Асанбекова",
        "phone": "+996555987654",
        "passport_number": "AC9988776",
        "date_of_birth": date(2001, 6, 30),
        "citizenship": "KG",
        "gender": "female",
        "region": '=HYPERLINK("http://x.test")',
        "city": "Balashikha",
    },
]
CASE_TEXT = {
    "employer_name": "OOO Tainstvennaya Stroika",
    "host_address": "ul. Sekretnaya 13, kv. 7",
    "summary": "Employer kept passport since March; brother Farrukh knows the address",
}


def identifiers() -> list[str]:
    values = []
    for person in PEOPLE:
        values += [
            person["full_name_latin"],
            person["full_name_cyrillic"],
            person["phone"],
            person["phone"][-9:],  # national part, in case a format drops the prefix
            person["passport_number"],
            person["date_of_birth"].isoformat(),
            person["date_of_birth"].strftime("%d.%m.%Y"),
            person["city"],
        ]
    values += list(CASE_TEXT.values()) + ["Farrukh"]
    return values


def _user(username: str, org: Organisation | None, role: str | None, **flags) -> User:
    user = User.objects.create_user(username=username, password="x" * 12)
    if org is not None:
        Membership.objects.create(user=user, organisation=org, role=role, **flags)
    return user


@pytest.fixture
def world(db):
    org_a = Organisation.objects.create(name="Org A", slug="org-a", code="ORGA")
    org_b = Organisation.objects.create(name="Org B", slug="org-b", code="ORGB")
    people = {
        "admin_a": _user("admin_a", org_a, Membership.Role.ADMIN),
        "admin_a_ids": _user(
            "admin_a_ids", org_a, Membership.Role.ADMIN, can_export_identifiers=True
        ),
        "caseworker_a": _user("caseworker_a", org_a, Membership.Role.CASEWORKER),
        "admin_b": _user("admin_b", org_b, Membership.Role.ADMIN),
        "caseworker_b": _user("caseworker_b", org_b, Membership.Role.CASEWORKER),
        "platform": User.objects.create_superuser("platform", password="x" * 12),
    }
    cases = []
    yesterday = timezone.localdate() - timedelta(days=1)
    for index, person in enumerate(PEOPLE):
        migrant = services.create_migrant(organisation=org_a, by=people["caseworker_a"], **person)
        for problem in ("unpaid_wages", "documents_confiscated")[: 1 + (index == 0)]:
            cases.append(
                services.open_case(
                    organisation=org_a,
                    migrant=migrant,
                    problem_type=problem,
                    by=people["caseworker_a"],
                    arrival_date=yesterday,
                    extra_facts={
                        "migration_card": "forged",
                        "registration_obstacle": "agency_not_found",
                    },
                    **CASE_TEXT,
                )
            )
            # Free text kept from before the facts were declared (the forms refuse it now):
            # exports must still never read it out.
            Case.objects.filter(pk=cases[-1].pk).update(
                extra_facts={**cases[-1].extra_facts, "note": "brother Farrukh knows"}
            )
    services.close_case(case=cases[0], outcome="resolved", by=people["caseworker_a"])
    other = services.create_migrant(
        organisation=org_b,
        by=people["caseworker_b"],
        full_name_latin="Other Person",
        citizenship="UZ",
        gender="male",
    )
    for _ in range(7):
        services.open_case(
            organisation=org_b,
            migrant=other,
            problem_type="registration",
            by=people["caseworker_b"],
        )
    return {"org_a": org_a, "org_b": org_b, "cases": cases, **people}


@pytest.fixture
def export_dir(settings, tmp_path):
    settings.STATS_EXPORT_DIR = tmp_path / "exports"
    return settings.STATS_EXPORT_DIR
