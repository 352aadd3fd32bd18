"""The migrant portal (/m/...), the public "what applies to me" page (/rules/) and the
caseworker's link handout. Migrant pages: no personal data beyond a first name, no problem type
in titles, noindex, no referrer, nothing from third parties."""

from __future__ import annotations

import functools
import math
from datetime import date

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.backends import client_ip
from cases import consent, custody, planning, telegram_link
from cases.models import Case, ChecklistItem, Consent, Deadline
from content import queries
from content.engine import Facts, Plan
from portal import languages, services, texts, throttle
from portal.forms import PROBLEMS, CodeLoginForm, RulesForm

# /m/home/ is the page of a migrant who logged in with code + PIN (the link id is in the session).
SESSION_SLUG = "home"
SESSION_KEY = "portal_link"


# --- Helpers -----------------------------------------------------------------------------


def _harden(response: HttpResponse, *, lang: str | None = None) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    # Not kept by the browser's HTTP cache (shared phones); the service worker keeps the one
    # offline copy, and quick exit deletes it.
    response["Cache-Control"] = "private, no-store"
    if lang:
        response["Content-Language"] = languages.html_lang(lang)
    return response


def _language(request: HttpRequest, default: str | None = None) -> str:
    return languages.pick(
        request.GET.get("lang"),
        request.COOKIES.get(languages.COOKIE),
        default,
        translation.get_language(),
    )


def _switch_language(request: HttpRequest) -> HttpResponse | None:
    """?lang=xx remembers the choice in a cookie and goes back to the clean address."""
    code = request.GET.get("lang")
    if code is None:
        return None
    rest = request.GET.copy()
    rest.pop("lang", None)
    response = HttpResponseRedirect(request.path + (f"?{rest.urlencode()}" if rest else ""))
    if code in languages.CODES:
        response.set_cookie(
            languages.COOKIE,
            code,
            max_age=languages.COOKIE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    return _harden(response)


def _query_without_lang(request: HttpRequest) -> str:
    rest = request.GET.copy()
    rest.pop("lang", None)
    return f"{rest.urlencode()}&" if rest else ""


def _render(request, template, context, *, lang: str, status: int = 200) -> HttpResponse:
    with translation.override(lang):
        context = {
            "lang": lang,
            "html_lang": languages.html_lang(lang),
            "languages": languages.LANGUAGES,
            "language_name": dict(languages.LANGUAGES)[lang],
            # The switcher keeps the rest of the query (e.g. the /rules/ form's answers).
            "lang_query": _query_without_lang(request),
            "exit_url": settings.PORTAL_QUICK_EXIT_URL,
            "general_hotline": settings.PORTAL_HOTLINE,
            **context,
        }
        response = render(request, template, context, status=status)
    return _harden(response, lang=lang)


def _unavailable(request: HttpRequest) -> HttpResponse:
    """The same friendly page for unknown, revoked and expired links: it confirms nothing."""
    return _render(request, "portal/unavailable.html", {}, lang=_language(request), status=404)


def _access(request: HttpRequest, token: str):
    if token == SESSION_SLUG:
        return services.resolve_link_id(request.session.get(SESSION_KEY))
    return services.resolve_token(token)


def _cross_site(request: HttpRequest) -> bool:
    """A POST announced as coming from another site.

    The portal's pages send `Referrer-Policy: no-referrer`, so browsers send `Origin: null` on
    the portal's own forms and Django's CSRF origin check would refuse every one of them. The
    portal's POSTs are protected otherwise: a link page's address holds the unguessable token
    (a forged form cannot name it), and the code + PIN session travels in a SameSite=Lax cookie
    that browsers do not send with cross-site POSTs. This check refuses the rest: any POST whose
    Origin names another site.
    """
    origin = request.headers.get("Origin")
    if origin in (None, "null"):
        return False
    return origin != f"{request.scheme}://{request.get_host()}"


def portal_page(view):
    """Resolve the link (token or session), pick the language, or show the friendly page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
        link = _access(request, token)
        if link is None:
            return _unavailable(request)
        if request.method == "GET" and (switched := _switch_language(request)):
            return switched
        services.touch(link)
        lang = _language(request, link.case.migrant.preferred_language)
        return view(request, link, lang, *args, base=f"/m/{token}/", **kwargs)

    return wrapper


def _first_name(case: Case, lang: str) -> str:
    migrant = case.migrant
    latin_first = lang in ("uz", "en") or not migrant.full_name_cyrillic
    name = migrant.full_name_latin if latin_first else migrant.full_name_cyrillic
    return (name.split() or [""])[0]


def _deadline_rows(case: Case, lang: str, today: date) -> list[dict]:
    rows = []
    for deadline in case.deadlines.filter(state=Deadline.State.OPEN).order_by("due_date", "id"):
        text = texts.deadline(deadline.rule_key, lang, fallback_title=deadline.title)
        rows.append(
            {
                "title": text.title or deadline.title,
                "advice": text.advice,
                "unreviewed": text.needs_review,
                "due": deadline.due_date,
                "file_by": deadline.file_by,
                "provisional": deadline.provisional,
                "days": (deadline.due_date - today).days,
                "late": max(0, (today - deadline.due_date).days),
                "overdue": deadline.due_date < today,
            }
        )
    return rows


def _item_rows(case: Case, lang: str) -> list[dict]:
    items = case.checklist.filter(retired_at__isnull=True).exclude(
        state=ChecklistItem.State.NOT_APPLICABLE
    )
    return [
        {
            "item": item,
            "text": texts.document(item.document_code, lang),
            "have": item.state in (ChecklistItem.State.HAVE, ChecklistItem.State.SUBMITTED),
            "custody": item.document_code in custody.PASSPORT_DOCUMENTS
            and custody.held_by_someone_else(case),
        }
        for item in items
    ]


# --- Migrant pages -----------------------------------------------------------------------


@gzip_page  # no reflected input on this page, so compression leaks nothing (BREACH)
@require_http_methods(["GET", "HEAD"])
@portal_page
def checklist(request: HttpRequest, link, lang: str, *, base: str) -> HttpResponse:
    case = link.case
    today = timezone.localdate()
    context = {
        "base": base,
        "first_name": _first_name(case, lang),
        "deadlines": _deadline_rows(case, lang, today),
        "items": _item_rows(case, lang),
        "organisation": case.organisation,
        "updated_at": timezone.now(),
        "offline_enabled": True,
        "telegram_enabled": telegram_link.linking_enabled(),
        "gets_reminders": bool(consent.consented_channels({case.migrant_id}).get(case.migrant_id)),
        # What the caseworker recorded about the passport, and whether the migrant said otherwise.
        "passport_holder": case.get_passport_holder_display() if case.passport_holder else "",
        "passport_claimed": custody.claim_pending(case),
    }
    response = _render(request, "portal/checklist.html", context, lang=lang)
    # This phone opened the migrant's page: strangers' wrong tries at the code do not slow it.
    throttle.remember_device(request, response, link.code_hash)
    return response


@gzip_page
@require_http_methods(["GET", "HEAD"])
@portal_page
def print_view(request: HttpRequest, link, lang: str, *, base: str) -> HttpResponse:
    """The checklist in the migrant's language beside Russian, to show at an office."""
    case = link.case
    today = timezone.localdate()
    both = lang != "ru"
    deadlines = _deadline_rows(case, lang, today)
    items = _item_rows(case, lang)
    context = {
        "base": base,
        "both": both,
        # Pairs (migrant's language, Russian); the same rows twice when the page is in Russian.
        "deadlines": list(
            zip(deadlines, _deadline_rows(case, "ru", today) if both else deadlines, strict=True)
        ),
        "items": list(zip(items, _item_rows(case, "ru") if both else items, strict=True)),
        "organisation": case.organisation,
        "updated_at": timezone.now(),
        "offline_enabled": True,
    }
    return _render(request, "portal/print.html", context, lang=lang)


@csrf_exempt  # see _cross_site
@require_POST
@portal_page
def tick(request: HttpRequest, link, lang: str, item_id: int, *, base: str) -> HttpResponse:
    """The migrant says "I have it": a plain form POST, recorded on the case timeline."""
    if _cross_site(request):
        return _unavailable(request)
    item = link.case.checklist.filter(pk=item_id, retired_at__isnull=True).first()
    if item is None:
        return _unavailable(request)
    # A passport another holds by the caseworker's record: the claim is kept beside it.
    claimed = custody.migrant_ticks_passport(item=item)
    if not claimed and item.state != ChecklistItem.State.HAVE:
        planning.set_item_state(item=item, state=ChecklistItem.State.HAVE, via_migrant=True)
    return _harden(HttpResponseRedirect(f"{base}#item-{item.pk}", status=303))


@csrf_exempt  # see _cross_site
@require_POST
@portal_page
def telegram(request: HttpRequest, link, lang: str, *, base: str) -> HttpResponse:
    """A fresh one-time start link: the migrant's phone opens the bot, Start links the chat."""
    if _cross_site(request) or not telegram_link.linking_enabled():
        return _unavailable(request)
    code = telegram_link.issue_start_code(link.case.migrant)
    return _harden(HttpResponseRedirect(telegram_link.start_url(code), status=303))


@csrf_exempt  # see _cross_site
@require_POST
@portal_page
def stop_messages(request: HttpRequest, link, lang: str, *, base: str) -> HttpResponse:
    """The migrant withdraws consent to reminder messages on every channel."""
    if _cross_site(request):
        return _unavailable(request)
    consent.withdraw_consent(
        migrant=link.case.migrant, channel=Consent.Channel.ANY, by=None, source="portal"
    )
    return _harden(HttpResponseRedirect(f"{base}#messages", status=303))


@require_http_methods(["GET", "HEAD", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """A migrant who lost the link: case code + PIN, slowed down after wrong tries.

    Django's CSRF protection applies (token and Origin check, `Origin: null` refused). For
    that the page lets the browser send its origin on its own form (`same-origin` referrer
    policy); the personal-link pages keep `no-referrer`.
    """
    if request.method != "POST" and (switched := _switch_language(request)):
        return switched
    lang = _language(request)
    form = CodeLoginForm(request.POST or None)
    status, retry_after, wrong = 200, 0, False
    if request.method == "POST":
        status = 400
        if form.is_valid():
            code = form.cleaned_data["code"]
            try:
                link = services.login_with_code(
                    code=code,
                    secret=form.cleaned_data["secret"],
                    address=client_ip(request),
                    device=throttle.device_of(request, services.code_hash(code)),
                )
            except services.LockedOut as locked:
                link, retry_after, status = None, locked.retry_after, 429
            if link is not None:
                return _signed_in(request, link)
            wrong = not retry_after
    context = {
        "form": form,
        "locked": bool(retry_after),
        "wrong": wrong,
        "window": max(1, math.ceil(retry_after / 60)),
    }
    response = _render(request, "portal/login.html", context, lang=lang, status=status)
    response["Referrer-Policy"] = "same-origin"
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _signed_in(request: HttpRequest, link) -> HttpResponse:
    request.session.cycle_key()
    request.session[SESSION_KEY] = link.pk
    response = _harden(HttpResponseRedirect(f"/m/{SESSION_SLUG}/", status=303))
    throttle.remember_device(request, response, link.code_hash)
    return response


@require_GET
def quick_exit(request: HttpRequest) -> HttpResponse:
    """Leave for a neutral site, and ask the browser to forget this site's copies and cookies."""
    response = HttpResponseRedirect(settings.PORTAL_QUICK_EXIT_URL)
    response["Clear-Site-Data"] = '"cache", "storage", "cookies"'
    request.session.flush()
    return _harden(response)


@require_http_methods(["GET", "HEAD"])
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from /m/ so its scope covers every portal page."""
    response = render(request, "portal/sw.js", {}, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/m/"
    response["Cache-Control"] = "no-cache"
    return response


# --- Public: what applies to me ----------------------------------------------------------


@gzip_page  # no secrets on this page
@require_http_methods(["GET", "HEAD"])
def rules(request: HttpRequest) -> HttpResponse:
    if (switched := _switch_language(request)) is not None:
        return switched
    lang = _language(request)
    form = RulesForm(request.GET if "citizenship" in request.GET else None)
    context: dict = {"form": form}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        data = form.cleaned_data
        facts = Facts(
            problem_type=data["problem"],
            citizenship=data["citizenship"],
            arrival_date=data["arrival_date"],
        )
        try:
            plan = queries.plan_for(facts)
        except (*texts.UNKNOWN, ValueError):
            plan = Plan()  # nothing in the rules for these answers: the page says so
        today = timezone.localdate()
        context["items"] = [
            {
                "text": texts.document(item.document_code, lang),
                "planned": item,
                "source": texts.source(item.rule_key, item.source, lang),
            }
            for item in plan.items
        ]
        context["deadlines"] = [
            {
                "text": texts.deadline(d.rule_key, lang, fallback_title=d.title),
                "planned": d,
                "source": texts.source(d.rule_key, d.source, lang, deadline=True),
                "days": (d.due - today).days,
                "late": max(0, (today - d.due).days),
                "overdue": d.due < today,
            }
            for d in plan.deadlines
        ]
        context["problem_label"] = dict(PROBLEMS)[data["problem"]]
        context["shown"] = True
    return _render(request, "portal/rules.html", context, lang=lang, status=status)


# --- Caseworker: issue, print, revoke ----------------------------------------------------


def _staff_case(request: HttpRequest, pk: int) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related("organisation", "migrant"), pk=pk
    )


@login_required
@require_GET
def staff_panel(request: HttpRequest, pk: int) -> HttpResponse:
    case = _staff_case(request, pk)
    context = {
        "case": case,
        "link": services.active_link(case=case),
        "expires_at": services.link_expires_at(case),
    }
    return render(request, "portal/staff_panel.html", context)


@login_required
@require_POST
def staff_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue (or re-issue) the link and show the one-page handout: the only time the secrets
    are visible, since only their hashes are stored."""
    case = _staff_case(request, pk)
    try:
        issued = services.issue_link(case=case, by=request.user)
    except PermissionDenied:
        return render(
            request, "portal/staff_panel.html", {"case": case, "denied": True}, status=403
        )
    qr_svg = segno.make(issued.url, error="m").svg_inline(scale=5, border=2)
    lang = languages.pick(case.migrant.preferred_language)
    context = {
        "case": case,
        "issued": issued,
        "qr_svg": qr_svg,
        "migrant_lang": lang,
        "migrant_html_lang": languages.html_lang(lang),
        "login_url": settings.SITE_URL.rstrip("/") + "/m/",
        "organisation": case.organisation,
        "general_hotline": settings.PORTAL_HOTLINE,
        "telegram_url": telegram_link.start_url(telegram_link.issue_start_code(case.migrant))
        if telegram_link.linking_enabled()
        else "",
    }
    response = render(request, "portal/handout.html", context)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_POST
def staff_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    case = _staff_case(request, pk)
    try:
        services.revoke_links(case=case, by=request.user)
    except PermissionDenied:
        return render(
            request, "portal/staff_panel.html", {"case": case, "denied": True}, status=403
        )
    return redirect("portal:staff_panel", pk=case.pk)
