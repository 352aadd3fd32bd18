from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from cases.models import Call, Case, Membership, Migrant, Organisation
from cases.search import fold


@pytest.mark.django_db
def test_seed_demo_is_realistic_and_idempotent():
    call_command("seed_demo", stdout=StringIO())
    counts = (Case.objects.count(), Migrant.objects.count(), Membership.objects.count())
    logged = Call.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert (Case.objects.count(), Migrant.objects.count(), Membership.objects.count()) == counts
    assert Call.objects.count() == logged
    assert counts[0] >= 60
    for org in Organisation.objects.all():
        cases = Case.objects.filter(organisation=org)
        assert cases.count() >= 30
        assert cases.exclude(status__in=Case.CLOSED_STATUSES).exists()
        assert cases.filter(status=Case.Status.CLOSED).exclude(outcome="").exists()
        assert Migrant.objects.filter(organisation=org, phone_controlled=True).exists()
        # The hotline: anonymous callers and callers with a case, in several languages.
        org_calls = Call.objects.filter(organisation=org)
        assert org_calls.filter(migrant=None).exists() and org_calls.exclude(case=None).exists()
        assert org_calls.values("language").distinct().count() >= 3
    # Every migrant's two spellings fold to the same search key (both scripts find them).
    for migrant in Migrant.objects.exclude(full_name_cyrillic=""):
        assert fold(migrant.full_name_latin) == fold(migrant.full_name_cyrillic), migrant.pk
    assert Membership.objects.filter(user__username="network_supervisor").count() == 2
