"""S1: a member of organisation A reaches no object of organisation B on ANY route.

The test walks the whole URL conf (`get_resolver()`): every route must appear either in
ROUTES (how to build its arguments for an object of organisation B, and which method to use)
or in PUBLIC (with the reason). A new route in neither makes the test fail, so every new
view gets a cross-organisation check. Org B's objects must answer 404 (never 403: existence
must not leak), and pages without an object must not show any of org B's data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.models import Membership
from cases.privacy import holds
from tests.security.conftest import CANARY_TOKENS, verified_login

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    method: str = "get"
    # Builds the URL arguments for an object of organisation B; None = the route has no object.
    args: Callable[[dict], list] | None = None


ROUTES: dict[str, Route] = {
    "cases:dashboard": Route(),
    "favicon": Route(),
    "cases:detail": Route(args=lambda b: [b["case"].pk]),
    "audit:log": Route(),
    "privacy:panel": Route(args=lambda b: [b["migrant"].pk]),
    "privacy:access_json": Route(args=lambda b: [b["migrant"].pk]),
    "privacy:access_pdf": Route(args=lambda b: [b["migrant"].pk]),
    "privacy:hold": Route("post", args=lambda b: [b["migrant"].pk]),
    "privacy:hold_release": Route("post", args=lambda b: [b["migrant"].pk, b["hold"].pk]),
    "privacy:reveal_passport": Route("post", args=lambda b: [b["migrant"].pk]),
    "mfa_setup": Route(),
    "mfa_verify": Route(),
    "mfa_recovery_codes": Route("post"),
    "end_other_sessions": Route("post"),
    "password_change": Route(),
    # Caseworker UI
    "cases:list": Route(),
    "cases:search": Route("post"),
    "cases:intake": Route(),
    "cases:intake_duplicates": Route("post"),
    "cases:calls": Route(),
    "cases:call_callers": Route("post"),
    "cases:facts": Route(args=lambda b: [b["case"].pk]),
    "cases:migrant_edit": Route(args=lambda b: [b["case"].pk]),
    "cases:note": Route("post", args=lambda b: [b["case"].pk]),
    "cases:status": Route("post", args=lambda b: [b["case"].pk]),
    "cases:close": Route("post", args=lambda b: [b["case"].pk]),
    "cases:reopen": Route("post", args=lambda b: [b["case"].pk]),
    "cases:undo_close": Route("post", args=lambda b: [b["case"].pk]),
    "cases:request_reopen": Route("post", args=lambda b: [b["case"].pk]),
    "cases:consent_record": Route("post", args=lambda b: [b["case"].pk]),
    "cases:consent_withdraw": Route("post", args=lambda b: [b["case"].pk]),
    "cases:stays": Route(args=lambda b: [b["case"].pk]),
    "cases:stay_entry": Route("post", args=lambda b: [b["case"].pk]),
    "cases:stay_exit": Route("post", args=lambda b: [b["case"].pk]),
    "cases:stay_move": Route("post", args=lambda b: [b["case"].pk]),
    "cases:assign": Route("post", args=lambda b: [b["case"].pk]),
    "cases:task_add": Route("post", args=lambda b: [b["case"].pk]),
    "cases:task_done": Route("post", args=lambda b: [b["case"].pk, b["task"].pk]),
    "cases:reveal_passport": Route("post", args=lambda b: [b["case"].pk]),
    "cases:switch_organisation": Route("post"),
    "cases:switch_language": Route("post"),
    "cases:members": Route(),
    # Case ids travel in the body: tests/cases/test_team.py sends another organisation's.
    "cases:team": Route(),
    "cases:team_assign": Route("post"),
    "cases:calculators": Route(),  # no object: figures typed in, nothing of any case shown
    "cases:member_update": Route("post", args=lambda b: [b["membership"].pk]),
    "cases:checklist_item": Route("post", args=lambda b: [b["case"].pk, b["item"].pk]),
    "cases:deadlines_ics": Route(args=lambda b: [b["case"].pk]),
    "cases:deadline_add": Route("post", args=lambda b: [b["case"].pk]),
    "cases:stop_messages": Route("post", args=lambda b: [b["case"].pk]),
    "cases:deadline_met": Route("post", args=lambda b: [b["deadline"].pk]),
    "cases:deadline_waive": Route("post", args=lambda b: [b["deadline"].pk]),
    # Caseworker side of the migrant portal
    "portal:staff_panel": Route(args=lambda b: [b["case"].pk]),
    "portal:staff_issue": Route("post", args=lambda b: [b["case"].pk]),
    "portal:staff_revoke": Route("post", args=lambda b: [b["case"].pk]),
    # Statistics and exports
    "stats:dashboard": Route(),
    "stats:export_table": Route(),
    "stats:export_cases": Route(),
    "stats:job": Route(args=lambda b: [b["job"].pk]),
    "stats:job_progress": Route(args=lambda b: [b["job"].pk]),
    "stats:job_download": Route(args=lambda b: [b["job"].pk]),
    # REST API (session authentication here; tokens reach the same querysets)
    "api:me": Route(),
    "api:api-token-list": Route(),
    "api:api-token-detail": Route("delete", args=lambda b: [b["token"].pk]),
    "api:migrant-list": Route(),
    "api:migrant-duplicates": Route("post"),
    "api:migrant-detail": Route(args=lambda b: [b["migrant"].pk]),
    "api:migrant-reveal-passport": Route("post", args=lambda b: [b["migrant"].pk]),
    "api:migrant-consents": Route(args=lambda b: [b["migrant"].pk]),
    "api:migrant-withdraw-consent": Route("post", args=lambda b: [b["migrant"].pk]),
    "api:migrant-stays": Route("post", args=lambda b: [b["migrant"].pk]),
    "api:migrant-stay-exit": Route("post", args=lambda b: [b["migrant"].pk]),
    "api:migrant-addresses": Route("post", args=lambda b: [b["migrant"].pk]),
    "api:case-list": Route(),
    "api:case-detail": Route(args=lambda b: [b["case"].pk]),
    "api:case-assign": Route("post", args=lambda b: [b["case"].pk]),
    "api:case-checklist": Route(args=lambda b: [b["case"].pk]),
    "api:case-close": Route("post", args=lambda b: [b["case"].pk]),
    "api:case-deadlines": Route(args=lambda b: [b["case"].pk]),
    "api:case-notes": Route("post", args=lambda b: [b["case"].pk]),
    "api:case-reopen": Route("post", args=lambda b: [b["case"].pk]),
    "api:case-status": Route("post", args=lambda b: [b["case"].pk]),
    "api:case-tasks": Route(args=lambda b: [b["case"].pk]),
    "api:case-calculations": Route(args=lambda b: [b["case"].pk]),
    "api:case-timeline": Route(args=lambda b: [b["case"].pk]),
    "api:checklist-item-detail": Route(args=lambda b: [b["item"].pk]),
    "api:checklist-item-state": Route("post", args=lambda b: [b["item"].pk]),
    "api:deadline-list": Route(),
    "api:deadline-detail": Route(args=lambda b: [b["deadline"].pk]),
    "api:deadline-met": Route("post", args=lambda b: [b["deadline"].pk]),
    "api:deadline-waive": Route("post", args=lambda b: [b["deadline"].pk]),
    "api:task-list": Route(),
    "api:task-detail": Route(args=lambda b: [b["task"].pk]),
    "api:task-complete": Route("post", args=lambda b: [b["task"].pk]),
    "api:reminder-list": Route(),
    "api:reminder-detail": Route(args=lambda b: [b["reminder"].pk]),
    "api:delivery-list": Route(),
    "api:delivery-detail": Route(args=lambda b: [b["delivery"].pk]),
    "api:call-list": Route(),
    "api:call-detail": Route(args=lambda b: [b["call"].pk]),
    "api:call-link": Route("post", args=lambda b: [b["call"].pk]),
    # The rules table belongs to no organisation: the lists show only it; a detail route is
    # checked with an id no rule has (404 for everyone, before any permission check).
    "api:document-types": Route(),
    "api:rule-list": Route(),
    "api:rule-detail": Route("patch", args=lambda b: [2**62]),
    "api:deadline-rule-list": Route(),
    "api:deadline-rule-detail": Route("patch", args=lambda b: [2**62]),
    # Counts of the caller's own organisation only (tests/api/test_statistics_api.py).
    "api:statistics": Route(),
}

PUBLIC = {
    "login": "the sign-in form",
    "logout": "ends one's own session",
    "set_language": "stores the UI language in a cookie",
    "healthz": "liveness probe, no data",
    # Staff password reset: the same page for every address, the e-mailed link is the credential.
    "password_reset": "asks for an e-mail address, same answer for all, rate-limited",
    "password_reset_done": "a fixed 'check your e-mail' page",
    "password_reset_confirm": "Django's signed, single-use reset token",
    "password_reset_complete": "a fixed 'password set' page",
    # The migrant portal: the link token or the case code + PIN is the credential; an unknown,
    # revoked or other token gets the same friendly 404 (tests/portal/test_access.py).
    "portal:login": "code + PIN form, rate-limited",
    "portal:service_worker": "static service worker script",
    "portal:exit": "quick exit: clears site data",
    "portal:checklist": "the migrant's token is the credential",
    "portal:print": "the migrant's token is the credential",
    "portal:tick": "the migrant's token is the credential",
    "portal:telegram": "the migrant's token is the credential",
    "portal:stop_messages": "the migrant's token is the credential",
    "portal:rules": "public 'what applies to me' page: rules only, no case data",
    "cases:optout": "signed opt-out token from a message (tests/cases/test_reminders_views.py)",
    "cases:telegram_webhook": "Telegram's secret-token header (tests/cases/test_telegram_link.py)",
    "api:ping": "framework-ceiling benchmark endpoint, no data",
    "api:token-obtain": "exchanges the caller's own username and password for a token",
    "api:rules-preview": "public rules preview: rules only, no case data",
    "api:document-type": "public document descriptions",
    "api:schema": "the OpenAPI contract",
    "api:docs": "the OpenAPI contract (Swagger UI)",
    "api:redoc": "the OpenAPI contract (ReDoc)",
    "api:<^.*$>": "JSON 404 for unknown API paths",
}
# The translators' pages (django-rosetta and the review list): no organisation's data, only the
# catalogues; the translators group or a superuser with two factors (portal.review.can_translate).
TRANSLATOR_ROUTES = {
    "translation_review": "what awaits review per language",
    "rosetta-old-home-redirect": "the catalogue editor",
    "rosetta-file-list-redirect": "the catalogue editor",
    "rosetta-file-list": "the catalogue editor",
    "rosetta-form": "the catalogue editor",
    "rosetta-download-file": "the catalogue editor",
    "rosetta.translate_text": "machine suggestions, disabled (no translation service configured)",
}
# Namespaces outside the caseworker UI: the Django admin is for platform staff only (is_staff
# and two-factor), checked in test_admin_is_for_platform_staff_only.
PUBLIC_NAMESPACES = {"admin": "platform staff only"}


def all_routes(resolver=None, namespace="") -> list[str]:
    resolver = resolver or get_resolver()
    names = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            names += all_routes(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern):
            names.append(
                f"{namespace}{entry.name}" if entry.name else f"{namespace}<{entry.pattern}>"
            )
    return names


# Routes allowed a free-text path segment, with the reason (e.g. a migrant's one-time link
# token that the view swaps for a session and redirects away from at once).
FREE_TEXT_IN_URL: dict[str, str] = {
    "portal:checklist": "the migrant's random link token (192 bits), never a name or number",
    "portal:print": "the migrant's random link token",
    "portal:tick": "the migrant's random link token",
    "portal:telegram": "the migrant's random link token",
    "portal:stop_messages": "the migrant's random link token",
    "cases:optout": "a signed opaque token naming a migrant id",
    "api:document-type": "a document type code from the rules table (e.g. 'passport')",
    "password_reset_confirm": "a user id in base64 and Django's signed reset token, no name",
}


def all_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            yield from all_patterns(entry, f"{namespace}{ns}:" if ns else namespace)
        else:
            yield f"{namespace}{entry.name}", entry


def test_caseworker_urls_carry_ids_only():
    """No route takes free text in its path: names, phones or numbers would end up in access
    logs, browser history and Referer headers. Ids (int/uuid) and slugs only."""
    from django.urls.converters import IntConverter, SlugConverter, UUIDConverter

    allowed = (IntConverter, UUIDConverter, SlugConverter)
    for name, pattern in all_patterns():
        if name.split(":", 1)[0] in PUBLIC_NAMESPACES or name in FREE_TEXT_IN_URL:
            continue
        converters = getattr(pattern.pattern, "converters", {})
        bad = {k: type(v).__name__ for k, v in converters.items() if not isinstance(v, allowed)}
        assert not bad, f"{name} takes free text in its URL: {bad}"


def test_every_route_is_covered():
    missing = [
        name
        for name in all_routes()
        if name not in ROUTES
        and name not in PUBLIC
        and name not in TRANSLATOR_ROUTES
        and name.split(":", 1)[0] not in PUBLIC_NAMESPACES
    ]
    assert not missing, f"routes without a cross-organisation case: {missing}"


def test_an_organisation_admin_is_not_a_translator(client, admin_b):
    verified_login(client, admin_b)
    assert client.get(reverse("translation_review"), secure=True).status_code == 403
    editor = client.get(reverse("rosetta-file-list", args=["project"]), secure=True)
    assert editor.status_code == 302 and "/accounts/login" in editor["Location"]


@pytest.fixture
def org_b_objects(canary_b, admin_b):
    return route_objects(canary_b, admin_b)


def route_objects(canary, admin) -> dict:
    """One object of every kind a route can name, all in the canary's organisation."""
    from datetime import timedelta

    from django.utils import timezone

    from api.models import ApiToken
    from cases import calls, services
    from cases.models import ChecklistItem, Deadline, Delivery, Reminder
    from stats.models import ExportJob

    migrant, case = canary
    hold = holds.place_legal_hold(migrant=migrant, reason="Kept for court", by=admin)
    deadline = Deadline.objects.create(
        case=case, key="manual-court", kind=Deadline.Kind.MANUAL, title="Court hearing",
        due_date=timezone.localdate() + timedelta(days=5),
    )  # fmt: skip
    reminder = Reminder.objects.create(
        deadline=deadline, audience="migrant", offset_days=1, send_at=timezone.now()
    )
    return {
        "migrant": migrant,
        "case": case,
        "hold": hold,
        "deadline": deadline,
        "reminder": reminder,
        "delivery": Delivery.objects.create(reminder=reminder, channel="sms"),
        "item": ChecklistItem.objects.create(case=case, key="passport", document_code="passport"),
        "task": services.add_task(case=case, title="Call the employer", by=admin),
        # The note names the canary: a page that showed B's call would leak it.
        "call": calls.log_call(
            organisation=case.organisation,
            by=admin,
            case=case,
            language="tg",
            outcome="added_to_case",
            note=f"{migrant.full_name_latin} called",
        ),  # fmt: skip
        "membership": Membership.objects.get(user=admin),
        "job": ExportJob.objects.create(organisation=case.organisation, requested_by=admin),
        "token": ApiToken.objects.create(
            user=admin,
            prefix="b",
            key_hash="0" * 64,
            expires_at=timezone.now() + timedelta(days=1),
        ),  # fmt: skip
    }


def test_org_a_reaches_nothing_of_org_b(client, admin_a, org_b_objects):
    # The strongest member of A: admin with every field-level flag.
    Membership.objects.filter(user=admin_a).update(
        can_reveal_identifiers=True, can_view_trafficking=True, can_export_identifiers=True
    )
    verified_login(client, admin_a)
    for name, route in ROUTES.items():
        if route.args is None:
            continue
        url = reverse(name, args=route.args(org_b_objects))
        response = getattr(client, route.method)(url)
        assert response.status_code == 404, f"{name}: {response.status_code}"
    for name, route in ROUTES.items():
        if route.args is not None:
            continue
        response = getattr(client, route.method)(reverse(name))
        assert response.status_code < 500, name
        body = response.content.decode(errors="replace")
        leaked = [t for t in CANARY_TOKENS if t in body]
        assert not leaked, f"{name} shows organisation B's data: {leaked}"
        assert org_b_objects["case"].number not in body, name
        verified_login(client, admin_a)  # some routes end or change the session
    org_b_objects["hold"].refresh_from_db()
    assert org_b_objects["hold"].released_at is None


def test_admin_is_for_platform_staff_only(client, admin_a):
    verified_login(client, admin_a)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_ids_next_to_own_objects_answer_404(client, worker_a, canary_a, canary_b):
    """S2 (partly): ids are sequential integers, so every neighbour must still be a 404."""
    own_migrant, own_case = canary_a
    other_migrant, other_case = canary_b
    verified_login(client, worker_a)
    assert client.get(own_case.get_absolute_url()).status_code == 200
    for pk in range(max(1, own_case.pk - 50), own_case.pk + 51):
        if pk == own_case.pk:
            continue
        assert client.get(reverse("cases:detail", args=[pk])).status_code == 404, pk


def test_forged_cross_site_post_is_refused(worker_a, canary_a):
    from django.test import Client

    migrant, _case = canary_a
    forger = Client(enforce_csrf_checks=True)
    verified_login(forger, worker_a)
    response = forger.post(reverse("privacy:reveal_passport", args=[migrant.pk]))
    assert response.status_code == 403
    assert "expired or came from another site" in response.content.decode()


def test_refusals_are_audited(client, worker_a, canary_a):
    from audit.models import AuditEvent

    migrant, _case = canary_a
    verified_login(client, worker_a)
    assert client.get(reverse("privacy:access_json", args=[migrant.pk])).status_code == 403
    event = AuditEvent.objects.get(action="authz.denied")
    assert event.actor == worker_a and event.detail["route"] == "privacy:access_json"


def test_logout_clears_site_data(client, worker_a):
    verified_login(client, worker_a)
    response = client.post(reverse("logout"))
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_every_get_route_sends_security_headers(client, admin_a, canary_a):
    """S8 over the route table, as an organisation admin, on organisation A's own objects."""
    own = route_objects(canary_a, admin_a)
    # The canary is a trafficking case: its facts page needs the field-level flag.
    Membership.objects.filter(user=admin_a).update(can_view_trafficking=True)
    verified_login(client, admin_a)
    for name, route in ROUTES.items():
        if route.method != "get":
            continue
        args = route.args(own) if route.args else []
        response = client.get(reverse(name, args=args), secure=True)
        # 400: an export asked for without its parameters; 409: a download of an unfinished job.
        assert response.status_code in (200, 301, 302, 400, 409), (name, response.status_code)
        csp = response["Content-Security-Policy"]
        assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp, name
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, name
        assert response["Strict-Transport-Security"].startswith("max-age=31536000"), name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert "no-store" in response["Cache-Control"], name
    for name in PUBLIC:
        if name in ("logout", "set_language", "api:token-obtain") or name in FREE_TEXT_IN_URL:
            continue  # POST-only, or needs a token argument
        if "<" in name:
            continue  # an unnamed catch-all pattern: nothing to reverse
        response = Client().get(reverse(name), secure=True)
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], name
