"""Two organisations, their staff, and a canary migrant whose identifiers must never leak."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from cases import services
from cases.models import Deadline, Membership, Organisation, Reminder

CANARY_PASSPORT = "ZZ9999999CANARY"
CANARY_PHONE = "+992 93 999 1234"
CANARY_PHONE_E164 = "+992939991234"
CANARY_NAME = "Canaryjon Qanoatov"
CANARY_NAME_CYR = "Канарҷон Қаноатов"
CANARY_EMAIL = "canary.qanoatov@example.org"
CANARY_TOKENS = [CANARY_PASSPORT, CANARY_PHONE_E164, CANARY_NAME, CANARY_NAME_CYR, CANARY_EMAIL]
XSS_NAME = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


def make_user(django_user_model, username: str, **extra):
    return django_user_model.objects.create_user(
        username=username, password="correct horse battery", **extra
    )


@pytest.fixture
def org_a(db):
    return Organisation.objects.create(name="Org A", slug="org-a", code="ORGA")


@pytest.fixture
def org_b(db):
    return Organisation.objects.create(name="Org B", slug="org-b", code="ORGB")


def member(user, org, role=Membership.Role.CASEWORKER, **flags):
    return Membership.objects.create(user=user, organisation=org, role=role, **flags)


@pytest.fixture
def worker_a(django_user_model, org_a):
    user = make_user(django_user_model, "worker_a")
    member(user, org_a)
    return user


@pytest.fixture
def admin_a(django_user_model, org_a):
    user = make_user(django_user_model, "admin_a")
    member(user, org_a, Membership.Role.ADMIN)
    return user


@pytest.fixture
def admin_b(django_user_model, org_b):
    user = make_user(django_user_model, "admin_b")
    member(user, org_b, Membership.Role.ADMIN)
    return user


def seed_canary(org, by, *, problem_type="trafficking"):
    migrant = services.create_migrant(
        organisation=org,
        by=by,
        full_name_latin=CANARY_NAME,
        full_name_cyrillic=CANARY_NAME_CYR,
        citizenship="TJ",
        phone=CANARY_PHONE,
        email=CANARY_EMAIL,
        passport_number=CANARY_PASSPORT,
        preferred_language="tg",
        date_of_birth=date(1990, 5, 17),
    )
    case = services.open_case(
        organisation=org,
        migrant=migrant,
        problem_type=problem_type,
        by=by,
        summary=f"Met {CANARY_NAME} at the market; call {CANARY_PHONE_E164}.",
        employer_name="OOO Stroy",
        host_address="Moscow, Lenina 1",
    )
    services.add_note(case=case, text=f"Passport {CANARY_PASSPORT} held by employer", by=by)
    deadline = Deadline.objects.create(
        case=case, key="registration", title="Registration", due_date=date(2030, 1, 1)
    )
    Reminder.objects.create(
        deadline=deadline,
        audience=Reminder.Audience.MIGRANT,
        offset_days=1,
        send_at=timezone.now() + timezone.timedelta(days=3),
    )
    return migrant, case


@pytest.fixture
def canary_b(org_b, admin_b):
    """The canary lives in organisation B: org A's staff must never see it."""
    return seed_canary(org_b, admin_b)


@pytest.fixture
def canary_a(org_a, admin_a):
    return seed_canary(org_a, admin_a)


def verified_login(client, user):
    """Log in and pass the second factor, as a real session would after the code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return device
