"""The key-rate table in the database: loaded by load_rules, edited in the admin."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from content import calculators, keyratedata
from content.models import KeyRate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_load_rules_loads_the_key_rates_and_is_idempotent():
    out = StringIO()
    call_command("load_rules", "--no-resync", stdout=out)
    rows = len(keyratedata.read())
    assert f"key rates: {rows} loaded or changed" in out.getvalue()
    assert KeyRate.objects.count() == rows
    assert keyratedata.rates_from_db() == keyratedata.parse(keyratedata.read())
    out = StringIO()
    call_command("load_rules", "--no-resync", stdout=out)
    assert "key rates: 0 loaded or changed" in out.getvalue()


def test_a_row_added_in_the_admin_survives_a_reload_and_is_used(admin_client):
    keyratedata.import_rates(keyratedata.read())
    response = admin_client.post(
        reverse("admin:content_keyrate_add"),
        {
            "effective_from": "2026-03-23",
            "rate": "15.00",
            "decision": "Решение Совета директоров Банка России от 20.03.2026",
            "to_verify": "on",
            "note": "entered by hand",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    keyratedata.import_rates(keyratedata.read())
    assert KeyRate.objects.filter(effective_from=date(2026, 3, 23)).exists()
    result = calculators.late_pay_compensation(
        Decimal("85000"),
        due_date=date(2026, 3, 20),
        paid_on=date(2026, 3, 24),
        rates=keyratedata.rates_from_db(),
    )
    # 21.03-22.03 at 15.5% (2 days), 23.03-24.03 at the row added (15%, 2 days)
    assert [(s.days, s.rate.rate) for s in result.segments] == [
        (2, Decimal("15.50")),
        (2, Decimal("15.00")),
    ]


def test_the_admin_refuses_a_rate_out_of_range(admin_client):
    response = admin_client.post(
        reverse("admin:content_keyrate_add"),
        {"effective_from": "2026-03-23", "rate": "150", "decision": "x"},
    )
    assert response.status_code == 200
    assert not KeyRate.objects.exists()


def test_the_admin_lists_the_rates(admin_client):
    keyratedata.import_rates(keyratedata.read())
    response = admin_client.get(reverse("admin:content_keyrate_changelist"))
    assert response.status_code == 200
    assert "13.02.2026" in response.content.decode()
