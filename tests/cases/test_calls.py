"""The call log: logging calls (services), the page and its form, the caller search, opening a
case from a call, and that calls stay inside their organisation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import calls
from cases.models import Call, Case, Membership, Task, TimelineEvent
from tests import factories

pytestmark = pytest.mark.django_db

WAGES = Case.ProblemType.UNPAID_WAGES
BAN = Case.ProblemType.REENTRY_BAN


def _log(org, by, **values):
    values.setdefault("language", Call.Language.TG)
    values.setdefault("outcome", Call.Outcome.ADVICE)
    return calls.log_call(organisation=org, by=by, **values)


# --- services -------------------------------------------------------------------------------


def test_anonymous_call_is_logged_with_sorted_topics(org, caseworker):
    call = _log(org, caseworker, topics=[BAN, WAGES, BAN], note="  Asked about a ban.  ")
    assert call.migrant is None and call.case is None and call.is_anonymous
    assert call.topics == [WAGES, BAN]  # in the problem list's order
    assert call.note == "Asked about a ban."
    assert call.taken_by == caseworker
    assert call.history.get().history_user == caseworker  # audited like the other models


def test_a_call_on_a_case_takes_its_migrant_and_writes_the_timeline(org, caseworker, case):
    call = _log(org, caseworker, case=case, outcome=Call.Outcome.ADDED_TO_CASE, note="Paid?")
    assert call.migrant == case.migrant
    event = TimelineEvent.objects.get(case=case, kind=TimelineEvent.Kind.CALL)
    assert event.data["call"] == call.pk and event.text == "Paid?"


def test_follow_up_becomes_a_task_on_the_case(org, caseworker, case):
    due = timezone.localdate() + timedelta(days=2)
    call = _log(org, caseworker, case=case, follow_up="Call the employer", follow_up_due=due)
    task = Task.objects.get(case=case, title="Call the employer")
    assert task.due_date == due and task.assignee == caseworker
    assert call.follow_up_task == task


def test_follow_up_without_a_case_waits_for_one(org, caseworker):
    call = _log(org, caseworker, outcome=Call.Outcome.CALLBACK, follow_up="Call back on Monday")
    assert call.follow_up_task is None and not Task.objects.exists()
    case = factories.case(org, caseworker)
    call = calls.link_call(call=call, case=case, by=caseworker, opened=True)
    assert call.outcome == Call.Outcome.CASE_OPENED and call.migrant == case.migrant
    assert call.follow_up_task.case == case
    # Linking again (a double submit) changes nothing.
    assert (
        calls.link_call(call=call, case=case, by=caseworker).follow_up_task == call.follow_up_task
    )
    assert Task.objects.count() == 1


def test_every_error_at_once(org, caseworker):
    with pytest.raises(ValidationError) as exc:
        _log(
            org,
            caseworker,
            received_at=timezone.now() + timedelta(days=1),
            outcome=Call.Outcome.CASE_OPENED,
            language="xx",
            follow_up_due=timezone.localdate() - timedelta(days=1),
        )
    assert {"received_at", "outcome", "language", "follow_up", "follow_up_due"} <= set(
        exc.value.message_dict
    )
    assert not Call.objects.exists()


def test_unknown_topic_is_refused(org, caseworker):
    with pytest.raises(ValidationError) as exc:
        _log(org, caseworker, topics=["lottery"])
    assert "topics" in exc.value.message_dict


def test_another_organisations_migrant_or_case_is_refused(org, caseworker, other_org, outsider):
    theirs = factories.case(other_org, outsider)
    with pytest.raises(ValidationError) as exc:
        _log(org, caseworker, case=theirs)
    assert "migrant" in exc.value.message_dict
    with pytest.raises(ValidationError):
        _log(org, caseworker, migrant=theirs.migrant)
    call = _log(org, caseworker)
    with pytest.raises(ValidationError):
        calls.link_call(call=call, case=theirs, by=caseworker)


def test_a_case_of_someone_else_is_refused(org, caseworker, case):
    stranger = factories.migrant(org, caseworker, full_name_latin="Ali Valiev")
    with pytest.raises(ValidationError) as exc:
        _log(org, caseworker, migrant=stranger, case=case)
    assert "case" in exc.value.message_dict


def test_only_members_log_calls(org, outsider):
    with pytest.raises(PermissionDenied):
        _log(org, outsider)


def test_default_language_is_the_usual_one(org, caseworker):
    assert calls.default_language(org) == Call.Language.RU
    for language in ("uz", "uz", "tg"):
        _log(org, caseworker, language=language)
    assert calls.default_language(org) == "uz"


def test_callers_are_found_by_the_case_list_search(org, caseworker, case, other_org, outsider):
    factories.case(other_org, outsider)  # the same name elsewhere is not found
    found = calls.find_callers(user=caseworker, organisation=org, text="Рустам")
    assert [c.migrant for c in found] == [case.migrant]
    assert found[0].cases == [case]
    by_number = calls.find_callers(user=caseworker, organisation=org, text=case.number)
    assert [c.migrant for c in by_number] == [case.migrant]
    assert calls.find_callers(user=caseworker, organisation=org, text="  ") == []


def test_intake_starts_from_the_call(org, caseworker):
    call = _log(org, caseworker, topics=[WAGES, BAN], note="Not paid since May", language="tg")
    start = calls.intake_start(call)
    assert start.migrant is None
    assert start.case_initial == {
        "problem_type": WAGES,
        "other_problem_types": [BAN],
        "summary": "Not paid since May",
    }
    assert start.migrant_initial == {"preferred_language": "tg"}


# --- views ----------------------------------------------------------------------------------


def _form(**values):
    data = {
        "line": Call.Line.HOTLINE,
        "language": Call.Language.RU,
        "outcome": Call.Outcome.ADVICE,
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "submission": values.pop("submission", "t1"),
    }
    data.update(values)
    return data


def test_the_page_is_in_the_navigation_with_defaults(cw_client):
    response = cw_client.get(reverse("cases:calls"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{reverse("cases:calls")}"' in page
    assert re.search(r"value=\"advice\"[^>]*checked", page)
    assert 'id="caller-anonymous" checked' in page


def test_logging_a_call_from_the_page(cw_client, caseworker, org):
    response = cw_client.post(reverse("cases:calls"), _form(topics=[WAGES], note="Where to go"))
    assert response.status_code == 302 and response.url == reverse("cases:calls")
    call = Call.objects.get()
    assert (call.organisation, call.taken_by, call.topics) == (org, caseworker, [WAGES])
    assert "Where to go" in cw_client.get(reverse("cases:calls")).content.decode()


def test_a_double_submit_logs_one_call(cw_client):
    cw_client.post(reverse("cases:calls"), _form(submission="same"))
    response = cw_client.post(reverse("cases:calls"), _form(submission="same"))
    assert response.status_code == 302
    assert Call.objects.count() == 1


def test_bad_input_shows_every_error(cw_client):
    tomorrow = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = cw_client.post(
        reverse("cases:calls"),
        _form(received_at=tomorrow, outcome=Call.Outcome.ADDED_TO_CASE, follow_up_due="2020-01-01"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"received_at", "outcome", "follow_up", "follow_up_due"} <= set(errors)
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        {"received_at": "yesterday"},
        {"language": "klingon"},
        {"topics": ["lottery"]},
        {"caller": "migrant:abc"},
        {"caller": "case:99999999999999999999"},
        {"note": "x" * 501},
        {"outcome": Call.Outcome.CASE_OPENED},
    ],
)
def test_malformed_fields_are_form_errors(cw_client, values):
    response = cw_client.post(reverse("cases:calls"), _form(**values))
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Call.objects.exists()


def test_another_organisations_case_cannot_be_the_caller(cw_client, other_org, outsider):
    theirs = factories.case(other_org, outsider)
    for caller in (f"case:{theirs.pk}", f"migrant:{theirs.migrant_id}"):
        response = cw_client.post(reverse("cases:calls"), _form(caller=caller))
        assert response.status_code == 400
        assert "caller" in response.context["form"].errors
        assert theirs.migrant.display_name not in response.content.decode()
    assert not Call.objects.exists()


def test_the_recent_calls_are_the_organisations_own(cw_client, org, caseworker, other_org):
    other_member = factories.member(other_org, Membership.Role.CASEWORKER)
    _log(org, caseworker, note="ours")
    _log(other_org, other_member, note="theirs")
    page = cw_client.get(reverse("cases:calls")).content.decode()
    assert "ours" in page and "theirs" not in page


def test_the_caller_search_is_posted_and_scoped(cw_client, case, other_org, outsider):
    theirs = factories.case(
        other_org,
        outsider,
        person=factories.migrant(other_org, outsider, full_name_latin="Rustam Aliev"),
    )
    assert cw_client.get(reverse("cases:call_callers"), {"q": "Rustam"}).status_code == 405
    response = cw_client.post(reverse("cases:call_callers"), {"q": "Rustam"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="case:{case.pk}"' in page and f'value="migrant:{case.migrant_id}"' in page
    assert theirs.number not in page and f"migrant:{theirs.migrant_id}" not in page
    nobody = cw_client.post(reverse("cases:call_callers"), {"q": "Zzyzx"}).content.decode()
    assert "Nobody found" in nobody


def test_a_known_callers_call_on_their_case(cw_client, case):
    response = cw_client.post(
        reverse("cases:calls"), _form(caller=f"case:{case.pk}", outcome="added_to_case")
    )
    assert response.status_code == 302
    call = Call.objects.get()
    assert (call.case, call.migrant) == (case, case.migrant)
    assert case.timeline.filter(kind=TimelineEvent.Kind.CALL).exists()
    assert "Call logged" in cw_client.get(case.get_absolute_url()).content.decode()


def test_open_a_case_from_an_anonymous_call(cw_client, caseworker):
    response = cw_client.post(
        reverse("cases:calls"),
        _form(open_case="1", topics=[WAGES], note="Unpaid for 3 months", follow_up="Call back"),
    )
    call = Call.objects.get()
    assert response.url == f"{reverse('cases:intake')}?call={call.pk}"
    intake = cw_client.get(response.url)
    assert intake.status_code == 200
    assert intake.context["case_form"].initial["problem_type"] == WAGES
    assert "Unpaid for 3 months" in intake.content.decode()
    assert f'name="from_call" value="{call.pk}"' in intake.content.decode()
    response = cw_client.post(
        reverse("cases:intake"),
        {
            "from_call": str(call.pk),
            "m-full_name_latin": "Sherzod Karimov",
            "m-citizenship": "UZ",
            "m-gender": "male",
            "m-preferred_language": "uz",
            "c-problem_type": WAGES,
            "c-priority": "normal",
            "c-summary": "Unpaid for 3 months",
            "c-assign_to_me": "on",
            "k-method": "in_person",
        },
    )
    assert response.status_code == 302, response.context and [
        f.errors for f in (response.context["migrant_form"], response.context["case_form"])
    ]
    call.refresh_from_db()
    assert call.case.migrant.full_name_latin == "Sherzod Karimov"
    assert call.migrant == call.case.migrant and call.outcome == Call.Outcome.CASE_OPENED
    assert call.follow_up_task.case == call.case


def test_open_a_case_for_a_known_caller_keeps_the_person(cw_client, case):
    cw_client.post(
        reverse("cases:calls"), _form(caller=f"migrant:{case.migrant_id}", open_case="1")
    )
    call = Call.objects.get()
    intake = cw_client.get(f"{reverse('cases:intake')}?call={call.pk}")
    assert intake.context["existing"] == case.migrant


def test_another_organisations_call_does_not_prefill_the_intake(cw_client, other_org, outsider):
    theirs = _log(other_org, outsider, note="their secret")
    intake = cw_client.get(f"{reverse('cases:intake')}?call={theirs.pk}")
    assert intake.status_code == 200 and intake.context["from_call"] is None
    assert "their secret" not in intake.content.decode()
    assert cw_client.get(f"{reverse('cases:intake')}?call=x1").status_code == 200


def test_signed_out_and_non_members_are_kept_out(client, db):
    assert client.get(reverse("cases:calls")).status_code == 302
    client.force_login(factories.user())
    assert client.get(reverse("cases:calls")).status_code == 403
    assert client.post(reverse("cases:calls"), _form()).status_code == 403


# --- privacy --------------------------------------------------------------------------------


def test_erasure_blanks_the_callers_calls_and_keeps_the_counts(org, caseworker, case, org_admin):
    from cases.privacy import erasure, subject_access

    call = _log(
        org, caseworker, case=case, topics=[WAGES], note="Rustam's employer", follow_up="Ring"
    )
    assert subject_access.subject_access_data(case.migrant)["calls"][0]["note"] == (
        "Rustam's employer"
    )
    erasure.erase_migrant(migrant=case.migrant, by=org_admin)
    call.refresh_from_db()
    assert (call.note, call.follow_up) == ("", "")
    assert (call.topics, call.language, call.outcome) == ([WAGES], "tg", "advice")  # statistics
    assert not call.history.exists()
