"""One audit row per membership change, whichever door the change comes through."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditEvent
from cases import memberships
from cases.models import Membership
from tests.security.conftest import verified_login

pytestmark = pytest.mark.django_db


def _membership_rows():
    return AuditEvent.objects.filter(action__startswith="membership.")


def test_a_role_change_through_the_service_writes_one_row(org_a, admin_a, worker_a):
    membership = Membership.objects.get(user=worker_a)
    memberships.update_membership(
        membership=membership,
        by=admin_a,
        role=Membership.Role.SUPERVISOR,
        can_reveal_identifiers=True,
    )
    event = _membership_rows().get()
    assert event.action == Action.MEMBERSHIP_UPDATE
    assert event.detail["changes"]["role"] == ["caseworker", "supervisor"]
    assert event.detail["changes"]["can_reveal_identifiers"] == [False, True]
    assert event.organisation == org_a and event.actor == admin_a


def test_adding_a_member_through_the_service_writes_one_row(django_user_model, org_a, admin_a):
    before = _membership_rows().count()
    memberships.add_member(
        organisation=org_a,
        by=admin_a,
        new_username="new.worker",
        new_email="new.worker@example.org",
        new_password="a long enough passphrase 42",
        role=Membership.Role.CASEWORKER,
    )
    assert _membership_rows().count() == before + 1
    assert _membership_rows().latest("pk").action == Action.MEMBERSHIP_ADD


def test_an_edit_in_the_django_admin_writes_one_row(client, django_user_model, worker_a):
    root = django_user_model.objects.create_superuser("root", password="x" * 16)
    verified_login(client, root)
    membership = Membership.objects.get(user=worker_a)
    url = reverse("admin:cases_membership_change", args=[membership.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: field.value() if field.value() is not None else ""
        for name, field in ((n, form[n]) for n in form.fields)
    }
    data = {k: v for k, v in data.items() if v is not False}
    data["role"] = Membership.Role.SUPERVISOR
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = _membership_rows().get()
    assert event.action == Action.MEMBERSHIP_UPDATE
    assert event.detail["changes"]["role"] == ["caseworker", "supervisor"]


def test_the_django_admin_cannot_delete_a_membership(client, django_user_model, worker_a):
    # Deleting would lose the member's trail unaudited; the admin deactivates instead.
    root = django_user_model.objects.create_superuser("root", password="x" * 16)
    verified_login(client, root)
    membership = Membership.objects.get(user=worker_a)
    url = reverse("admin:cases_membership_delete", args=[membership.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_unknown_action_is_refused(admin_a):
    from audit import services as audit

    with pytest.raises(ValueError):
        audit.record(actor=admin_a, action="no.such.action")
