"""The case list's cheap parts behave as the plain ones did: the cached filter form renders
what the template renders, member changes show at once, row links match get_absolute_url, and
the page query reads only the columns a row shows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import User
from cases import forms, queries
from cases.case_table import case_url_prefix
from cases.models import Membership, Migrant
from tests import factories

pytestmark = pytest.mark.django_db

TEMPLATE_LOOP = Template(
    '{% for field in filter_form %}<div class="field">{{ field.as_field_group }}</div>{% endfor %}'
)


# templates/cases/_case_table.html's loop before the rows were rendered in Python.
TEMPLATE_ROWS = Template(
    """{% load i18n %}{% translate "Case" as t_case %}{% translate "Migrant" as t_migrant %}\
{% translate "Problem" as t_problem %}{% translate "Status" as t_status %}\
{% translate "Assignee" as t_assignee %}{% translate "Opened" as t_opened %}\
{% translate "Unassigned" as t_unassigned %}<tbody>
  {% for case in cases %}
    <tr>
      <td data-label="{{ t_case }}"><a href="{{ case.get_absolute_url }}">{{ case.number }}</a></td>
      <td data-label="{{ t_migrant }}">{{ case.migrant.display_name }}{% if case.migrant.full_name_cyrillic %} <span class="muted">· {{ case.migrant.full_name_latin }}</span>{% endif %}</td>
      <td data-label="{{ t_problem }}">{{ case.get_problem_type_display }}</td>
      <td data-label="{{ t_status }}"><span class="status status-{{ case.status }}">{{ case.get_status_display }}</span></td>
      <td data-label="{{ t_assignee }}">{% if case.assignee %}{{ case.assignee.get_full_name|default:case.assignee.username }}{% else %}<span class="muted">{{ t_unassigned }}</span>{% endif %}</td>
      <td data-label="{{ t_opened }}">{{ case.opened_at|date:"j M Y" }}</td>
    </tr>
  {% empty %}
    <tr class="empty"><td colspan="6" class="muted">{{ empty_text }}</td></tr>
  {% endfor %}
  </tbody>"""  # noqa: E501
)
NEW_ROWS = Template("{% load case_table %}<tbody>\n  {% case_rows cases empty_text %}\n  </tbody>")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_case_rows_render_what_the_template_rendered(org, caseworker, supervisor, language):
    supervisor.first_name, supervisor.last_name = "Anvar", "<Tursunov>"
    supervisor.save()
    latin_only = factories.migrant(org, caseworker, full_name_cyrillic="", full_name_latin="O'Neil")
    # A name may no longer hold "&" (cases.names); one stored before must still be escaped.
    Migrant.objects.filter(pk=latin_only.pk).update(full_name_latin="O'Neil & Co")
    latin_only.refresh_from_db()
    factories.case(org, caseworker, assignee=caseworker)
    factories.case(org, caseworker, latin_only, assignee=supervisor)
    factories.case(org, caseworker)  # unassigned
    rows = queries.keyset_page(queries.org_cases(caseworker, org), sort="newest").rows
    for cases in (rows, []):
        context = {"cases": cases, "empty_text": "No cases <match>."}
        with translation.override(language):
            assert NEW_ROWS.render(Context(context)) == TEMPLATE_ROWS.render(Context(context))


def _filters_html(page: str) -> str:
    start = page.index('<form method="get"')
    return page[start : page.index("</form>", start)]


def _template_filters_html(org, data=None) -> str:
    form = forms.FilterForm(data, organisation=org)
    return TEMPLATE_LOOP.render(Context({"filter_form": form}))


@pytest.mark.parametrize("language", ["en", "ru"])
def test_cached_filter_form_is_what_the_template_renders(cw_client, org, caseworker, language):
    caseworker.language = language
    caseworker.save()
    factories.member(org, Membership.Role.CASEWORKER)
    for url in ("/cases/", "/cases/", "/cases/?after=bogus"):  # miss, hit, a bound empty form
        page = cw_client.get(url).content.decode()
        with translation.override(language):
            assert _template_filters_html(org) in _filters_html(page)


def test_a_filtered_list_renders_the_chosen_values(cw_client, org, caseworker):
    page = cw_client.get(f"/cases/?status=open&assignee={caseworker.pk}").content.decode()
    expected = _template_filters_html(org, {"status": "open", "assignee": str(caseworker.pk)})
    assert expected in _filters_html(page)
    assert f'<option value="{caseworker.pk}" selected>' in page


def test_member_changes_show_in_the_filters_and_the_assign_form(cw_client, org, case):
    cw_client.get("/cases/")  # cached
    newcomer = factories.member(org, Membership.Role.CASEWORKER)
    assert f'<option value="{newcomer.pk}">{newcomer.username}</option>' in (
        cw_client.get("/cases/").content.decode()
    )
    newcomer.first_name, newcomer.last_name = "Dilnoza", "Karimova"
    newcomer.save()
    assert "Dilnoza Karimova" in cw_client.get("/cases/").content.decode()
    Membership.objects.get(user=newcomer).delete()
    assert "Dilnoza Karimova" not in cw_client.get("/cases/").content.decode()
    page = cw_client.get(f"/cases/{case.pk}/").content.decode()
    assert f'value="{newcomer.pk}"' not in page


def test_assigning_a_user_who_left_is_a_form_error(cw_client, org, case, supervisor):
    leaver = factories.member(org, Membership.Role.CASEWORKER)
    cw_client.force_login(supervisor)
    cw_client.get(f"/cases/{case.pk}/")
    Membership.objects.filter(user=leaver).update(is_active=False)  # no signal: cache stale
    response = cw_client.post(f"/cases/{case.pk}/assign/", {"assignee": leaver.pk})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.assignee_id != leaver.pk


def test_row_links_are_the_case_urls(cw_client, org, caseworker, case):
    assert f"{case_url_prefix()}{case.pk}/" == case.get_absolute_url()
    page = cw_client.get("/cases/").content.decode()
    assert f'href="{case.get_absolute_url()}"' in page


def test_the_page_query_reads_no_summary_and_no_password(cw_client, case):
    cw_client.get("/cases/")
    with CaptureQueriesContext(connection) as captured:
        page = cw_client.get("/cases/").content.decode()
    (listing,) = [q["sql"] for q in captured if 'FROM "cases_case"' in q["sql"]]
    assert '"summary"' not in listing and '"password"' not in listing
    assert case.number in page and case.migrant.full_name_latin in page
    assert User.objects.get(pk=case.assignee_id).username in page


def test_deploy_check_warns_of_a_process_local_cache():
    from django.test import override_settings

    from cases.checks import shared_cache_check

    local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    shared = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    with override_settings(CACHES=local):
        assert [w.id for w in shared_cache_check()] == ["hamroh.W001"]
    with override_settings(CACHES=shared):
        assert shared_cache_check() == []
