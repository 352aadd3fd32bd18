"""The pages a caseworker uses: dashboard, list paging, case page panels, language."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from cases import queries, services
from cases.models import Case, Deadline, Membership
from tests import factories


def test_dashboard_shows_what_needs_doing(client, org, caseworker, supervisor):
    today = timezone.localdate()
    mine = factories.case(org, caseworker, assignee=caseworker)
    Deadline.objects.create(
        case=mine, key="a", title="Register the stay", due_date=today - timedelta(2)
    )
    Deadline.objects.create(
        case=mine, key="b", title="Pay the patent", due_date=today + timedelta(3)
    )
    Deadline.objects.create(case=mine, key="c", title="Far away", due_date=today + timedelta(30))
    unassigned = factories.case(org, caseworker)
    waiting = factories.case(org, caseworker, assignee=caseworker)
    services.change_status(case=waiting, to=Case.Status.WAITING_AUTHORITY, by=caseworker)
    waiting.timeline.filter(kind="status").update(created_at=timezone.now() - timedelta(days=30))

    client.force_login(supervisor)
    page = client.get("/").content.decode()
    assert "Register the stay" in page and "Pay the patent" in page and "Far away" not in page
    assert unassigned.number in page  # supervisors see new unassigned cases
    assert waiting.number in page  # waiting for 30 days
    assert "/cases/?status=open&amp;overdue=on" in page

    client.force_login(caseworker)
    page = client.get("/").content.decode()
    assert mine.number in page
    assert "New cases nobody has taken" not in page


def test_overdue_filter(cw_client, org, caseworker):
    late = factories.case(org, caseworker)
    fine = factories.case(org, caseworker)
    Deadline.objects.create(
        case=late, key="x", title="t", due_date=timezone.localdate() - timedelta(1)
    )
    page = cw_client.get("/cases/?overdue=on").content.decode()
    assert late.number in page and fine.number not in page


def test_problem_filter_matches_any_of_a_cases_problems(cw_client, org, caseworker):
    """A wage case whose migrant's passport is also held is found under either problem."""
    both = factories.case(
        org,
        caseworker,
        problem_type=Case.ProblemType.UNPAID_WAGES,
        other_problem_types=(Case.ProblemType.DOCUMENTS_CONFISCATED,),
    )
    wages_only = factories.case(org, caseworker, problem_type=Case.ProblemType.UNPAID_WAGES)
    passport = cw_client.get("/cases/?problem_type=documents_confiscated").content.decode()
    assert both.number in passport and wages_only.number not in passport
    wages = cw_client.get("/cases/?problem_type=unpaid_wages").content.decode()
    assert both.number in wages and wages_only.number in wages
    assert wages.count(both.number) == wages.count(wages_only.number)  # listed once


def test_keyset_pages_cover_every_case_once(cw_client, org, caseworker, settings):
    person = factories.migrant(org, caseworker)
    numbers = set()
    for _ in range(queries.PAGE_SIZE * 2 + 3):
        numbers.add(factories.case(org, caseworker, person).number)
    seen: list[str] = []
    url = "/cases/?status=open&sort=oldest"
    for _ in range(5):
        page = cw_client.get(url).content.decode()
        seen += re.findall(r">(MSK-\d{4}-\d{5})<", page)
        following = re.search(r'href="(/cases/\?[^"]*after=[^"]+)"', page)
        if not following:
            break
        url = following.group(1).replace("&amp;", "&")
    assert len(seen) == len(numbers) and set(seen) == numbers
    assert seen == sorted(seen)  # oldest first


def test_capped_count(org, caseworker, monkeypatch):
    monkeypatch.setattr(queries, "COUNT_CAP", 2)
    for _ in range(4):
        factories.case(org, caseworker)
    page = queries.keyset_page(Case.objects.all(), sort="newest")
    assert page.count_capped and page.count == 3


def test_case_page_reads_top_to_bottom(cw_client, org, caseworker):
    person = factories.migrant(
        org,
        caseworker,
        phone_controlled=True,
        safe_call_time="after 8 pm",
        passport_number="400123456",
    )
    case = factories.case(org, caseworker, person, employer_name="OOO StroyMontazh")
    services.add_note(case=case, text="First call done.", by=caseworker)
    page = cw_client.get(f"/cases/{case.pk}/").content.decode()
    order = [
        "Рустам Назаров",
        "safe-contact",
        "OOO StroyMontazh",
        "Start work",
        'id="deadline-reminders"',
        'id="panel-checklist"',
        'id="panel-portal"',
        "First call done.",
        "History of changes",
    ]
    positions = [page.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert "400123456" not in page and "•••456" in page


def test_note_via_htmx_returns_the_timeline_only(cw_client, case):
    response = cw_client.post(
        f"/cases/{case.pk}/notes/", {"text": "Spoke to the migrant."}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'id="timeline-panel"' in body and "Spoke to the migrant." in body


def test_reveal_passport_shows_and_audits(client, org, caseworker):
    reader = factories.member(org, can_reveal_identifiers=True)
    person = factories.migrant(org, caseworker, passport_number="400123456")
    case = factories.case(org, caseworker, person)
    client.force_login(reader)
    assert "Show" in client.get(f"/cases/{case.pk}/").content.decode()
    response = client.post(f"/cases/{case.pk}/passport/", HTTP_HX_REQUEST="true")
    assert "400123456" in response.content.decode()
    assert AuditEvent.objects.filter(action="passport.reveal", actor=reader).count() == 1


def test_trafficking_details_need_the_flag(client, org, caseworker):
    case = factories.case(
        org, caseworker, problem_type=Case.ProblemType.TRAFFICKING, summary="Locked in a barn"
    )
    client.force_login(caseworker)
    assert "Locked in a barn" not in client.get(f"/cases/{case.pk}/").content.decode()
    assert client.get(f"/cases/{case.pk}/facts/").status_code == 403
    Membership.objects.filter(user=caseworker).update(can_view_trafficking=True)
    assert "Locked in a barn" in client.get(f"/cases/{case.pk}/").content.decode()
    assert client.get(f"/cases/{case.pk}/facts/").status_code == 200


def test_trafficking_facts_never_reach_the_page_context(client, org, caseworker):
    """The case page takes its facts from field_access.safe_case_view, not from the model."""
    case = factories.case(
        org,
        caseworker,
        problem_type=Case.ProblemType.TRAFFICKING,
        employer_name="OOO Barn",
        host_address="Farm road 7",
    )
    client.force_login(caseworker)
    response = client.get(f"/cases/{case.pk}/")
    assert response.context["trafficking_hidden"] and response.context["facts"] == []
    assert "OOO Barn" not in response.content.decode()
    Membership.objects.filter(user=caseworker).update(can_view_trafficking=True)
    facts = dict(client.get(f"/cases/{case.pk}/").context["facts"])
    assert "OOO Barn" in facts.values() and "Farm road 7" in facts.values()


def test_history_lists_changes_with_who(cw_client, case, caseworker):
    services.update_case_facts(case=case, by=caseworker, employer_name="OOO Test")
    page = cw_client.get(f"/cases/{case.pk}/").content.decode()
    history = page[page.index('id="history"') :]
    assert caseworker.username in history and "employer" in history


def test_language_follows_the_user_and_switches(client, caseworker):
    caseworker.language = "ru"
    caseworker.save()
    client.force_login(caseworker)
    page = client.get("/").content.decode()
    assert 'lang="ru"' in page and "Что нужно сделать сегодня" in page
    client.post("/language/", {"language": "en", "next": "/cases/"})
    caseworker.refresh_from_db()
    assert caseworker.language == "en"
    assert "What needs doing today" in client.get("/").content.decode()
    response = client.post("/language/", {"language": "ru", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_login_page_and_login_required(client, caseworker):
    assert client.get("/").status_code == 302
    assert client.get("/accounts/login/").status_code == 200
    response = client.post(
        "/accounts/login/", {"username": caseworker.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("url", ["/", "/cases/?status=open", "/cases/new/"])
def test_links_carry_no_personal_data(cw_client, org, caseworker, url):
    factories.case(org, caseworker, assignee=caseworker)
    page = cw_client.get(url).content.decode()
    for href in re.findall(r'(?:href|action|hx-post)="([^"]*)"', page):
        assert "Rustam" not in href and "992" not in href and "Рустам" not in href


def test_due_soon_filter(cw_client, org, caseworker):
    soon = factories.case(org, caseworker)
    later = factories.case(org, caseworker)
    today = timezone.localdate()
    Deadline.objects.create(case=soon, key="x", title="t", due_date=today + timedelta(3))
    Deadline.objects.create(case=later, key="x", title="t", due_date=today + timedelta(30))
    page = cw_client.get("/cases/?status=open&due_soon=on").content.decode()
    assert soon.number in page and later.number not in page


def test_case_list_pages_without_offset(cw_client, org, caseworker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = factories.migrant(org, caseworker)
    for _ in range(queries.PAGE_SIZE + 2):
        factories.case(org, caseworker, person)
    first = cw_client.get("/cases/").content.decode()
    following = re.search(r'href="(/cases/\?[^"]*after=[^"]+)"', first).group(1)
    with CaptureQueriesContext(connection) as captured:
        cw_client.get(following.replace("&amp;", "&"))
    case_queries = [q["sql"] for q in captured if 'FROM "cases_case"' in q["sql"]]
    assert case_queries and not any("OFFSET" in sql.upper() for sql in case_queries)
    # The count stops at the cap instead of scanning on.
    assert any(f"LIMIT {queries.COUNT_CAP + 1}" in sql for sql in case_queries)


def test_case_list_queries_per_request_are_pinned(
    cw_client, org, caseworker, django_assert_num_queries, monkeypatch
):
    """User, memberships (with the MFA device flag) and the page with its capped count: three,
    whatever the page size, filters or search. The session and the filter form's assignees
    come from the cache (cached_db sessions, cases.member_cache)."""
    person = factories.migrant(org, caseworker)
    for _ in range(queries.PAGE_SIZE + 2):
        factories.case(org, caseworker, person, assignee=caseworker)
    first = cw_client.get("/cases/").content.decode()
    following = re.search(r'href="(/cases/\?[^"]*after=[^"]+)"', first).group(1)
    searched = cw_client.post("/cases/search/", {"q": person.full_name_latin.split()[0]})
    urls = [
        "/cases/",
        "/cases/?status=open&assignee=me&sort=oldest",
        following.replace("&amp;", "&"),
        searched["Location"],
    ]
    for url in urls:
        with django_assert_num_queries(3):
            assert cw_client.get(url).status_code == 200
    monkeypatch.setattr(queries, "PAGE_SIZE", 100)
    with django_assert_num_queries(3):
        assert cw_client.get("/cases/").status_code == 200


def test_the_case_page_gives_each_source_in_the_readers_language(client, org, caseworker):
    """Issue 17: the checklist and deadlines showed a rule's citation in English whatever the
    caseworker's language; now each comes from the rule's structured citation."""
    from tests.content.factories import load_shipped_rules

    load_shipped_rules()
    case = factories.case(
        org,
        caseworker,
        problem_type=Case.ProblemType.REGISTRATION,
        arrival_date=timezone.localdate() - timedelta(days=3),
    )
    assert case.deadlines.exclude(source="").exists()
    caseworker.language = "ru"
    caseworker.save()
    client.force_login(caseworker)
    page = client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Федеральный закон № 109-ФЗ" in page or "Федеральный закон № 115-ФЗ" in page
    assert "Federal Law No." not in page
