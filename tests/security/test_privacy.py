"""P1 subject access, P2 erasure with legal hold, P3 retention, and the personal-data registry."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit import services as audit
from audit.models import AuditEvent
from cases import services
from cases.models import Case, ErasureRecord, Migrant, Reminder
from cases.privacy import erasure, holds, leaks, registry, retention, subject_access
from tests.security.conftest import (
    CANARY_NAME,
    CANARY_NAME_CYR,
    CANARY_PASSPORT,
    CANARY_PHONE_E164,
    CANARY_TOKENS,
    seed_canary,
    verified_login,
)

pytestmark = pytest.mark.django_db


def test_every_field_about_a_migrant_is_tagged_in_the_registry():
    """Fails when a model or field holding data about a migrant is added without a tag."""
    registered = registry.PERSONAL_DATA
    migrant_linked = (Migrant, Case)
    for model in apps.get_app_config("cases").get_models():
        if model.__name__.startswith("Historical") or model in (ErasureRecord,):
            continue
        linked = model in registered or any(
            isinstance(f, models.ForeignKey) and f.related_model in (*migrant_linked, *registered)
            for f in model._meta.concrete_fields
        )
        if not linked:
            continue
        assert model in registered, f"{model.__name__} holds migrant data but is not registered"
        names = {f.name for f in model._meta.concrete_fields}
        untagged = names - set(registered[model])
        assert not untagged, f"untagged fields on {model.__name__}: {sorted(untagged)}"


def test_subject_access_json_has_everything_and_is_audited(canary_a, admin_a):
    migrant, case = canary_a
    data = json.loads(subject_access.subject_access_json(migrant, by=admin_a))
    assert data["migrant"]["passport_number"] == CANARY_PASSPORT
    assert data["migrant"]["phone"] == CANARY_PHONE_E164
    assert data["cases"][0]["number"] == case.number
    assert any(CANARY_PASSPORT in e["text"] for e in data["cases"][0]["timeline"])
    assert data["cases"][0]["deadlines"][0]["reminders"]
    # Staff identities are not the subject's data (Art. 15(4)).
    assert "created_by" not in data["migrant"] and "actor" not in data["cases"][0]["timeline"][0]
    # Every tagged field of the migrant is there.
    expected = set(registry.PERSONAL_DATA[Migrant]) - registry.DERIVED_FIELDS
    assert expected - {"created_by"} <= set(data["migrant"])
    assert AuditEvent.objects.filter(action="subject_access.json", object_id=str(migrant.pk))


def test_subject_access_pdf_is_readable_in_tajik(canary_a, admin_a):
    migrant, _case = canary_a
    pdf = subject_access.subject_access_pdf(migrant, by=admin_a)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert CANARY_NAME_CYR in text  # ҷ and Қ survive
    assert CANARY_PASSPORT in text


def test_subject_access_with_500_events_is_fast(canary_a, admin_a):
    migrant, case = canary_a
    for i in range(500):
        services.add_note(case=case, text=f"note {i}", by=admin_a)
    started = timezone.now()
    subject_access.subject_access_json(migrant, by=admin_a)
    subject_access.subject_access_pdf(migrant, by=admin_a)
    assert (timezone.now() - started).total_seconds() < 60


def test_subject_access_views_are_admin_only_and_org_scoped(
    client, canary_a, admin_a, worker_a, admin_b
):
    migrant, _case = canary_a
    verified_login(client, worker_a)
    assert client.get(reverse("privacy:access_json", args=[migrant.pk])).status_code == 403
    verified_login(client, admin_b)
    assert client.get(reverse("privacy:access_json", args=[migrant.pk])).status_code == 404
    verified_login(client, admin_a)
    response = client.get(reverse("privacy:access_pdf", args=[migrant.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


def _raw_hits(tokens):
    """Search every text column of every table with SQL (history tables included)."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            description = connection.introspection.get_table_description(cursor, table)
            for column in description:
                cursor.execute(
                    f'SELECT COUNT(*) FROM "{table}" WHERE CAST("{column.name}" AS TEXT) '  # noqa: S608
                    'LIKE %s OR CAST("' + column.name + '" AS TEXT) LIKE %s',
                    [f"%{tokens[0]}%", f"%{tokens[1]}%"],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column.name}")
    return hits


def test_erasure_leaves_no_identifier_anywhere(canary_a, admin_a, settings, tmp_path):
    migrant, case = canary_a
    services.update_migrant(migrant=migrant, by=admin_a, city="Khujand")  # a history row
    audit.record(
        actor=admin_a,
        action="export.full",
        organisation=migrant.organisation,
        detail={"oops": CANARY_PHONE_E164},
    )
    settings.EXPORTS_DIR = tmp_path
    (tmp_path / "cases.csv").write_text(f"number,name\n{case.number},{CANARY_NAME}\n")
    (tmp_path / "other.csv").write_text("number,name\nX-1,Someone Else\n")
    assert erasure.residual_rows(CANARY_TOKENS)  # the canary is there before

    record = erasure.erase_migrant(migrant=migrant, by=admin_a, reference="REQ-1")

    assert erasure.residual_rows(CANARY_TOKENS) == []
    assert _raw_hits([CANARY_NAME, CANARY_PHONE_E164]) == []
    assert not (tmp_path / "cases.csv").exists()
    assert (tmp_path / "other.csv").exists()
    migrant.refresh_from_db()
    assert migrant.passport_number == "" and migrant.passport_number_hash == ""
    assert migrant.full_name_latin == f"Erased {record.pseudonym}"
    assert migrant.citizenship == "TJ"  # statistics survive
    assert set(Reminder.objects.filter(deadline__case=case).values_list("state", flat=True)) == {
        Reminder.State.CANCELLED
    }
    assert record.basis == ErasureRecord.Basis.REQUEST and record.erased_by == admin_a
    event = AuditEvent.objects.get(action="migrant.erased")
    assert event.detail["pseudonym"] == record.pseudonym
    # Erasing twice is harmless.
    assert erasure.erase_migrant(migrant=migrant, by=admin_a) == record


def test_legal_hold_blocks_erasure_until_released(canary_a, admin_a):
    migrant, _case = canary_a
    hold = holds.place_legal_hold(migrant=migrant, reason="Court case 2-123/2026", by=admin_a)
    with pytest.raises(erasure.ErasureBlocked):
        erasure.erase_migrant(migrant=migrant, by=admin_a)
    migrant.refresh_from_db()
    assert migrant.passport_number == CANARY_PASSPORT  # nothing half-erased
    assert AuditEvent.objects.filter(action="erasure.blocked").exists()
    holds.release_legal_hold(hold=hold, by=admin_a)
    erasure.erase_migrant(migrant=migrant, by=admin_a)
    assert erasure.residual_rows(CANARY_TOKENS) == []


def test_erase_command_verifies_that_nothing_remains(canary_a, settings, tmp_path):
    migrant, _case = canary_a
    settings.EXPORTS_DIR = tmp_path
    out = io.StringIO()
    call_command("erase_migrant", str(migrant.pk), "--reference", "REQ-2", "--verify", stdout=out)
    assert "Verified: no identifier remains" in out.getvalue()


def test_erase_command_verify_names_the_places_left(canary_a, org_a, admin_a, settings, tmp_path):
    migrant, _case = canary_a
    settings.EXPORTS_DIR = tmp_path
    # Another person with the same phone: the check lists the place, never the value.
    other = services.create_migrant(
        organisation=org_a,
        by=admin_a,
        full_name_latin="Someone Else",
        phone=migrant.phone,
        citizenship="TJ",
    )
    with pytest.raises(CommandError) as failure:
        call_command("erase_migrant", str(migrant.pk), "--verify", stdout=io.StringIO())
    assert f"cases.Migrant#{other.pk}.phone" in str(failure.value)
    assert CANARY_PHONE_E164 not in str(failure.value)


def test_erasure_form_needs_confirmation_and_reports_hold(client, canary_a, admin_a):
    migrant, _case = canary_a
    verified_login(client, admin_a)
    url = reverse("privacy:panel", args=[migrant.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reference": "R1"}).status_code == 400
    client.post(reverse("privacy:hold", args=[migrant.pk]), {"reason": "Police request"})
    blocked = client.post(url, {"reference": "R1", "confirm": "on"})
    assert blocked.status_code == 400
    assert "legal hold" in blocked.content.decode()
    assert not ErasureRecord.objects.exists()


def _close(case, by, when):
    with time_machine.travel(when, tick=False):
        services.close_case(case=case, outcome=Case.Outcome.RESOLVED, by=by)


def test_retention_boundaries_and_dry_run(org_a, admin_a, settings):
    settings.RETENTION_DAYS = 730
    now = timezone.now()
    old_migrant, old_case = seed_canary(org_a, admin_a, problem_type="unpaid_wages")
    _close(old_case, admin_a, now - timedelta(days=731))
    young = services.create_migrant(
        organisation=org_a, by=admin_a, full_name_latin="Young Case", citizenship="UZ"
    )
    young_case = services.open_case(
        organisation=org_a, migrant=young, problem_type="patent", by=admin_a
    )
    _close(young_case, admin_a, now - timedelta(days=729))
    open_migrant = services.create_migrant(
        organisation=org_a, by=admin_a, full_name_latin="Still Open", citizenship="KG"
    )
    services.open_case(organisation=org_a, migrant=open_migrant, problem_type="patent", by=admin_a)

    out = io.StringIO()
    call_command("retention", "--dry-run", stdout=out)
    report = json.loads(out.getvalue())
    assert report["dry_run"] is True and report["migrant_ids"] == [old_migrant.pk]
    assert not ErasureRecord.objects.exists()

    result = retention.run_retention(dry_run=False)
    assert result.erased == [old_migrant.pk] and result.errors == []
    assert ErasureRecord.objects.get().basis == ErasureRecord.Basis.RETENTION
    young.refresh_from_db()
    assert young.full_name_latin == "Young Case"
    assert erasure.residual_rows([CANARY_NAME, CANARY_PASSPORT]) == []


def test_retention_period_per_organisation_and_legal_hold(org_a, admin_a, settings):
    settings.RETENTION_DAYS = 3650
    org_a.retention_days = 30
    org_a.save()
    migrant, case = seed_canary(org_a, admin_a, problem_type="unpaid_wages")
    _close(case, admin_a, timezone.now() - timedelta(days=31))
    holds.place_legal_hold(migrant=migrant, reason="Audit by donor", by=admin_a)
    report = retention.run_retention(dry_run=False)
    assert report.due == [] and report.held == [migrant.pk]
    assert not ErasureRecord.objects.exists()


def test_nightly_task_runs_retention(org_a, admin_a, settings):
    from cases.tasks import apply_retention

    settings.RETENTION_DAYS = 1
    migrant, case = seed_canary(org_a, admin_a, problem_type="unpaid_wages")
    _close(case, admin_a, timezone.now() - timedelta(days=2))
    result = apply_retention()
    assert result["erased"] == 1
    assert "retention" in settings.CELERY_BEAT_SCHEDULE


def test_notification_leak_check(canary_a):
    migrant, _case = canary_a
    safe = "Hamroh: a document is due on 12.03. Open your checklist: https://h.example/m/"
    assert leaks.notification_leaks(safe, migrant=migrant) == []
    assert leaks.notification_leaks("Ваш запрет на въезд", migrant=migrant) == ["запрет"]
    assert leaks.notification_leaks(f"Hello {CANARY_NAME}", migrant=migrant) == [CANARY_NAME]
