"""Calendar decrees in the database: loaded by `load_rules`, edited in the admin, read by the
engine, and a warning while next year has none."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from content import calendardata, calendars, checks, rulesets
from content.models import CalendarDecree, CalendarOverride

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_load_rules_loads_decree_1466_and_is_idempotent():
    out = StringIO()
    call_command("load_rules", "--no-resync", stdout=out)
    assert "calendar decrees: 1 loaded or changed" in out.getvalue()
    decree = CalendarDecree.objects.get(country="RU", year=2026)
    assert (decree.number, decree.signed_on) == ("1466", date(2025, 9, 24))
    assert sorted(decree.days.values_list("day", "is_working_day")) == [
        (date(2026, 1, 9), False),
        (date(2026, 12, 31), False),
    ]
    out = StringIO()
    call_command("load_rules", "--no-resync", stdout=out)
    assert "calendar decrees: 0 loaded or changed" in out.getvalue()


def test_the_ruleset_from_the_database_counts_by_the_loaded_decree():
    calendardata.import_decrees(calendardata.read_dir())
    ruleset = rulesets.ruleset_from_db(country="RU")
    calendar_ = calendars.WorkCalendar(
        overrides=dict(ruleset.calendar_overrides), decrees=ruleset.calendar_decrees
    )
    assert not calendars.is_working_day(date(2026, 1, 9), calendar_)
    assert ruleset.calendar_overrides == ()  # the decree's days are not ad-hoc corrections
    assert calendar_.provisional(2027) and not calendar_.provisional(2026)


def test_a_new_decree_loaded_in_the_admin_ends_provisional(admin_client):
    response = admin_client.post(
        reverse("admin:content_calendardecree_add"),
        {
            "country": "RU",
            "year": "2027",
            "number": "9999",
            "signed_on": "2026-09-30",
            "title": "test decree",
            "publication": "",
            "note": "",
            "days-TOTAL_FORMS": "1",
            "days-INITIAL_FORMS": "0",
            "days-0-day": "2027-11-05",
            "days-0-is_working_day": "",
            "days-0-note": "moved from 2 January",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    day = CalendarOverride.objects.get(day=date(2027, 11, 5))
    assert (day.decree.year, day.country, day.is_working_day) == (2027, "RU", False)
    ruleset = rulesets.ruleset_from_db(country="RU")
    calendar_ = calendars.WorkCalendar(decrees=ruleset.calendar_decrees)
    assert not calendar_.provisional(2027)
    assert not calendars.is_working_day(date(2027, 11, 5), calendar_)


def test_a_decree_day_outside_its_year_is_refused():
    decree = CalendarDecree.objects.create(year=2027, number="1", signed_on=date(2026, 9, 1))
    day = CalendarOverride(decree=decree, day=date(2028, 1, 3), is_working_day=False)
    with pytest.raises(ValidationError, match="decree's year"):
        day.full_clean()


def test_the_admin_and_the_system_check_warn_while_next_year_has_no_decree(admin_client):
    response = admin_client.get(reverse("admin:content_calendardecree_changelist"))
    year = timezone.localdate().year + 1
    assert f"No calendar decree for {year} is loaded" in response.content.decode()
    warnings = checks.next_year_decree_check(databases=["default"])
    assert [w.id for w in warnings] == ["hamroh.W101"]
    CalendarDecree.objects.create(year=year, number="1", signed_on=date(year - 1, 9, 1))
    assert checks.next_year_decree_check(databases=["default"]) == []
    response = admin_client.get(reverse("admin:content_calendardecree_changelist"))
    assert "No calendar decree for" not in response.content.decode()
