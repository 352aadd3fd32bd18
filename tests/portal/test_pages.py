"""The migrant's pages: content, ticking, printing, languages, headers, weight."""

from __future__ import annotations

import gzip
import html as htmllib
import re
from pathlib import Path

import polib
import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone, translation

from cases.models import ChecklistItem, TimelineEvent
from portal import languages

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).resolve().parents[2] / "portal" / "locale"
PORTAL_LANGS = [code for code, _ in languages.LANGUAGES if code != "en"]


def _text_nodes(html: str) -> list[str]:
    html = re.sub(r"(?s)<(script|style|svg)\b.*?</\1>", " ", html)
    nodes = [htmllib.unescape(n).strip() for n in re.split(r"<[^>]+>", html)]
    labels = [htmllib.unescape(v) for v in re.findall(r'aria-label="([^"]+)"', html)]
    return [n for n in nodes + labels if n]


def _without(text: str, data: set[str]) -> str:
    for value in data:
        text = text.replace(value, "")
    return text


# --- Content -------------------------------------------------------------------------------


def test_deadlines_come_first_with_countdown_and_overdue_stands_out(client, planned_case, issued):
    body = client.get(issued.path + "?lang=en", follow=True).content.decode()
    assert body.index("Deadlines") < body.index("Your documents")
    # Arrived 17 days ago: the 15-day registration window closed 2 days ago …
    registration = planned_case.deadlines.get(key="registration")
    assert registration.rule_key == "registration.treaty_15_days"
    assert "2 days late — Register your stay" in body
    assert body.count('class="card overdue"') == 1
    assert "you have 15 days from entry before you must be registered" in body
    # … and the 90-day visa-free stay (the entry day is the first) still has 72 days to run.
    stay = planned_case.deadlines.get(key="stay.visa_free_limit")
    assert (stay.due_date - timezone.localdate()).days == 72
    assert "72 days left — End of your visa-free stay" in body


def test_page_shows_first_name_only_and_never_the_problem(client, planned_case, issued):
    client.cookies["portal_lang"] = "en"
    body = client.get(issued.path).content.decode()
    assert "Hello, Rustam" in body
    secrets = (
        "Nazarov",
        "Назаров",
        "400123456",
        "Lenina",
        "Registration problem",
        planned_case.number,
    )
    for secret in secrets:
        assert secret not in body
    title = re.search(r"<title>(.*?)</title>", body).group(1)
    assert title == "My documents"


def test_checklist_shows_why_how_and_cost(client, planned_case, issued):
    codes = list(planned_case.checklist.values_list("document_code", flat=True))
    assert codes == [
        "passport_foreign",
        "migration_card",
        "host_consent",
        "rental_contract",
        "registration_tearoff",
        "arrival_notice_copy",
        "reregistration_on_move",
        "registration_extension_patent",
        "rkl_check",
    ]
    client.cookies["portal_lang"] = "en"
    body = client.get(issued.path).content.decode()
    assert "Migration card" in body and "The card you fill in at the border." in body
    assert "You get it at the border when you enter." in body and "Cost: Free" in body


def test_ticking_without_javascript_records_it_on_the_timeline(client, planned_case, issued):
    item = planned_case.checklist.get(document_code="migration_card")
    response = client.post(f"{issued.path}have/{item.pk}/")
    assert response.status_code == 303
    assert response["Location"] == f"{issued.path}#item-{item.pk}"
    item.refresh_from_db()
    assert item.state == ChecklistItem.State.HAVE
    event = planned_case.timeline.get(kind=TimelineEvent.Kind.MIGRANT)
    assert event.data["item"] == item.key and event.data["to"] == ChecklistItem.State.HAVE
    client.cookies["portal_lang"] = "en"
    assert "✓ You have it" in client.get(issued.path).content.decode()


def test_ticking_someone_elses_item_is_refused(client, planned_case, issued, organisation):
    other_item = ChecklistItem.objects.exclude(case=planned_case).first()
    assert other_item is None  # only one case here: any other id is simply unknown
    response = client.post(f"{issued.path}have/999999/")
    assert response.status_code == 404


def test_ticking_needs_a_working_link(client, planned_case):
    item = planned_case.checklist.first()
    assert client.post(f"/m/{'C' * 32}/have/{item.pk}/").status_code == 404
    item.refresh_from_db()
    assert item.state == ChecklistItem.State.MISSING


def test_print_view_puts_the_migrants_language_beside_russian(client, planned_case, issued):
    body = client.get(issued.path + "print/").content.decode()  # Tajik: the preference
    assert '<html lang="tg">' in body
    assert "Корти муҳоҷиратӣ" in body and "Миграционная карта" in body
    assert 'lang="ru"' in body and "Мои документы" in body and "Ҳуҷҷатҳои ман" in body


def test_contact_block_has_click_to_call_telegram_and_hotline(client, issued):
    body = client.get(issued.path).content.decode()
    assert 'href="tel:+74950000001"' in body
    assert 'href="https://t.me/hamroh_help"' in body
    assert 'href="tel:+78000000000"' in body


# --- Languages -----------------------------------------------------------------------------


def test_migrants_preferred_language_is_the_default(client, issued):
    body = client.get(issued.path).content.decode()
    assert '<html lang="tg">' in body
    assert "Баромади фаврӣ" in body  # quick exit, in Tajik


@pytest.mark.parametrize(
    ("code", "html_lang", "sample"),
    [
        ("uz", "uz-Latn", "Tez chiqish"),
        ("uz-cyrl", "uz-Cyrl", "Тез чиқиш"),
        ("ky", "ky", "Тез чыгуу"),
        ("ru", "ru", "Быстрый выход"),
        ("en", "en", "Quick exit"),
    ],
)
def test_switching_language_is_remembered(client, issued, code, html_lang, sample):
    response = client.get(issued.path + f"?lang={code}")
    assert response.status_code == 302 and response["Location"] == issued.path
    body = client.get(issued.path).content.decode()
    assert f'<html lang="{html_lang}">' in body
    assert sample in body
    assert response.cookies[languages.COOKIE]["httponly"]


def test_switcher_is_always_visible_on_every_page(client, issued):
    for path in (issued.path, issued.path + "print/", "/m/", "/rules/", "/m/nope/"):
        body = client.get(path).content.decode()
        for code, name in languages.LANGUAGES:
            assert f'lang={code}"' in body and name in body, path


def test_dates_are_localised(client, planned_case, issued):
    client.cookies["portal_lang"] = "ru"
    body = client.get(issued.path).content.decode()
    assert re.search(
        r"\d{1,2} (января|февраля|марта|апреля|мая|июня|июля|августа|сентября|"
        r"октября|ноября|декабря) \d{4}",
        body,
    )
    client.cookies["portal_lang"] = "uz-cyrl"
    body = client.get(issued.path).content.decode()
    assert "-йил" in body and "-yil" not in body


def test_catalogues_are_complete_and_not_fuzzy():
    for lang in ("ru", "tg", "uz", "uz_Cyrl", "ky"):
        po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
        assert po.percent_translated() == 100, (lang, [e.msgid for e in po.untranslated_entries()])
        assert not po.fuzzy_entries(), lang
        mo = LOCALE / lang / "LC_MESSAGES" / "django.mo"
        assert mo.exists() and mo.stat().st_size > 1000, lang
        # Machine-produced entries are findable for native-speaker review.
        assert all(e.tcomment for e in po if not e.obsolete), lang


def _portal_pages(client, issued, planned_case, caseworker):
    """Every portal page: (name, html) in the currently chosen language."""
    pages = {
        "checklist": client.get(issued.path),
        "print": client.get(issued.path + "print/"),
        "login": client.get("/m/"),
        "login-wrong": client.post("/m/", {"code": "QQQQ-QQQQ", "secret": "000000"}),
        "login-empty": client.post("/m/", {"code": "", "secret": ""}),
        "unavailable": client.get("/m/" + "D" * 32 + "/"),
        "rules": client.get("/rules/"),
        "rules-result": client.get(
            "/rules/",
            {"citizenship": "TJ", "arrival_date": "2026-11-20", "problem": "registration"},
        ),
        "rules-invalid": client.get("/rules/", {"citizenship": "XX", "arrival_date": "soon"}),
    }
    return {name: response.content.decode() for name, response in pages.items()}


@pytest.mark.parametrize("lang", PORTAL_LANGS)
def test_every_portal_page_is_fully_translated(client, planned_case, issued, caseworker, lang):
    """Render each page in English and in the language: no English text node may survive."""
    client.cookies[languages.COOKIE] = "en"
    english = _portal_pages(client, issued, planned_case, caseworker)
    client.cookies[languages.COOKIE] = lang
    translated = _portal_pages(client, issued, planned_case, caseworker)
    # Data, not interface text: names, codes, numbers and the switcher's language names.
    data = {name for _, name in languages.LANGUAGES} | {"Hamroh Test Centre"}
    data |= set(planned_case.checklist.values_list("source", flat=True))  # citations
    data |= set(planned_case.deadlines.values_list("source", flat=True))
    for name, html in translated.items():
        assert html.count("<html") == 1, name
        english_nodes = set(_text_nodes(english[name]))
        leftovers = {
            node
            for node in set(_text_nodes(html)) & english_nodes
            if re.search(r"[A-Za-z]{3,}", _without(node, data))
            and not node.startswith(("Telegram:", "+", "http"))
        }
        assert not leftovers, f"untranslated on {name} in {lang}: {sorted(leftovers)}"
        if lang == "uz-cyrl":
            # Cyrillic script throughout: no Latin Uzbek (or English) words left over either.
            latin = {
                node
                for node in _text_nodes(html)
                if re.search(r"[A-Za-z]{3,}", _without(node, data))
                and not node.startswith(("Telegram:", "+", "http"))
            }
            assert not latin, f"Latin script on {name} in uz-cyrl: {sorted(latin)}"


def _english_only_rule_texts(lang: str) -> set[str]:
    """Document texts the shipped rules have in English but not in this language (the page
    falls back to English for them)."""
    from content.models import DocumentTranslation

    language = languages.content_language(lang)
    local = {t.document_id: t for t in DocumentTranslation.objects.filter(language=language)}
    gaps = set()
    for english in DocumentTranslation.objects.filter(language="en"):
        for field in ("name", "description", "how_to_obtain", "cost", "validity"):
            text = getattr(english, field)
            if text and not getattr(local.get(english.document_id), field, ""):
                gaps.add(text)
    return gaps


@pytest.mark.usefixtures("rules")
@pytest.mark.parametrize("lang", ["tg", "uz", "ky"])
def test_shipped_document_texts_exist_in_every_portal_language(lang):
    assert not _english_only_rule_texts(lang)


@pytest.mark.parametrize("lang", ["ru", "tg", "uz", "ky"])
def test_handout_is_in_the_migrants_language(client, case, caseworker, lang):
    case.migrant.preferred_language = lang
    case.migrant.save()
    client.force_login(caseworker)
    client.cookies["django_language"] = "en"
    english_nodes = {"Your personal page", "If you lose this paper", "Help"}
    body = client.post(f"/cases/{case.pk}/portal/issue/").content.decode()
    assert not english_nodes & set(_text_nodes(body)), lang


# --- Headers, privacy, weight --------------------------------------------------------------


def test_portal_pages_are_hardened(client, issued):
    for path in (issued.path, issued.path + "print/", "/m/", "/rules/", "/m/nope/"):
        response = client.get(path)
        assert response["X-Robots-Tag"] == "noindex, nofollow", path
        # The sign-in form lets the browser send its origin (CSRF); it leaks nothing elsewhere.
        expected = "same-origin" if path == "/m/" else "no-referrer"
        assert response["Referrer-Policy"] == expected, path
        assert "no-store" in response["Cache-Control"], path
        body = response.content.decode()
        assert '<meta name="robots" content="noindex, nofollow">' in body
        # Nothing is loaded from another site (links to tel:/t.me are not requests).
        assert not re.search(r'(src|href)="(https?:)?//', body.replace('href="https://t.me/', ""))


def test_quick_exit_clears_site_data_and_leaves(client, issued, settings):
    response = client.get("/m/exit/")
    assert response.status_code == 302
    assert response["Location"] == settings.PORTAL_QUICK_EXIT_URL
    assert "storage" in response["Clear-Site-Data"] and "cache" in response["Clear-Site-Data"]
    body = client.get(issued.path).content.decode()
    assert 'id="quick-exit"' in body and 'href="/m/exit/"' in body


def test_service_worker_is_served_for_the_portal_scope(client):
    response = client.get("/m/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/m/"
    assert "portal/portal.css" in response.content.decode()


def test_first_load_of_a_typical_checklist_is_at_most_30_kb_compressed(
    client, planned_case, issued
):
    response = client.get(issued.path, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"  # the page itself is sent compressed
    page = response.content
    # Static files are served pre-compressed by WhiteNoise in production.
    css = gzip.compress(Path(finders.find("portal/portal.css")).read_bytes())
    js = gzip.compress(Path(finders.find("portal/portal.js")).read_bytes())
    sw = gzip.compress(client.get("/m/sw.js").content)
    sizes = {"page": len(page), "css": len(css), "js": len(js), "sw": len(sw)}
    assert sum(sizes.values()) <= 30 * 1024, sizes
    html = gzip.decompress(page)
    assert b"<script>" not in html and b"style=" not in html  # CSP-friendly: no inline code
    assert b"@import" not in gzip.decompress(css) and b"url(" not in gzip.decompress(css)


# --- Public: what applies to me ------------------------------------------------------------


@pytest.mark.usefixtures("rules")
def test_rules_page_shows_documents_and_deadlines_with_sources(client):
    client.cookies["portal_lang"] = "en"
    response = client.get(
        "/rules/", {"citizenship": "TJ", "arrival_date": "2026-11-20", "problem": "registration"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Register your stay" in body
    assert "Source: Federal Law No. 109-FZ, art. 20, part 3 (of 18.07.2006)" in body
    assert "Migration card" in body and "Government Decree No. 413, art. 1" in body
    assert "End of your visa-free stay" in body
    assert "not yet checked by a lawyer" in body


def test_rules_page_bad_input_is_a_form_error(client):
    client.cookies["portal_lang"] = "en"
    response = client.get("/rules/", {"citizenship": "XX", "problem": "registration"})
    assert response.status_code == 400
    assert "Choose from the list." in response.content.decode()


@pytest.mark.usefixtures("rules")
def test_rules_page_says_file_by_and_provisional_calendar(client):
    client.cookies["portal_lang"] = "en"
    # 15 days from 20 Nov 2026 end on Saturday 5 December; the 90-day stay ends in 2027.
    query = {"citizenship": "TJ", "arrival_date": "2026-11-20", "problem": "registration"}
    body = client.get("/rules/", query).content.decode()
    assert "The last day is a day off: file by Dec. 4, 2026." in body
    assert "Provisional calendar: the government has not yet fixed the days off" in body
    client.cookies["portal_lang"] = "ru"
    body = client.get("/rules/", query).content.decode()
    assert "Последний день — выходной: подайте до" in body


@pytest.mark.usefixtures("rules")
def test_rules_page_year_9999_is_a_form_error_not_a_500(client):
    client.cookies["portal_lang"] = "en"
    query = {"citizenship": "TJ", "arrival_date": "9999-12-31", "problem": "registration"}
    response = client.get("/rules/", query)
    assert response.status_code == 400
    assert "Enter a date between" in response.content.decode()


def test_rules_page_form_works_without_javascript(client):
    body = client.get("/rules/").content.decode()
    assert '<form method="get" action="/rules/">' in body
    assert '<label for="id_citizenship">' in body


@pytest.mark.usefixtures("rules")
def test_switching_language_keeps_the_rules_answers(client):
    query = "citizenship=TJ&arrival_date=2026-11-20&problem=registration"
    body = client.get(f"/rules/?{query}").content.decode()
    assert f'href="?{query.replace("&", "&amp;")}&amp;lang=tg"' in body
    response = client.get(f"/rules/?{query}&lang=tg")
    assert response.status_code == 302
    assert response["Location"] == f"/rules/?{query}"


def test_unknown_document_code_still_renders(client, planned_case, issued, monkeypatch):
    from content import queries

    def unknown(*args, **kwargs):
        raise LookupError("not in the rules table")

    monkeypatch.setattr(queries, "document_text", unknown)
    monkeypatch.setattr(queries, "deadline_text", unknown)
    monkeypatch.setattr(queries, "plan_for", unknown)
    body = client.get(issued.path).content.decode()
    assert "registration_tearoff" in body  # the code stands in for the missing name
    assert client.get("/rules/", {"citizenship": "AM", "problem": "other"}).status_code == 200


def test_handout_is_bilingual_with_a_print_button(client, case, caseworker):
    """Issue 21: the migrant's language for the migrant, Russian for the caseworker and the
    migration office; printed from a button; the staff page shows its panel once."""
    case.migrant.preferred_language = "tg"
    case.migrant.save()
    client.force_login(caseworker)
    body = client.post(f"/cases/{case.pk}/portal/issue/").content.decode()
    with translation.override("tg"):
        tajik = translation.gettext("Your personal page")
    with translation.override("ru"):
        russian = translation.gettext("Your personal page")
    assert tajik != russian and tajik in body and russian in body
    assert '<section lang="ru"' in body and 'lang="tg"' in body
    assert body.count('class="qr"') == 1  # one code to scan
    assert "data-print" in body and "portal/portal.js" in body
    # A Russian-speaking migrant gets one copy, not the same text twice.
    case.migrant.preferred_language = "ru"
    case.migrant.save()
    body = client.post(f"/cases/{case.pk}/portal/issue/").content.decode()
    assert '<section lang="ru"' not in body.split("</section>", 1)[1]
    panel = client.get(f"/cases/{case.pk}/portal/").content.decode()
    assert panel.count(f'href="/cases/{case.pk}/portal/"') == 0
