"""The measurements `make bench` runs, one function per job, each returning plain figures.

Every function takes a `Context` (the organisation, a caseworker and its admin, a logged-in
test Client) so the same code runs on the big benchmark database and, in the smoke test, on
a few hundred cases in the test database. Web pages are measured in-process with Django's test
Client: that is server time (middleware, views, queries, templates), without a network.
"""

from __future__ import annotations

import gzip
import re
import shutil
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from bench import timing
from bench.urls import SIGNED_IN_BARE_URL

# Name searches in the forms a caseworker types them (see cases/search.py for the fold).
SEARCH_TERMS = {
    "cyrillic": "Рустам Назаров",
    "latin": "Rustam Nazarov",
    "transliterated": "Dzhamshed Rakhimov",  # stored as Jamshed/Джамшед, Rahimov/Рахимов
    "misspelt": "Rustamm Nazzarov",  # doubled letters (folded); letter swaps are not matched
    "surname only": "Toktogulova",
    # The generator's name pool is small (every name above matches 1,000+ cases at 1M):
    # `search` first opens a few cases for a name nobody else has, the selective search.
    "selective": "Khudoiberdi Sanginov",
}
SELECTIVE = ("Khudoiberdi Sanginov", "Худойберди Сангинов")


@dataclass
class Context:
    organisation: Any
    caseworker: Any
    admin: Any
    client: Client  # logged in as the caseworker
    repeats: int = 20


def make_context(organisation, *, repeats: int = 20) -> Context:
    from cases.models import Membership

    members = Membership.objects.filter(organisation=organisation).select_related("user")
    caseworker = members.filter(role=Membership.Role.CASEWORKER).order_by("pk").first().user
    admin = members.filter(role=Membership.Role.ADMIN).order_by("pk").first().user
    client = Client()
    client.force_login(caseworker)
    return Context(organisation, caseworker, admin, client, repeats)


def _get(client: Client, url: str, **extra) -> Any:
    response = client.get(url, secure=True, **extra)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


def _page_timing(ctx: Context, url: str, client: Client | None = None) -> timing.Timing:
    client = client or ctx.client
    return timing.measure(lambda: _get(client, url), repeats=ctx.repeats)


def sql_share(client: Client, url: str) -> dict:
    """One request with every query timed: how much of the server time is the database."""
    spent: list[float] = []

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append((time.perf_counter() - began) * 1000)

    began = time.perf_counter()
    with connection.execute_wrapper(timed):
        _get(client, url)
    total = (time.perf_counter() - began) * 1000
    return {"sql_ms": round(sum(spent), 1), "total_ms": round(total, 1), "queries": len(spent)}


def _explain(queryset) -> str:
    if connection.vendor == "postgresql":
        return queryset.explain(analyze=True, buffers=True)
    return queryset.explain()


def ping(ctx: Context) -> dict:
    """The framework ceiling: a trivial DRF view, no database (anonymous client)."""
    url = reverse("api:ping")
    client = Client()
    result = _page_timing(ctx, url, client)
    mean = sum(result.samples_ms) / len(result.samples_ms)
    return result.as_dict() | {"per_s": round(1000 / mean, 1), "url": url}


def _per_s(result: timing.Timing) -> float:
    return round(1000 / (sum(result.samples_ms) / len(result.samples_ms)), 1)


def case_list(ctx: Context, *, depth: int = 500_000) -> dict:
    """Page 1 and a page `depth` rows down (or near the end) of the caseworker's case list."""
    from cases import queries

    url = reverse("cases:list")
    cases = queries.org_cases(ctx.caseworker, ctx.organisation)
    total = cases.count()
    offset = max(0, min(depth, total - queries.PAGE_SIZE - 5))
    row = cases.order_by("-opened_at", "-pk").values_list("opened_at", "pk")[offset]
    cursor = queries._encode(row[0], row[1])
    # Page 1 against the signed-in floor (a bare view behind the same sign-in), in turns.
    with override_settings(ROOT_URLCONF="bench.urls"):
        paired = timing.measure_alternating(
            {
                "signed_in": lambda: _get(ctx.client, SIGNED_IN_BARE_URL),
                "first": lambda: _get(ctx.client, url),
            },
            repeats=ctx.repeats,
        )
    first, signed_in = paired["first"], paired["signed_in"]
    deep = _page_timing(ctx, f"{url}?after={cursor}")
    # Queries must not depend on the page size: count them with a page of 25 and of 100.
    sizes = {}
    original = queries.PAGE_SIZE
    try:
        for size in (original, 100):
            queries.PAGE_SIZE = size
            with CaptureQueriesContext(connection) as captured:
                _get(ctx.client, url)
            sizes[size] = len(captured.captured_queries)
    finally:
        queries.PAGE_SIZE = original
    position = queries._decode(cursor)
    deep_qs = cases.filter(opened_at__lt=position[0]) | cases.filter(
        opened_at=position[0], pk__lt=position[1]
    )
    plan = _explain(
        deep_qs.select_related("migrant", "assignee").order_by("-opened_at", "-pk")[
            : queries.PAGE_SIZE + 1
        ]
    )
    return {
        "org_cases": total,
        "deep_offset": offset,
        "first": first.as_dict() | {"per_s": _per_s(first), **sql_share(ctx.client, url)},
        "signed_in": signed_in.as_dict() | {"per_s": _per_s(signed_in), "url": SIGNED_IN_BARE_URL},
        "first_over_signed_in": timing.ratio(_per_s(first), _per_s(signed_in)),
        "deep": deep.as_dict()
        | {"per_s": _per_s(deep), **sql_share(ctx.client, f"{url}?after={cursor}")},
        "deep_over_first_p95": timing.ratio(deep.p95, first.p95),
        "queries_by_page_size": sizes,
        "deep_plan": plan,
    }


def search(ctx: Context, terms: dict[str, str] | None = None) -> dict:
    """POST each term to the search box (kept in the session), then time the result page."""
    from cases import queries

    terms = terms or SEARCH_TERMS
    if SELECTIVE[0] in terms.values():
        _selective_cases(ctx)
    results: dict[str, Any] = {}
    for label, term in terms.items():
        response = ctx.client.post(reverse("cases:search"), {"q": term}, secure=True)
        if response.status_code != 302:
            raise RuntimeError(f"search for {label} answered {response.status_code}")
        url = response["Location"]
        found = queries.filter_cases(
            queries.org_cases(ctx.caseworker, ctx.organisation),
            queries.CaseFilters(text=term),
            ctx.caseworker,
        )
        measured = _page_timing(ctx, url)
        page = found.select_related("migrant", "assignee").order_by("-opened_at", "-pk")[
            : queries.PAGE_SIZE + 1
        ]
        plan = _explain(page)
        results[label] = measured.as_dict() | {
            "term": term,
            "matches": queries.capped_count(found),
            "per_s": _per_s(measured),
            "sql_ms": sql_share(ctx.client, url)["sql_ms"],
            "trigram_index": "cases_migrant_search_trgm" in plan,
            "seq_scan": sorted(set(re.findall(r"Seq Scan on (\w+)", plan))),
            "plan": plan,
        }
    return results


def _selective_cases(ctx: Context, count: int = 3) -> None:
    """Cases for the selective name, opened through the services as intake does (once)."""
    from cases import services
    from cases.models import Case, Migrant

    latin, cyrillic = SELECTIVE
    existing = Case.objects.filter(
        organisation=ctx.organisation, migrant__search_names__contains="sanginov"
    ).count()
    for _ in range(count - existing):
        person = services.create_migrant(
            organisation=ctx.organisation,
            by=ctx.caseworker,
            full_name_latin=latin,
            full_name_cyrillic=cyrillic,
            citizenship="TJ",
            gender=Migrant.Gender.MALE,
        )
        services.open_case(
            organisation=ctx.organisation,
            migrant=person,
            by=ctx.caseworker,
            problem_type=Case.ProblemType.UNPAID_WAGES,
        )


def plan(ctx: Context) -> dict:
    """The checklist/deadline plan of one open case: the rules read and a (no-op) re-sync."""
    from cases import planning
    from cases.models import Case
    from content import queries

    case = (
        Case.objects.open()
        .filter(organisation=ctx.organisation, problem_type="registration")
        .select_related("migrant")
        .order_by("pk")
        .first()
    ) or Case.objects.open().filter(organisation=ctx.organisation).order_by("pk").first()
    facts = planning.facts_for_case(case)
    read = timing.measure(lambda: queries.plan_for(facts), repeats=ctx.repeats)
    planning.sync_plan(case=case)  # the first sync applies the rules; later ones change nothing
    resync = timing.measure(lambda: planning.sync_plan(case=case), repeats=ctx.repeats)
    try:
        detail = _page_timing(ctx, reverse("cases:detail", args=[case.pk]))
        case_page = detail.as_dict() | {"per_s": _per_s(detail)}
    except Exception as exc:  # a broken page is a finding to report, not a reason to stop
        case_page = {"error": f"{exc.__class__.__name__}: {exc}"[:300]}
    return {
        "plan_read": read.as_dict(),
        "sync_unchanged": resync.as_dict(),
        "case_page": case_page,
        "items": len(queries.plan_for(facts).items),
    }


def resync(*, target: int) -> dict:
    """Re-sync open cases after a rule change (cases.resync), on about `target` open cases."""
    from django.db.models import Count

    from cases.models import Case
    from content import services as content_services

    counts = (
        Case.objects.open()
        .values("problem_type")
        .annotate(n=Count("pk"))
        .order_by("n", "problem_type")
    )
    chosen, total = [], 0
    for row in counts:  # smallest types first until the target is reached
        if total >= target:
            break
        chosen.append(row["problem_type"])
        total += row["n"]
    # Generated cases carry no plan from the rules (no service calls at load): the first pass
    # gives each its whole plan, as intake would have. Timed apart: it is not a rule change.
    began = time.perf_counter()
    first = content_services.announce_rules_change(
        reason="benchmark: first plan", problem_types=chosen, run_now=True
    )
    first_seconds = time.perf_counter() - began
    # The change: a corrected citation on the checklist rules of those problem types, saved as
    # the admin saves it. Every affected case's checklist items change.
    from content.models import Rule

    edited = [r for r in Rule.objects.all() if set(r.problem_types or chosen) & set(chosen)]
    for rule in edited:
        rule.source = f"{rule.source.split(' [bench ')[0]} [bench {time.time():.0f}]"
        rule.save(update_fields=["source", "updated_at"])
    started = time.perf_counter()
    job = content_services.announce_rules_change(
        reason="benchmark", problem_types=chosen, run_now=True
    )
    seconds = time.perf_counter() - started
    return {
        "problem_types": chosen,
        "rules_edited": len(edited),
        "cases": job.total,
        "changed": job.changed,
        "state": job.state,
        "seconds": round(seconds, 2),
        "per_s": round(job.total / seconds, 1) if seconds else None,
        "first_plan": {
            "cases": first.total,
            "changed": first.changed,
            "seconds": round(first_seconds, 2),
            "per_s": round(first.total / first_seconds, 1) if first_seconds else None,
        },
    }


def stats(ctx: Context) -> dict:
    """The organisation's statistics dashboard (/stats/) as its admin, plus the case count."""
    from cases.models import Case

    client = Client()
    client.force_login(ctx.admin)
    url = reverse("stats:dashboard")
    result = _page_timing(ctx, url, client)
    return (
        result.as_dict()
        | sql_share(client, url)
        | {
            "org_cases": Case.objects.filter(organisation=ctx.organisation).count(),
            "per_s": _per_s(result),
        }
    )


_ASSET = re.compile(r"""<(?:link[^>]+href|script[^>]+src|img[^>]+src)=["']([^"']+)["']""")


def migrant_page(ctx: Context) -> dict:
    """Bytes of the migrant page on first load: HTML plus its same-site assets, gzip -6."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    from cases.models import Case
    from portal import services

    case = Case.objects.open().filter(organisation=ctx.organisation).order_by("pk").first()
    issued = services.issue_link(case=case, by=ctx.admin)
    client = Client()
    url = f"/m/{issued.token}/"
    response = _get(client, url, HTTP_ACCEPT_ENCODING="gzip")
    if response.get("Content-Encoding") == "gzip":  # the portal compresses its own pages
        gz_html, html = response.content, gzip.decompress(response.content)
    else:
        html = response.content
        gz_html = gzip.compress(html, 6)
    assets = []
    for ref in dict.fromkeys(_ASSET.findall(html.decode())):
        if not ref.startswith(settings.STATIC_URL):
            continue  # only local static files count (a data: or external URL would show here)
        path = finders.find(ref[len(settings.STATIC_URL) :].split("?")[0])
        if path:
            with open(path, "rb") as handle:
                body = handle.read()
            assets.append({"url": ref, "bytes": len(body), "gzip": len(gzip.compress(body, 6))})
    measured = _page_timing(ctx, url, client)
    lighthouse = shutil.which("lighthouse")
    return {
        "html_bytes": len(html),
        "html_gzip": len(gz_html),
        "assets": assets,
        "total_gzip": len(gz_html) + sum(a["gzip"] for a in assets),
        "requests": 1 + len(assets),
        "server": measured.as_dict(),
        "lighthouse": "not run: the Lighthouse CLI is not installed"
        if not lighthouse
        else f"installed at {lighthouse}; not run by the quick bench",
    }
