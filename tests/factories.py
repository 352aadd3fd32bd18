"""Plain helpers that build real rows for tests (no mocks): organisations, members, cases."""

from __future__ import annotations

import itertools
from datetime import date

from accounts.models import User
from cases import services
from cases.models import Case, Membership, Migrant, Organisation

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"  # noqa: S105 — test data only


def organisation(code: str | None = None, **fields) -> Organisation:
    n = next(_counter)
    code = code or "".join(chr(ord("A") + int(d)) for d in f"{n:03d}")
    return Organisation.objects.create(
        name=fields.pop("name", f"Org {code}"), slug=code.lower(), code=code, **fields
    )


def user(username: str | None = None, **fields) -> User:
    username = username or f"user{next(_counter)}"
    account = User(username=username, **fields)
    account.set_password(PASSWORD)
    account.save()
    return account


def member(org: Organisation, role: str = Membership.Role.CASEWORKER, **flags) -> User:
    account = user(f"{org.code.lower()}_{role}_{next(_counter)}")
    Membership.objects.create(user=account, organisation=org, role=role, **flags)
    return account


def migrant(org: Organisation, by: User, **values) -> Migrant:
    values.setdefault("full_name_latin", "Rustam Nazarov")
    values.setdefault("full_name_cyrillic", "Рустам Назаров")
    values.setdefault("citizenship", "TJ")
    values.setdefault("date_of_birth", date(1990, 5, 17))
    return services.create_migrant(organisation=org, by=by, **values)


def case(org: Organisation, by: User, person: Migrant | None = None, **values) -> Case:
    person = person or migrant(org, by)
    values.setdefault("problem_type", Case.ProblemType.UNPAID_WAGES)
    return services.open_case(organisation=org, migrant=person, by=by, **values)
