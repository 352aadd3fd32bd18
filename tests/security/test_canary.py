"""S3/S12/S13: the canary's identifiers appear nowhere without permission; names are escaped."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services
from cases.models import Migrant
from cases.privacy import erasure
from tests.security.conftest import (
    CANARY_PASSPORT,
    CANARY_PHONE_E164,
    CANARY_TOKENS,
    XSS_NAME,
    verified_login,
)

pytestmark = pytest.mark.django_db


def test_passport_never_shown_without_reveal_permission(client, canary_a, worker_a, admin_a):
    migrant, case = canary_a
    for user in (worker_a, admin_a):  # neither has can_reveal_identifiers
        verified_login(client, user)
        pages = [reverse("cases:dashboard"), case.get_absolute_url()]
        if user is admin_a:
            pages += [reverse("audit:log"), reverse("privacy:panel", args=[migrant.pk])]
        for url in pages:
            body = client.get(url).content.decode()
            assert CANARY_PASSPORT not in body, url


def test_canary_absent_from_logs_and_mail(client, caplog, canary_a, admin_a, settings, tmp_path):
    caplog.set_level(logging.DEBUG)
    settings.EXPORTS_DIR = tmp_path
    migrant, case = canary_a
    client.post(reverse("login"), {"username": "admin_a", "password": "wrong password!!"})
    verified_login(client, admin_a)
    client.get(case.get_absolute_url())
    client.get(reverse("privacy:access_json", args=[migrant.pk]))
    client.get(reverse("privacy:access_pdf", args=[migrant.pk]))
    client.get(reverse("audit:log"))
    erasure.erase_migrant(migrant=migrant, by=admin_a)
    logged = caplog.text
    for token in CANARY_TOKENS:
        assert token not in logged
    for message in mail.outbox:
        text = message.subject + message.body
        assert CANARY_PASSPORT not in text and CANARY_PHONE_E164 not in text


def test_xss_in_names_and_notes_is_escaped(client, org_a, admin_a):
    with pytest.raises(ValidationError):  # refused as a name (cases.names)…
        services.create_migrant(
            organisation=org_a, by=admin_a, full_name_latin=XSS_NAME, citizenship="TJ"
        )
    migrant = services.create_migrant(
        organisation=org_a, by=admin_a, full_name_latin="Canary", citizenship="TJ"
    )
    # …but one stored before the rule (or by an import) must still be escaped everywhere.
    Migrant.objects.filter(pk=migrant.pk).update(full_name_latin=XSS_NAME)
    case = services.open_case(
        organisation=org_a, migrant=migrant, problem_type="patent", by=admin_a, summary=XSS_NAME
    )
    services.add_note(case=case, text=XSS_NAME, by=admin_a)
    from audit import services as audit

    audit.record(actor=admin_a, action="case.view", organisation=org_a, detail={"note": XSS_NAME})
    verified_login(client, admin_a)
    for url in [
        case.get_absolute_url(),
        reverse("cases:dashboard"),
        reverse("audit:log"),
        reverse("privacy:panel", args=[migrant.pk]),
    ]:
        response = client.get(url)
        body = response.content.decode()
        assert "<script>alert(2)</script>" not in body, url
        assert "<img src=x onerror" not in body, url
        assert "unsafe-inline" not in response["Content-Security-Policy"]
