"""Organisation A's users cannot see, find or change anything of organisation B: always a 404."""

from __future__ import annotations

import pytest

from cases import services
from cases.models import Case, Membership, Migrant, Task, TimelineEvent
from tests import factories


@pytest.fixture
def world(org, other_org):
    """Org B's case (the target) and an org A admin with every flag (the intruder)."""
    owner = factories.member(other_org, Membership.Role.ADMIN)
    person = factories.migrant(
        other_org,
        owner,
        full_name_latin="Shokhrukh Rahimov",
        full_name_cyrillic="Шохрух Рахимов",
        phone="+992935551234",
        passport_number="400999888",
    )
    case = factories.case(other_org, owner, person)
    task = services.add_task(case=case, title="Call", by=owner)
    intruder = factories.member(
        org,
        Membership.Role.ADMIN,
        can_reveal_identifiers=True,
        can_view_trafficking=True,
        can_export_identifiers=True,
    )
    return {"case": case, "task": task, "intruder": intruder, "owner": owner}


CASE_URLS = [
    ("get", "/cases/{pk}/", {}),
    ("get", "/cases/{pk}/facts/", {}),
    ("post", "/cases/{pk}/facts/", {"country_of_stay": "RU", "currency": "RUB"}),
    ("get", "/cases/{pk}/migrant/", {}),
    (
        "post",
        "/cases/{pk}/migrant/",
        {"full_name_latin": "X", "citizenship": "TJ", "gender": "male", "preferred_language": "ru"},
    ),
    ("post", "/cases/{pk}/notes/", {"text": "I was here"}),
    ("post", "/cases/{pk}/status/", {"to": "in_progress"}),
    ("post", "/cases/{pk}/close/", {"outcome": "resolved"}),
    ("post", "/cases/{pk}/reopen/", {"reason": "x"}),
    ("post", "/cases/{pk}/assign/", {"assignee": ""}),
    ("post", "/cases/{pk}/tasks/", {"title": "x"}),
    ("post", "/cases/{pk}/tasks/{task}/done/", {}),
    ("post", "/cases/{pk}/passport/", {}),
]


@pytest.mark.parametrize(("method", "url", "data"), CASE_URLS)
def test_every_case_page_is_a_404_for_another_organisation(client, world, method, url, data):
    client.force_login(world["intruder"])
    target = url.format(pk=world["case"].pk, task=world["task"].pk)
    response = getattr(client, method)(target, data)
    assert response.status_code == 404
    case = Case.objects.get(pk=world["case"].pk)
    assert case.status == Case.Status.NEW and case.assignee is None
    assert not TimelineEvent.objects.filter(actor=world["intruder"]).exists()
    assert Task.objects.get(pk=world["task"].pk).done_at is None
    assert Migrant.objects.get(pk=case.migrant_id).full_name_latin == "Shokhrukh Rahimov"


@pytest.mark.parametrize("query", ["Шохрух", "Shokhrukh", "+992935551234", "935551234"])
def test_search_does_not_find_another_organisations_people(client, world, query):
    client.force_login(world["intruder"])
    response = client.post("/cases/search/", {"q": query}, follow=True)
    page = response.content.decode()
    assert world["case"].number not in page and "Rahimov" not in page


def test_case_number_search_does_not_cross_organisations(client, world):
    client.force_login(world["intruder"])
    page = client.post("/cases/search/", {"q": world["case"].number}, follow=True)
    assert "Rahimov" not in page.content.decode()


def test_lists_and_dashboard_show_only_the_current_organisation(client, world):
    client.force_login(world["intruder"])
    for url in ["/", "/cases/", "/cases/?status=open&assignee=none", "/members/"]:
        page = client.get(url).content.decode()
        assert world["case"].number not in page and "Rahimov" not in page
        assert world["owner"].username not in page


def test_duplicate_check_never_reveals_another_organisations_migrant(client, world):
    client.force_login(world["intruder"])
    response = client.post(
        "/cases/new/duplicates/",
        {
            "m-full_name_latin": "Shokhrukh Rahimov",
            "m-date_of_birth": "1990-05-17",
            "m-phone": "+992935551234",
        },
    )
    assert response.status_code == 200
    assert "Rahimov" not in response.content.decode()


def test_intake_cannot_attach_another_organisations_migrant(client, world):
    client.force_login(world["intruder"])
    migrant_id = world["case"].migrant_id
    response = client.post(
        "/cases/new/",
        {"m-existing_migrant": migrant_id, "c-problem_type": "other", "c-priority": "normal"},
    )
    assert response.status_code == 404
    response = client.post("/cases/new/", {"use_existing": migrant_id})
    assert response.status_code == 404
    assert Case.objects.count() == 1


def test_members_of_another_organisation_cannot_be_changed(client, world):
    client.force_login(world["intruder"])
    membership = Membership.objects.get(user=world["owner"])
    response = client.post(f"/members/{membership.pk}/", {f"m{membership.pk}-role": "caseworker"})
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN and membership.is_active


def test_cannot_switch_into_an_organisation_one_is_not_in(client, world, other_org):
    client.force_login(world["intruder"])
    assert client.post("/organisation/switch/", {"organisation": other_org.pk}).status_code == 404
    assert world["case"].number not in client.get("/cases/").content.decode()


def test_user_in_two_organisations_switches_between_them(client, org, other_org, world):
    both = world["intruder"]
    Membership.objects.create(user=both, organisation=other_org, role="caseworker")
    client.force_login(both)
    page = client.get("/").content.decode()
    assert other_org.name in page  # the switcher offers both
    client.post("/organisation/switch/", {"organisation": other_org.pk})
    assert world["case"].number in client.get("/cases/").content.decode()
    client.post("/organisation/switch/", {"organisation": org.pk})
    assert world["case"].number not in client.get("/cases/").content.decode()


def test_platform_admin_without_membership_sees_no_cases(client, world):
    admin = factories.user("root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get("/").status_code == 403
    assert client.get(f"/cases/{world['case'].pk}/").status_code in (403, 404)
