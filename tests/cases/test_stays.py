"""Recording entries, exits and moves: validation, the re-plan of the migrant's open cases, the
case page's panel and scoping (the limits themselves: tests/content/test_stays.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import stays
from cases.models import Address, Case, Deadline, Stay
from cases.privacy.erasure import erase_migrant
from tests import factories
from tests.content import factories as content_factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rules():
    return content_factories.load_shipped_rules()


def registration_case(org, by, citizenship="TJ"):
    person = factories.migrant(org, by, citizenship=citizenship)
    return factories.case(org, by, person, problem_type=Case.ProblemType.REGISTRATION)


def open_deadlines(case):
    return {d.key: d for d in case.deadlines.exclude(state=Deadline.State.RETIRED)}


def test_tajik_with_sixty_days_entering_on_1_december_must_leave_by_30_december(org, caseworker):
    # 1 March–29 April 2026 is 60 days (both ends counted); 90 per calendar year leaves 30, and
    # the 30th day from 1 December 2026, the entry day counted as the first, is 30 December.
    case = registration_case(org, caseworker)
    stays.record_entry(
        migrant=case.migrant,
        by=caseworker,
        entry_date=date(2026, 3, 1),
        exit_date=date(2026, 4, 29),
    )
    stays.record_entry(
        migrant=case.migrant, by=caseworker, entry_date=date(2026, 12, 1), entry_point="Domodedovo"
    )
    case.refresh_from_db()
    assert case.arrival_date == date(2026, 12, 1)  # follows the latest entry
    assert case.entry_point == "Domodedovo"
    stay = open_deadlines(case)["stay.visa_free_limit"]
    assert (stay.rule_key, stay.due_date) == ("stay.yearly_limit", date(2026, 12, 30))
    assert "60 days already used in 2026" in stay.explanation
    recorded = list(Stay.objects.filter(migrant=case.migrant))
    assert stays.days_used(recorded, today=date(2026, 12, 3)) == 63  # 60 + 1–3 December


def test_a_case_opened_later_takes_the_latest_entry_as_its_arrival(org, caseworker):
    first = registration_case(org, caseworker)
    stays.record_entry(migrant=first.migrant, by=caseworker, entry_date=date(2026, 11, 2))
    later = factories.case(org, caseworker, first.migrant, problem_type="registration")
    assert later.arrival_date == date(2026, 11, 2)
    assert "stay.visa_free_limit" in open_deadlines(later)


def test_a_move_gives_a_second_registration_deadline(org, caseworker):
    case = registration_case(org, caseworker, citizenship="AZ")
    migrant = case.migrant
    stays.record_entry(migrant=migrant, by=caseworker, entry_date=date(2026, 3, 2))
    stays.record_move(
        migrant=migrant, by=caseworker, address="ul. Lenina 1", arrival_date=date(2026, 3, 2)
    )
    stays.record_move(
        migrant=migrant, by=caseworker, address="ul. Mira 5", arrival_date=date(2026, 4, 6)
    )
    planned = open_deadlines(case)
    assert planned["registration@2026-03-02"].due_date == date(2026, 3, 12)
    assert planned["registration@2026-04-06"].due_date == date(2026, 4, 15)
    assert planned["registration@2026-04-06"].rule_key == "registration.address_general"
    assert "registration" not in planned  # the arrival-date deadline gave way to the addresses
    first, second = Address.objects.filter(migrant=migrant).order_by("arrival_date")
    assert (first.end_date, second.end_date) == (date(2026, 4, 6), None)
    case.refresh_from_db()
    assert case.host_address == "ul. Mira 5"


def test_an_exit_ends_the_stay_and_the_address(org, caseworker):
    case = registration_case(org, caseworker)
    migrant = case.migrant
    stays.record_entry(migrant=migrant, by=caseworker, entry_date=date(2026, 3, 1))
    stays.record_move(
        migrant=migrant, by=caseworker, address="Kazan", arrival_date=date(2026, 3, 1)
    )
    stays.record_exit(migrant=migrant, by=caseworker, exit_date=date(2026, 4, 29))
    assert Stay.objects.get(migrant=migrant).exit_date == date(2026, 4, 29)
    assert Address.objects.get(migrant=migrant).end_date == date(2026, 4, 29)
    assert "stay.visa_free_limit" not in open_deadlines(case)  # he left: no limit runs
    with pytest.raises(ValidationError) as error:
        stays.record_exit(migrant=migrant, by=caseworker, exit_date=date(2026, 5, 1))
    assert "exit_date" in error.value.message_dict


def test_an_exit_before_a_recorded_move_is_refused(org, caseworker):
    case = registration_case(org, caseworker)
    migrant = case.migrant
    stays.record_entry(migrant=migrant, by=caseworker, entry_date=date(2026, 3, 1))
    stays.record_move(migrant=migrant, by=caseworker, address="A", arrival_date=date(2026, 3, 10))
    with pytest.raises(ValidationError) as error:
        stays.record_exit(migrant=migrant, by=caseworker, exit_date=date(2026, 3, 5))
    assert "after this exit" in error.value.message_dict["exit_date"][0]
    assert Stay.objects.get(migrant=migrant).exit_date is None


@pytest.mark.parametrize(
    ("first", "second", "field"),
    [
        # An exit before its entry.
        (None, {"entry_date": date(2026, 5, 1), "exit_date": date(2026, 4, 1)}, "exit_date"),
        # A second entry while the first stay has no exit.
        ({"entry_date": date(2026, 3, 1)}, {"entry_date": date(2026, 5, 1)}, "entry_date"),
        # A past trip running into a stay that has no exit yet.
        (
            {"entry_date": date(2026, 3, 1)},
            {"entry_date": date(2026, 1, 1), "exit_date": date(2026, 3, 5)},
            "exit_date",
        ),
        # A past trip overlapping a recorded one.
        (
            {"entry_date": date(2026, 3, 1), "exit_date": date(2026, 4, 1)},
            {"entry_date": date(2026, 2, 1), "exit_date": date(2026, 3, 1)},
            "exit_date",
        ),
        # A mistyped year.
        (None, {"entry_date": date(1026, 3, 1)}, "entry_date"),
    ],
)
def test_bad_entries_are_field_errors(org, caseworker, first, second, field):
    case = registration_case(org, caseworker)
    if first:
        stays.record_entry(migrant=case.migrant, by=caseworker, **first)
    with pytest.raises(ValidationError) as error:
        stays.record_entry(migrant=case.migrant, by=caseworker, **second)
    assert field in error.value.message_dict


def test_future_dates_and_moves_out_of_order_are_refused(org, caseworker):
    case = registration_case(org, caseworker)
    migrant = case.migrant
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        stays.record_entry(migrant=migrant, by=caseworker, entry_date=tomorrow)
    assert "future" in error.value.message_dict["entry_date"][0]
    stays.record_entry(migrant=migrant, by=caseworker, entry_date=date(2026, 3, 1))
    stays.record_move(migrant=migrant, by=caseworker, address="A", arrival_date=date(2026, 3, 5))
    for day, address in ((date(2026, 3, 5), "B"), (date(2026, 2, 1), "B"), (date(2026, 3, 9), " ")):
        with pytest.raises(ValidationError):
            stays.record_move(migrant=migrant, by=caseworker, address=address, arrival_date=day)
    assert Address.objects.filter(migrant=migrant).count() == 1


def test_a_move_must_fall_within_a_recorded_stay(org, caseworker):
    case = registration_case(org, caseworker)
    stays.record_entry(
        migrant=case.migrant,
        by=caseworker,
        entry_date=date(2026, 3, 1),
        exit_date=date(2026, 3, 31),
    )
    with pytest.raises(ValidationError) as error:
        stays.record_move(
            migrant=case.migrant, by=caseworker, address="A", arrival_date=date(2026, 5, 1)
        )
    assert "arrival_date" in error.value.message_dict


def test_another_organisation_cannot_record_or_see(org, caseworker, outsider):
    case = registration_case(org, caseworker)
    with pytest.raises(PermissionDenied):
        stays.record_entry(migrant=case.migrant, by=outsider, entry_date=date(2026, 3, 1))
    stays.record_entry(migrant=case.migrant, by=caseworker, entry_date=date(2026, 3, 1))
    assert not Stay.objects.visible_to(outsider).exists()
    assert Stay.objects.visible_to(caseworker).count() == 1


def test_erasure_removes_stays_and_addresses(org, caseworker, org_admin):
    case = registration_case(org, caseworker)
    stays.record_entry(migrant=case.migrant, by=caseworker, entry_date=date(2026, 3, 1))
    stays.record_move(
        migrant=case.migrant, by=caseworker, address="A", arrival_date=date(2026, 3, 1)
    )
    erase_migrant(migrant=case.migrant, by=org_admin)
    assert not Stay.objects.filter(migrant=case.migrant).exists()
    assert not Address.objects.filter(migrant=case.migrant).exists()
    assert not Stay.history.filter(migrant_id=case.migrant.pk).exists()


# --- The case page's panel ----------------------------------------------------------------------
def test_the_panel_records_a_move_and_shows_the_days(cw_client, org, caseworker):
    case = registration_case(org, caseworker)
    stays.record_entry(
        migrant=case.migrant,
        by=caseworker,
        entry_date=date(2026, 3, 1),
        exit_date=date(2026, 3, 10),
    )
    page = cw_client.get(case.get_absolute_url()).content.decode()
    # The case page loads the panel when it is scrolled to (htmx), or links to it.
    panel_url = reverse("cases:stays", args=[case.pk])
    assert 'id="stays"' in page and f'hx-get="{panel_url}"' in page
    panel = cw_client.get(panel_url, HTTP_HX_REQUEST="true").content.decode()
    assert "10 days in the country in 2026" in panel and "<html" not in panel
    assert "10 days in the country in 2026" in cw_client.get(panel_url).content.decode()
    response = cw_client.post(
        reverse("cases:stay_entry", args=[case.pk]), {"entry_date": "2026-11-01"}
    )
    assert response.status_code == 302
    response = cw_client.post(
        reverse("cases:stay_move", args=[case.pk]),
        {"address": "ul. Mira 5", "arrival_date": "2026-11-02"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "ul. Mira 5" in response.content.decode()
    assert "registration@2026-11-02" in open_deadlines(case)


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("cases:stay_entry", {"entry_date": "2026-05-01", "exit_date": "2026-04-01"}, "before"),
        ("cases:stay_entry", {"entry_date": "not a date"}, "valid date"),
        ("cases:stay_entry", {"entry_date": "9999-01-01"}, "between"),
        ("cases:stay_exit", {"exit_date": "2026-05-01"}, "No entry"),
        ("cases:stay_move", {"address": "", "arrival_date": "2026-05-01"}, "required"),
    ],
)
def test_bad_input_is_a_form_error_never_a_500(cw_client, org, caseworker, url, data, message):
    case = registration_case(org, caseworker)
    response = cw_client.post(reverse(url, args=[case.pk]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert message in response.content.decode()
    plain = cw_client.post(reverse(url, args=[case.pk]), data, follow=True)
    assert plain.status_code == 200
    assert message in plain.content.decode()
    assert not Stay.objects.filter(migrant=case.migrant, entry_date=date(2026, 5, 1)).exists()


def test_another_organisation_gets_no_panel(client, org, caseworker, outsider):
    case = registration_case(org, caseworker)
    client.force_login(outsider)
    response = client.post(
        reverse("cases:stay_entry", args=[case.pk]), {"entry_date": "2026-03-01"}
    )
    assert response.status_code == 404
    assert not Stay.objects.exists()
