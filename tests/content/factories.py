"""Small builders for the rules tests (real models, real database)."""

from __future__ import annotations

import itertools

from accounts.models import User
from cases import services
from cases.models import Membership, Organisation
from content import calendardata, calendars, rulesdata, rulesets
from content import services as content_services

_counter = itertools.count(1)


def load_shipped_rules():
    calendardata.import_decrees(calendardata.read_dir())
    return content_services.import_rules(rulesdata.read_dir())


def organisation(code: str | None = None) -> Organisation:
    n = next(_counter)
    code = code or f"T{chr(65 + n % 26)}{chr(65 + (n // 26) % 26)}"
    return Organisation.objects.create(name=f"Org {n}", slug=f"org-{n}", code=code)


def member(org: Organisation, role: str = Membership.Role.CASEWORKER) -> User:
    user = User.objects.create_user(username=f"user{next(_counter)}", password="pw-123456789")
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


def open_case(org, user, *, citizenship="TJ", problem_type="registration", **facts):
    migrant = services.create_migrant(
        organisation=org, by=user, full_name_latin="Test Person", citizenship=citizenship
    )
    return services.open_case(
        organisation=org, migrant=migrant, problem_type=problem_type, by=user, **facts
    )


def edit_rules(queryset, **values) -> None:
    """Change rule rows in bulk as a test shortcut, and the rules version with them, as every
    administrator's edit does (a queryset update sends no signal)."""
    queryset.update(**values)
    rulesets.bump_rules_version()


def decrees_from_files(entries: list[dict], *, country: str = "RU") -> tuple[calendars.Decree, ...]:
    """The engine's decrees of one country from the shipped files (no database)."""
    return tuple(
        calendars.Decree(
            year=e["year"],
            number=str(e["number"]),
            signed_on=e["signed_on"],
            days=tuple((d["day"], d["working"]) for d in e.get("days") or []),
        )
        for e in entries
        if e.get("country", "RU") == country
    )
