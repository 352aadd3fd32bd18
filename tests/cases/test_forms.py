"""Bad input: field errors with HTTP 400, never a 500, never a half-saved record."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from cases.models import Case, Membership, Migrant, Task, TimelineEvent
from tests import factories

TOMORROW = (date.today() + timedelta(days=1)).isoformat()


def intake_data(**overrides) -> dict:
    data = {
        "m-full_name_latin": "Firdavs Saidov",
        "m-full_name_cyrillic": "Фирдавс Саидов",
        "m-date_of_birth": "1992-07-01",
        "m-gender": "male",
        "m-citizenship": "TJ",
        "m-phone": "+992 93 444 55 66",
        "m-preferred_language": "tg",
        "c-problem_type": "unpaid_wages",
        "c-priority": "normal",
        "c-amount_owed": "60000",
        "c-arrival_date": "2026-01-10",
        "c-assign_to_me": "on",
        "c-submission": "token-1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_intake_creates_migrant_and_case(cw_client, caseworker):
    response = cw_client.post("/cases/new/", intake_data())
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.migrant.phone == "+992934445566" and case.assignee == caseworker
    assert case.amount_owed == 60000


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"c-arrival_date": TOMORROW}, "c-arrival_date"),
        ({"m-date_of_birth": TOMORROW}, "m-date_of_birth"),
        ({"m-phone": "not a phone"}, "m-phone"),
        ({"m-phone": "+992 12"}, "m-phone"),
        ({"c-amount_owed": "0"}, "c-amount_owed"),
        ({"c-amount_owed": "-100"}, "c-amount_owed"),
        ({"c-amount_owed": "lots"}, "c-amount_owed"),
        ({"m-full_name_latin": ""}, "m-full_name_latin"),
        ({"m-full_name_latin": "x" * 201}, "m-full_name_latin"),
        ({"c-summary": "x" * 2001}, "c-summary"),
        ({"c-problem_type": "aliens"}, "c-problem_type"),
        ({"m-citizenship": "XX"}, "m-citizenship"),
        ({"m-date_of_birth": "31.02.1990"}, "m-date_of_birth"),
    ],
)
def test_intake_bad_input_is_a_400_with_the_field_error(cw_client, overrides, field):
    response = cw_client.post("/cases/new/", intake_data(**overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert 'class="errorlist' in page
    assert not Migrant.objects.exists() and not Case.objects.exists()


def test_intake_shows_every_error_on_the_first_submit(cw_client):
    """Issue 21: a bad phone hid a 2030 birth date and a negative amount (one error a try)."""
    response = cw_client.post(
        "/cases/new/",
        intake_data(
            **{"m-phone": "not a phone", "m-date_of_birth": "2030-01-01", "c-amount_owed": "-5"}
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    for field in ("m-phone", "m-date_of_birth", "c-amount_owed"):
        assert f'id="id_{field}_error"' in page, field


def test_intake_double_submit_opens_one_case(cw_client):
    first = cw_client.post("/cases/new/", intake_data())
    second = cw_client.post("/cases/new/", intake_data())
    assert Case.objects.count() == 1 and Migrant.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


def test_intake_failed_then_corrected_with_the_same_token(cw_client):
    assert cw_client.post("/cases/new/", intake_data(**{"m-phone": "bad"})).status_code == 400
    assert cw_client.post("/cases/new/", intake_data()).status_code == 302
    assert Case.objects.count() == 1


def test_intake_with_an_existing_migrant(cw_client, org, caseworker):
    person = factories.migrant(org, caseworker)
    offered = cw_client.post("/cases/new/", {"use_existing": person.pk, "c-summary": "kept"})
    assert offered.status_code == 200
    assert f'value="{person.pk}"' in offered.content.decode() and "kept" in offered.content.decode()
    response = cw_client.post(
        "/cases/new/",
        {
            "m-existing_migrant": person.pk,
            "c-problem_type": "registration",
            "c-priority": "high",
            "c-submission": "t2",
        },
    )
    assert response.status_code == 302
    assert Migrant.objects.count() == 1 and Case.objects.get().migrant == person


def test_duplicate_warning_offers_the_existing_person(cw_client, org, caseworker):
    factories.migrant(
        org,
        caseworker,
        full_name_latin="Zarina Karimova",
        full_name_cyrillic="Зарина Каримова",
        date_of_birth=date(1995, 1, 2),
        phone="+992935551234",
    )
    by_name = cw_client.post(
        "/cases/new/duplicates/",
        {"m-full_name_cyrillic": "Зарина Каримова", "m-date_of_birth": "1995-01-02"},
    )
    assert "Use this person" in by_name.content.decode()
    by_phone = cw_client.post("/cases/new/duplicates/", {"m-phone": "+992 (93) 555-12-34"})
    assert "Use this person" in by_phone.content.decode()
    nothing = cw_client.post(
        "/cases/new/duplicates/",
        {"m-full_name_latin": "Zarina Karimova", "m-date_of_birth": "1996-01-02"},
    )
    assert "Use this person" not in nothing.content.decode()


def test_close_without_outcome_is_a_400(cw_client, case):
    response = cw_client.post(f"/cases/{case.pk}/close/", {"outcome": ""})
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.NEW


def test_close_and_double_close(cw_client, case):
    assert (
        cw_client.post(
            f"/cases/{case.pk}/close/", {"outcome": "referred", "confirmed": "1"}
        ).status_code
        == 302
    )
    assert (
        cw_client.post(
            f"/cases/{case.pk}/close/", {"outcome": "referred", "confirmed": "1"}
        ).status_code
        == 302
    )
    assert case.timeline.filter(kind=TimelineEvent.Kind.STATUS).count() == 1


def test_reopen_without_reason_is_a_400(client, case, supervisor):
    client.force_login(supervisor)
    client.post(f"/cases/{case.pk}/close/", {"outcome": "resolved", "confirmed": "1"})
    response = client.post(f"/cases/{case.pk}/reopen/", {"reason": ""})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert client.post(f"/cases/{case.pk}/reopen/", {"reason": "back"}).status_code == 302


def test_impossible_status_is_a_400(cw_client, case):
    response = cw_client.post(f"/cases/{case.pk}/status/", {"to": "new"})
    assert response.status_code == 302  # same status: nothing to do
    response = cw_client.post(f"/cases/{case.pk}/status/", {"to": "resolved"})
    assert response.status_code == 400
    response = cw_client.post(f"/cases/{case.pk}/status/", {"to": "nonsense"})
    assert response.status_code == 400


def test_assign_to_a_user_of_another_organisation_is_a_400(client, case, supervisor, other_org):
    stranger = factories.member(other_org)
    client.force_login(supervisor)
    response = client.post(f"/cases/{case.pk}/assign/", {"assignee": stranger.pk})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.assignee != stranger


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"arrival_date": TOMORROW}, "arrival_date"),
        ({"amount_owed": "0"}, "amount_owed"),
        ({"employer_tax_id": "123"}, "employer_tax_id"),
        ({"entry_point": "x" * 101}, "entry_point"),
        ({"passport_recovery_steps": "x" * 5001}, "passport_recovery_steps"),
        ({"wage_period_start": "2026-03-01", "wage_period_end": "2026-02-01"}, "wage_period_end"),
    ],
)
def test_facts_bad_input(cw_client, case, data, field):
    payload = {"country_of_stay": "RU", "currency": "RUB", "employer_name": "Changed", **data}
    response = cw_client.post(f"/cases/{case.pk}/facts/", payload)
    assert response.status_code == 400
    assert f"id_{field}_error" in response.content.decode()
    case.refresh_from_db()
    assert case.employer_name != "Changed"


def test_migrant_edit_bad_phone_keeps_the_old_record(cw_client, case):
    before = case.migrant.phone
    response = cw_client.post(
        f"/cases/{case.pk}/migrant/",
        {
            "full_name_latin": "New Name",
            "citizenship": "TJ",
            "gender": "male",
            "preferred_language": "ru",
            "phone": "123",
        },
    )
    assert response.status_code == 400
    case.migrant.refresh_from_db()
    assert case.migrant.full_name_latin == "Rustam Nazarov" and case.migrant.phone == before


def test_migrant_edit_keeps_passport_when_left_empty(cw_client, org, caseworker):
    person = factories.migrant(org, caseworker, passport_number="400123456")
    case = factories.case(org, caseworker, person)
    form_page = cw_client.get(f"/cases/{case.pk}/migrant/").content.decode()
    assert "400123456" not in form_page
    response = cw_client.post(
        f"/cases/{case.pk}/migrant/",
        {
            "full_name_latin": "Rustam Nazarov",
            "citizenship": "TJ",
            "gender": "male",
            "preferred_language": "tg",
            "passport_number": "",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.passport_number == "400123456" and person.preferred_language == "tg"


def test_note_too_long_or_empty_is_a_400(cw_client, case):
    assert cw_client.post(f"/cases/{case.pk}/notes/", {"text": ""}).status_code == 400
    response = cw_client.post(
        f"/cases/{case.pk}/notes/", {"text": "x" * 10_001}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert not case.timeline.filter(kind=TimelineEvent.Kind.NOTE).exists()


def test_note_double_submit_adds_one_note(cw_client, case):
    data = {"text": "Called the employer.", "submission": "note-token"}
    cw_client.post(f"/cases/{case.pk}/notes/", data, HTTP_HX_REQUEST="true")
    cw_client.post(f"/cases/{case.pk}/notes/", data, HTTP_HX_REQUEST="true")
    assert case.timeline.filter(kind=TimelineEvent.Kind.NOTE).count() == 1


def test_task_double_submit_adds_one_task(cw_client, case):
    for _ in range(2):
        cw_client.post(f"/cases/{case.pk}/tasks/", {"title": "Call", "submission": "task-1"})
    assert Task.objects.filter(case=case).count() == 1
    assert cw_client.post(f"/cases/{case.pk}/tasks/", {"title": ""}).status_code == 400


def test_user_text_is_escaped_everywhere(cw_client, org, caseworker):
    evil = "<script>alert(1)</script>"
    person = factories.migrant(org, caseworker, city=evil)
    # A name can no longer hold markup (cases.names); one stored before the rule still might.
    Migrant.objects.filter(pk=person.pk).update(full_name_latin=f"A {evil}")
    case = factories.case(org, caseworker, person, summary=evil, assignee=caseworker)
    cw_client.post(f"/cases/{case.pk}/notes/", {"text": evil})
    for url in [f"/cases/{case.pk}/", "/", "/cases/"]:
        page = cw_client.get(url).content.decode()
        assert "<script>alert" not in page
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;"
        in cw_client.get(f"/cases/{case.pk}/").content.decode()
    )


def test_bad_filter_values_are_a_400_not_a_500(cw_client, case):
    assert cw_client.get("/cases/?status=bogus").status_code == 400
    assert cw_client.get("/cases/?after=not-a-cursor").status_code == 200


def test_members_add_bad_input(client, org_admin):
    client.force_login(org_admin)
    assert client.post("/members/", {"role": "caseworker"}).status_code == 400
    assert client.post("/members/", {"existing": "nobody", "role": "caseworker"}).status_code == 400
    weak = {"new_username": "newbie", "new_password": "123", "role": "caseworker"}
    assert client.post("/members/", weak).status_code == 400
    assert client.post("/members/", {**weak, "role": "emperor"}).status_code == 400
    assert Membership.objects.count() == 1


def test_members_add_change_deactivate(client, org, org_admin):
    client.force_login(org_admin)
    response = client.post(
        "/members/",
        {
            "new_username": "dilnoza",
            "new_email": "d@example.org",
            "role": "caseworker",
            "new_password": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="dilnoza")
    prefix = f"m{membership.pk}"
    response = client.post(
        f"/members/{membership.pk}/",
        {
            f"{prefix}-role": "supervisor",
            f"{prefix}-is_active": "on",
            f"{prefix}-can_reveal_identifiers": "on",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "supervisor" and membership.can_reveal_identifiers
    client.post(f"/members/{membership.pk}/", {f"{prefix}-role": "supervisor"})
    membership.refresh_from_db()
    assert not membership.is_active
    own = Membership.objects.get(user=org_admin)
    response = client.post(
        f"/members/{own.pk}/", {f"m{own.pk}-role": "caseworker", f"m{own.pk}-is_active": "on"}
    )
    assert response.status_code == 400  # the last admin cannot demote themselves
    assert "at least one active organisation admin" in response.content.decode()


def test_resolve_then_close_then_reopen(client, case, supervisor):
    client.force_login(supervisor)
    client.post(f"/cases/{case.pk}/status/", {"to": "in_progress"})
    response = client.post(
        f"/cases/{case.pk}/close/", {"outcome": "resolved", "resolve": "1", "confirmed": "1"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED and case.outcome == "resolved"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Close the case" in page and "Reopen" in page
    client.post(f"/cases/{case.pk}/close/", {"outcome": case.outcome, "confirmed": "1"})
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


@pytest.mark.parametrize("value", ["", "b", "<&>", None, "missing"])
def test_fast_select_renders_what_the_django_template_renders(value):
    from django import forms as django_forms

    from cases.forms import FastSelect

    choices = [
        ("", "Any"),
        ("b", 'Bee "quoted" & <b>'),
        ("<&>", "Escaped value"),
        ("Group <1>", [("g1", "One"), ("g2", "Two")]),
        (3, 3),
    ]
    attrs = {"id": "id_x", "class": "wide", "required": True, "disabled": False, "data-n": 7}
    fast = FastSelect(attrs={"title": "T"}, choices=choices)
    django = django_forms.Select(attrs={"title": "T"}, choices=choices)
    assert fast.render("x<", value, attrs) == django.render("x<", value, attrs)


def test_filter_form_renders_as_with_django_templates(db):
    """FastSelect and FastBoundField render what Django's own widgets and field.html do."""
    from django import forms as django_forms

    from cases.forms import FastSelect, FilterForm

    org = factories.organisation("MSK")
    factories.member(org, Membership.Role.CASEWORKER)
    for data in (
        None,
        {"status": "open", "assignee": "me", "sort": "bogus"},
        {"status": "closed", "overdue": "on", "citizenship": "TJ"},
    ):
        fast = FilterForm(data, organisation=org)
        plain = FilterForm(data, organisation=org)
        plain.bound_field_class = django_forms.BoundField
        for field in plain.fields.values():
            if isinstance(field.widget, FastSelect):
                field.widget = django_forms.Select(choices=field.choices)
        assert [str(f.as_field_group()) for f in fast] == [str(f.as_field_group()) for f in plain]


def test_duplicate_warning_on_the_name_alone_folded_transliterated_and_similar(
    cw_client, org, caseworker
):
    person = factories.migrant(
        org,
        caseworker,
        full_name_latin="Rustam Nazarov",
        full_name_cyrillic="Рустам Назаров",
        date_of_birth=date(1990, 5, 17),
        phone="",
    )
    case = factories.case(org, caseworker, person)
    for typed in ("Rustam Nazarov", "РУСТАМ НАЗАРОВ", "Nazarov Rustam", "Rustan Nazarof"):
        page = cw_client.post("/cases/new/duplicates/", {"m-full_name_latin": typed})
        html = page.content.decode()
        assert "Use this person" in html, typed
        # Enough to decide: the case number with its link and opening date, the birth year.
        assert case.number in html and case.get_absolute_url() in html, typed
        assert "1990" in html and "similar name only" in html, typed
    strong = cw_client.post(
        "/cases/new/duplicates/",
        {"m-full_name_latin": "Rustam Nazarov", "m-date_of_birth": "1990-05-17"},
    )
    assert "same name and birth date or phone" in strong.content.decode()
    other = cw_client.post("/cases/new/duplicates/", {"m-full_name_latin": "Farrukh Aliev"})
    assert "Use this person" not in other.content.decode()


@pytest.mark.parametrize("bound", [False, True])
def test_case_page_forms_render_as_with_django_templates(db, bound):
    """The case page's forms use FastBoundField and FastSelect: the same HTML as Django's."""
    from django import forms as django_forms

    from cases import assign_forms
    from cases import forms as case_forms

    org = factories.organisation("MSK")
    member = factories.member(org, Membership.Role.CASEWORKER)
    data = {"assignee": "999999", "outcome": "", "to": "bogus", "text": "", "reason": ""}

    def build(form_class):
        extra = {"organisation": org} if form_class is assign_forms.AssignForm else {}
        initial = {"assignee": member.pk} if form_class is assign_forms.AssignForm else None
        args = (data,) if bound else ()
        return form_class(*args, initial=initial, **extra)

    for form_class in (
        case_forms.NoteForm,
        case_forms.StatusForm,
        case_forms.CloseForm,
        case_forms.ReopenForm,
        case_forms.ReopenRequestForm,
        assign_forms.AssignForm,
        case_forms.TaskForm,
        case_forms.ConsentForm,
    ):
        fast, plain = build(form_class), build(form_class)
        plain.bound_field_class = django_forms.BoundField
        for field in plain.fields.values():
            if isinstance(field.widget, case_forms.FastSelect):
                field.widget = django_forms.Select(choices=field.choices)
        # The submission token differs per form built: compare without it.
        for form in (fast, plain):
            form.initial.pop("submission", None)
        rendered = [str(f.as_field_group()) for f in fast]
        assert rendered == [str(f.as_field_group()) for f in plain], form_class
        assert str(fast.as_div()) == str(plain.as_div()), form_class


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"m-full_name_latin": "Farrukh 😀 Rakhimov"}, "m-full_name_latin"),
        ({"m-full_name_latin": "Фаррух Rakhimov"}, "m-full_name_latin"),
        ({"m-full_name_latin": "Farrukh2"}, "m-full_name_latin"),
        ({"m-full_name_cyrillic": "Farrukh Рахимов"}, "m-full_name_cyrillic"),
        ({"m-full_name_latin": "'-."}, "m-full_name_latin"),
        ({"m-full_name_latin": "Farrukh " * 700}, "m-full_name_latin"),
    ],
    ids=["emoji", "cyrillic in latin", "digit", "latin in cyrillic", "no letters", "5,600 chars"],
)
def test_names_are_of_their_own_script_and_limits_are_told(cw_client, overrides, field):
    """Issue 21: emoji and mixed scripts were accepted; a long name was cut without a word."""
    response = cw_client.post("/cases/new/", intake_data(**overrides))
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Migrant.objects.exists()


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("RAKHIMOV FARRUKH", "Раҳимов Фаррух"),
        ("Oʻlmas Joʻrayev", "Ўлмас Жўраев"),
        ("Nurlan Üsönov-Kyzy", "Нурлан Үсөнов-кызы"),
        ("D'Artagnan Jr.", "Ҷӯраев Қодир Ғафурович"),
    ],
)
def test_real_names_in_every_script_are_accepted(cw_client, latin, cyrillic):
    response = cw_client.post(
        "/cases/new/", intake_data(**{"m-full_name_latin": latin, "m-full_name_cyrillic": cyrillic})
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Migrant.objects.get().full_name_cyrillic == cyrillic


def test_the_name_fields_do_not_cut_pasted_text(cw_client):
    page = cw_client.get("/cases/new/").content.decode()
    field = re.search(r'<input[^>]*name="m-full_name_latin"[^>]*>', page).group(0)
    assert "maxlength" not in field
