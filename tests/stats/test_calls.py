"""The call log in the statistics: calls by topic and by language, scoped, in the period, and
with small counts hidden when the tables are to leave the organisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import calls as call_log
from cases.models import Call, Membership
from stats import calls as stats_calls
from stats.queries import Filters
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotline(db):
    org, other = factories.organisation("MSK"), factories.organisation("EKB")
    worker = factories.member(org, Membership.Role.CASEWORKER)
    admin = factories.member(org, Membership.Role.ADMIN)
    elsewhere = factories.member(other, Membership.Role.CASEWORKER)

    def log(organisation, by, language, topics, **values):
        return call_log.log_call(
            organisation=organisation, by=by, language=language, topics=topics,
            outcome=Call.Outcome.ADVICE, **values,
        )  # fmt: skip

    for _n in range(6):
        log(org, worker, "tg", ["unpaid_wages"])
    log(org, worker, "uz", ["unpaid_wages", "reentry_ban"])
    log(org, worker, "uz", [])
    log(org, worker, "ru", ["patent"], received_at=timezone.now() - timedelta(days=400))
    log(other, elsewhere, "ky", ["detention"])  # another organisation's
    return {"org": org, "admin": admin}


def _column(table):
    return dict(zip(table.row_keys, (row[0] for row in table.counts), strict=True))


def test_calls_by_topic_count_each_topic_of_a_call(hotline):
    since = timezone.localdate() - timedelta(days=30)
    table = stats_calls.calls_by_topic(Filters((hotline["org"].pk,), date_from=since))
    counts = _column(table)
    assert counts["unpaid_wages"] == 7 and counts["reentry_ban"] == 1
    assert counts[""] == 1  # the call with no topic recorded
    assert counts["patent"] == 0 and counts["detention"] == 0  # out of period; elsewhere
    assert table.col_labels == ["Calls"] and "several problems" in table.note
    assert table.row_labels[table.row_keys.index("")] == "No topic recorded"


def test_calls_by_language_and_the_filters(hotline):
    org = (hotline["org"].pk,)
    counts = _column(stats_calls.calls_by_language(Filters(org)))
    assert (counts["tg"], counts["uz"], counts["ru"], counts["ky"]) == (6, 2, 1, 0)
    wages = _column(stats_calls.calls_by_language(Filters(org, problem="unpaid_wages")))
    assert (wages["tg"], wages["uz"]) == (6, 1)
    everyone = _column(stats_calls.calls_by_language(Filters(None)))
    assert everyone["ky"] == 1  # the network view counts every organisation's calls


def test_the_dashboard_shows_the_calls_and_hides_small_counts_for_sharing(client, hotline):
    client.force_login(hotline["admin"])
    internal = client.get(reverse("stats:dashboard"))
    shown = {item["table"].key: item["table"] for item in internal.context["tables"]}
    language = shown["calls_by_language"]
    assert (
        dict(zip(language.row_labels, (r[0] for r in language.rows), strict=True))["Oʻzbekcha"] == 2
    )
    assert "Calls by topic" in internal.content.decode()
    outside = client.get(reverse("stats:dashboard"), {"audience": "outside"})
    tables = {item["table"].key: item["table"] for item in outside.context["tables"]}
    for key in ("calls_by_topic", "calls_by_language"):
        for row in tables[key].rows:
            assert not isinstance(row[0], int) or row[0] >= 5, (key, row)
    shared = dict(
        zip(tables["calls_by_language"].row_labels, tables["calls_by_language"].rows, strict=True)
    )
    assert shared["Oʻzbekcha"] == ["<5"]
