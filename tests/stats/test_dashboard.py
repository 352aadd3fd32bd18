"""The dashboard: organisation scoping of every number, the network view's suppression, i18n."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cases.models import Deadline, Delivery, Reminder


def _numbers(context) -> list[int]:
    """Every count the page shows: all tables, the monthly series and the medians' case counts."""
    found: list[int] = []
    shown = [item["table"] for item in context["tables"]] + [context["opened"], context["closed"]]
    for table in shown:
        values = [v for row in table.rows for v in row] + list(table.row_totals)
        values += list(table.col_totals) + [table.total]
        found += [v for v in values if isinstance(v, int)]
    found += [m["m"].cases for m in context["medians"] if not m["hidden"]]
    return found


def _reminders_for(case, *, failed: int, sent: int) -> None:
    deadline = Deadline.objects.create(
        case=case, key="k", title="t", due_date=timezone.localdate() - timedelta(days=2)
    )
    for offset in range(failed + sent):
        reminder = Reminder.objects.create(
            deadline=deadline, audience="migrant", offset_days=offset, send_at=timezone.now()
        )
        Delivery.objects.create(
            reminder=reminder, channel="sms", state="failed" if offset < failed else "sent"
        )


def test_an_organisation_admin_sees_only_their_organisation(client, world):
    b_case = world["org_b"].cases.first()
    _reminders_for(b_case, failed=3, sent=9)
    client.force_login(world["admin_a"])
    # Asking for Org B or the network view is ignored for an organisation admin.
    response = client.get(
        reverse("stats:dashboard"), {"organisation": world["org_b"].pk, "scope": "network"}
    )
    assert response.status_code == 200
    context = response.context
    assert context["scope"].organisation == world["org_a"]
    tables = {item["table"].key: item["table"] for item in context["tables"]}
    assert tables["problem"].total == 4
    problems = tables["problem"]
    assert dict(zip(problems.row_labels, (r[0] for r in problems.rows), strict=True)) == {
        "Unpaid wages": 3,
        "Passport or documents confiscated": 1,
        "Re-entry ban": 0,
        "Registration problem": 0,
        "Patent / work permit": 0,
        "Trafficking or forced labour": 0,
        "Police detention or extortion": 0,
        "Other": 0,
    }
    assert tables["open_by_status"].total == 3
    assert tables["overdue_deadlines"].total == 0  # Org B's overdue deadline is not counted
    assert tables["reminders_by_channel"].rows == []  # nor its deliveries
    assert context["opened"].total == 4
    # No figure on the page can include Org B's seven cases.
    assert max(_numbers(context)) <= 4
    labels = [label for item in context["tables"] for label in item["table"].row_labels]
    assert "Uzbekistan" not in labels and "Registration problem" in labels


def test_the_other_organisation_sees_its_own_numbers(client, world):
    _reminders_for(world["org_b"].cases.first(), failed=3, sent=9)
    client.force_login(world["admin_b"])
    context = client.get(reverse("stats:dashboard")).context
    tables = {item["table"].key: item["table"] for item in context["tables"]}
    assert tables["problem"].total == 7
    assert tables["overdue_deadlines"].total == 1
    assert tables["reminders_by_channel"].rows == [[9, 3]]


def test_charts_and_tables_render_for_an_organisation_admin(client, world):
    client.force_login(world["admin_a"])
    response = client.get(reverse("stats:dashboard"))
    content = response.content.decode()
    assert content.count("<svg") >= 5
    assert "<polyline" in content or "<circle" in content
    assert "<table" in content
    assert 'href="/stats/export/table/?' in content


def test_the_network_view_never_shows_a_count_below_k(client, world, settings):
    settings.STATS_MIN_CELL = 5
    client.force_login(world["platform"])
    response = client.get(reverse("stats:dashboard"), {"scope": "network"})
    assert response.status_code == 200
    context = response.context
    assert context["scope"].network and context["k"] == 5
    numbers = _numbers(context)
    assert numbers and min(numbers) >= 5  # 11 cases in all: the total shows
    assert all(m["hidden"] for m in context["medians"] if m["m"].cases < 5)
    assert "&lt;5" in response.content.decode()
    # The network view cannot be switched to exact numbers.
    response = client.get(reverse("stats:dashboard"), {"scope": "network", "audience": "internal"})
    assert min(_numbers(response.context)) >= 5


def test_network_exports_never_show_a_count_below_k(client, world):
    from tests.stats.helpers import body, parse_csv

    client.force_login(world["platform"])
    for rows, cols in [("problem", ""), ("citizenship", "problem"), ("organisation", "gender")]:
        response = client.get(
            reverse("stats:export_table"),
            {"scope": "network", "rows": rows, "cols": cols, "fmt": "csv", "audience": "internal"},
        )
        _notes, table = parse_csv(body(response))
        for row in table[1:]:
            for value in row[1:]:
                assert not value.isdigit() or int(value) >= 5, (rows, cols, row)


def test_an_organisation_admin_can_prepare_tables_for_sharing(client, world):
    client.force_login(world["admin_a"])
    context = client.get(reverse("stats:dashboard"), {"audience": "outside"}).context
    assert context["k"] == 5
    assert all(n >= 5 for n in _numbers(context))


def test_the_dashboard_speaks_russian(client, world):
    # Staff see the interface in their saved language (cases.middleware.UserLanguageMiddleware).
    world["admin_a"].language = "ru"
    world["admin_a"].save(update_fields=["language"])
    client.force_login(world["admin_a"])
    response = client.get(reverse("stats:dashboard"), HTTP_ACCEPT_LANGUAGE="ru")
    content = response.content.decode()
    assert "Статистика" in content
    assert "Медиана дней до решения" in content


def test_bad_filters_are_a_400_with_field_errors(client, world):
    client.force_login(world["admin_a"])
    response = client.get(
        reverse("stats:dashboard"), {"date_from": "2026-05-01", "date_to": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "date_from" in response.context["form"].errors


def test_a_network_cross_tab_hides_its_totals_as_the_one_way_tables_do(client, world):
    from tests.stats.helpers import body, parse_csv

    client.force_login(world["platform"])

    def export(rows, cols=""):
        params = {"scope": "network", "rows": rows, "cols": cols, "fmt": "csv"}
        _notes, table = parse_csv(body(client.get(reverse("stats:export_table"), params)))
        return table

    problems = {row[0]: row[1] for row in export("problem")[1:]}
    genders = {row[0]: row[1] for row in export("gender")[1:]}
    cross = export("problem", "gender")
    assert {row[0]: row[-1] for row in cross[1:]} == problems  # row totals, then the total
    header, last = cross[0], cross[-1]
    assert dict(zip(header[1:-1], last[1:-1], strict=True)) == {
        k: v for k, v in genders.items() if k != "Total"
    }
    assert last[-1] == genders["Total"]
