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

from cases import privacy
from cases.models import Membership
from tests.security.conftest import CANARY_TOKENS, verified_login

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    method: str = "get"
    # Builds the URL arguments for an object of organisation B; None = the route has no object.
    args: Callable[[dict], list] | None = None


ROUTES: dict[str, Route] = {
    "cases:dashboard": Route(),
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
}

PUBLIC = {
    "login": "the sign-in form",
    "logout": "ends one's own session",
    "set_language": "stores the UI language in a cookie",
    "healthz": "liveness probe, no data",
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
FREE_TEXT_IN_URL: dict[str, str] = {}


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
        and name.split(":", 1)[0] not in PUBLIC_NAMESPACES
    ]
    assert not missing, f"routes without a cross-organisation case: {missing}"


@pytest.fixture
def org_b_objects(canary_b, admin_b):
    migrant, case = canary_b
    hold = privacy.place_legal_hold(migrant=migrant, reason="Kept for court", by=admin_b)
    return {"migrant": migrant, "case": case, "hold": hold}


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
    migrant, case = canary_a
    own = {"migrant": migrant, "case": case, "hold": None}
    verified_login(client, admin_a)
    for name, route in ROUTES.items():
        if route.method != "get":
            continue
        args = route.args(own) if route.args else []
        response = client.get(reverse(name, args=args), secure=True)
        assert response.status_code in (200, 302), (name, response.status_code)
        csp = response["Content-Security-Policy"]
        assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp, name
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, name
        assert response["Strict-Transport-Security"].startswith("max-age=31536000"), name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert "no-store" in response["Cache-Control"], name
    for name in PUBLIC:
        if name in ("logout", "set_language"):
            continue  # POST-only
        response = Client().get(reverse(name), secure=True)
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], name
