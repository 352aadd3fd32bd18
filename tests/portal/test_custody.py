"""Custody: the caseworker's record of who holds the passport is the truth. The migrant's
"I have it" on the portal is kept beside it, flagged on the case page, and the portal shows
what the caseworker recorded."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases import services as case_services
from cases.models import Case, ChecklistItem

pytestmark = pytest.mark.django_db


def test_the_migrants_claim_never_overwrites_the_recorded_custody(
    client, planned_case, issued, caseworker
):
    case = case_services.update_case_facts(
        case=planned_case,
        by=caseworker,
        passport_holder="employer",
        passport_held_since=timezone.localdate(),
    )
    item = case.checklist.get(document_code="passport_foreign")
    client.cookies["portal_lang"] = "en"
    page = client.get(issued.path).content.decode()
    assert "Your caseworker recorded that your passport is held by: Employer." in page

    assert client.post(f"{issued.path}have/{item.pk}/").status_code == 303
    case = Case.objects.get(pk=case.pk)
    item.refresh_from_db()
    assert case.passport_holder == "employer"  # the record stands
    assert case.passport_claimed_at is not None  # the claim beside it
    assert item.state != ChecklistItem.State.HAVE
    assert "You told us you have it now" in client.get(issued.path).content.decode()

    client.force_login(caseworker)
    case_page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="custody-claim"' in case_page and "Employer" in case_page

    # The caseworker checks and records who holds it now: the claim is settled.
    case_services.update_case_facts(case=case, by=caseworker, passport_holder="")
    case = Case.objects.get(pk=case.pk)
    assert case.passport_claimed_at is None
    assert 'id="custody-claim"' not in client.get(case.get_absolute_url()).content.decode()
