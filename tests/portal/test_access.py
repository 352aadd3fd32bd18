"""Personal links, code + PIN login, rate limiting, revocation and expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from cases import services as case_services
from cases.models import Membership, Organisation
from portal import services
from portal.models import AccessLink

pytestmark = pytest.mark.django_db


def test_token_has_at_least_128_bits_and_only_hashes_are_stored(issued):
    assert len(issued.token) >= 32  # 24 random bytes, base64url
    link = AccessLink.objects.get(pk=issued.link.pk)
    stored = " ".join([link.token_hash, link.code_hash, link.pin_hash])
    assert issued.token not in stored
    assert issued.code.replace("-", "") not in stored
    assert issued.pin not in stored
    assert services.resolve_token(issued.token) == link


def test_issue_writes_timeline_and_audit(case, caseworker, issued):
    assert case.timeline.filter(data__portal_link=issued.link.pk).exists()
    assert AuditEvent.objects.filter(action="portal.link_issue", object_id=str(issued.link.pk))


def test_link_opens_the_page(client, issued):
    response = client.get(issued.path)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("token", ["x", "A" * 32, "home", "A" * 200])
def test_unknown_link_shows_the_friendly_page(client, token):
    response = client.get(f"/m/{token}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "+7 800 000-00-00" in body  # the general hotline
    assert "Traceback" not in body


def test_revoked_link_shows_the_same_friendly_page(client, case, caseworker, issued):
    unknown = client.get("/m/" + "B" * 32 + "/").content
    services.revoke_links(case=case, by=caseworker)
    response = client.get(issued.path)
    assert response.status_code == 404
    # Nothing distinguishes a revoked link from one that never existed.
    assert response.content == unknown
    assert AuditEvent.objects.filter(action="portal.link_revoke").count() == 1


def test_reissue_revokes_the_old_link_and_pin(client, case, caseworker, issued):
    new = services.issue_link(case=case, by=caseworker)
    assert client.get(issued.path).status_code == 404
    assert client.get(new.path).status_code == 200
    assert services.login_with_code(code=issued.code, secret=issued.pin, address="1.1.1.1") is None
    assert AccessLink.objects.filter(case=case, revoked_at__isnull=True).count() == 1


def test_link_expires_configured_days_after_close(client, settings, case, caseworker, issued):
    settings.PORTAL_LINK_DAYS_AFTER_CLOSE = 10
    case_services.close_case(case=case, outcome="resolved", by=caseworker)
    assert client.get(issued.path).status_code == 200  # still within the grace period
    with time_machine.travel(timezone.now() + timedelta(days=11)):
        assert client.get(issued.path).status_code == 404


def test_code_and_pin_login_opens_the_session_page(client, issued):
    response = client.post("/m/", {"code": issued.code.lower(), "secret": issued.pin})
    assert response.status_code == 303
    assert response["Location"] == "/m/home/"
    assert client.get("/m/home/").status_code == 200


def test_the_date_of_birth_is_no_secret(client, issued):
    # Employers, landlords and anyone who saw the passport know it: only the PIN opens the page.
    for written in ("17.05.1990", "1990-05-17", "17/05/1990"):
        response = client.post("/m/", {"code": issued.code, "secret": written})
        assert response.status_code == 400


def test_session_page_without_login_is_the_friendly_page(client):
    assert client.get("/m/home/").status_code == 404


def test_wrong_pin_is_a_form_error_not_a_500(client, issued):
    response = client.post("/m/", {"code": issued.code, "secret": "000000"})
    assert response.status_code == 400
    assert "not right" in response.content.decode()
    assert client.post("/m/", {"code": "", "secret": ""}).status_code == 400


def test_guessing_pins_for_one_code_is_locked_out(client, issued):
    for n in range(5):
        response = client.post(
            "/m/", {"code": issued.code, "secret": f"99999{n}"}, REMOTE_ADDR=f"10.0.0.{n}"
        )
    assert response.status_code == 429
    assert "Too many wrong tries" in response.content.decode()
    # Locked: even the right PIN from a fresh address is refused now.
    response = client.post(
        "/m/", {"code": issued.code, "secret": issued.pin}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429
    lockouts = AuditEvent.objects.filter(action="portal.login_lockout")
    assert [e.detail["scope"] for e in lockouts] == ["code"]
    # The log names no code, PIN or address.
    assert issued.code not in str(lockouts[0].detail)
    assert "10.0.0" not in str(lockouts[0].detail)


def test_one_address_guessing_many_codes_is_locked_out(client, issued):
    for n in range(5):
        client.post("/m/", {"code": f"ZZZZ-ZZZ{n}", "secret": "123456"}, REMOTE_ADDR="10.1.1.1")
    response = client.post(
        "/m/", {"code": issued.code, "secret": issued.pin}, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 429
    assert AuditEvent.objects.filter(
        action="portal.login_lockout", detail__scope="address"
    ).exists()
    # Another address is not affected.
    response = client.post(
        "/m/", {"code": issued.code, "secret": issued.pin}, REMOTE_ADDR="10.2.2.2"
    )
    assert response.status_code == 303


def test_lockout_ends_after_the_window(client, issued):
    for n in range(5):
        client.post("/m/", {"code": issued.code, "secret": f"99999{n}"})
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.post("/m/", {"code": issued.code, "secret": issued.pin})
    assert response.status_code == 303


def test_unknown_code_gives_the_same_answer_as_a_wrong_pin(client, issued):
    wrong_pin = client.post(
        "/m/", {"code": issued.code, "secret": "000000"}, REMOTE_ADDR="10.3.0.1"
    )
    no_code = client.post("/m/", {"code": "QQQQ-QQQQ", "secret": "000000"}, REMOTE_ADDR="10.3.0.2")
    assert wrong_pin.status_code == no_code.status_code == 400
    # Same page apart from the echoed code and the CSRF token: nothing confirms the code exists.
    assert wrong_pin.content.count(b"not right") == no_code.content.count(b"not right") == 1


# --- Caseworker views ----------------------------------------------------------------------


def test_caseworker_issues_a_printable_handout_with_qr(client, case, caseworker):
    client.force_login(caseworker)
    response = client.post(f"/cases/{case.pk}/portal/issue/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body
    link = AccessLink.objects.get(case=case, revoked_at__isnull=True)
    assert "/m/" in body and link.created_by == caseworker
    assert "no-store" in response["Cache-Control"]
    # The handout is in the migrant's language (Tajik here).
    assert "Саҳифаи шахсии шумо" in body
    panel = client.get(f"/cases/{case.pk}/portal/")
    assert panel.status_code == 200


def test_caseworker_revokes_through_the_view(client, case, caseworker, issued):
    client.force_login(caseworker)
    response = client.post(f"/cases/{case.pk}/portal/revoke/")
    assert response.status_code == 302
    assert client.get(issued.path).status_code == 404


def test_another_organisations_caseworker_gets_404(client, case):
    other = Organisation.objects.create(name="Other", slug="other", code="OTH")
    outsider = User.objects.create_user(username="outsider", password="y" * 12)
    Membership.objects.create(user=outsider, organisation=other)
    client.force_login(outsider)
    assert client.post(f"/cases/{case.pk}/portal/issue/").status_code == 404
    assert client.post(f"/cases/{case.pk}/portal/revoke/").status_code == 404
    assert client.get(f"/cases/{case.pk}/portal/").status_code == 404
    assert not AccessLink.objects.filter(case=case).exists()


def test_anonymous_staff_views_redirect_to_login(client, case):
    response = client.post(f"/cases/{case.pk}/portal/issue/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_management_command_issues_a_working_link(client, case, capsys):
    from django.core.management import call_command

    call_command("portal_link", "--case", case.number)
    out = capsys.readouterr().out
    path = out.split("link: ")[1].split()[0].replace("http://127.0.0.1:8000", "")
    assert client.get(path).status_code == 200


def test_caseworker_sees_the_migrants_ticks(client, planned_case, caseworker, issued):
    item = planned_case.checklist.get(document_code="migration_card")
    client.post(f"{issued.path}have/{item.pk}/")
    client.force_login(caseworker)
    body = client.get(f"/cases/{planned_case.pk}/portal/").content.decode()
    assert "The migrant says they have:" in body
    assert "Migration card" in body


def test_address_limit_uses_the_address_the_trusted_proxy_saw(client, settings, issued):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        client.post(
            "/m/",
            {"code": f"ZZZZ-ZZZ{n}", "secret": "123456"},
            HTTP_X_FORWARDED_FOR="192.0.2.7",
        )
    # Same proxy (REMOTE_ADDR), another client: not locked. A forged entry on the left is
    # ignored: the proxy appends the address it saw.
    ok = client.post(
        "/m/",
        {"code": issued.code, "secret": issued.pin},
        HTTP_X_FORWARDED_FOR="192.0.2.7, 192.0.2.8",
    )
    assert ok.status_code == 303
    locked = client.post(
        "/m/", {"code": "ZZZZ-ZZZZ", "secret": "1"}, HTTP_X_FORWARDED_FOR="192.0.2.8, 192.0.2.7"
    )
    assert locked.status_code == 429
