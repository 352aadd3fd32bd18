"""Background exports: queued past the threshold, progress on the page, download, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from stats import exports, services
from stats.models import ExportJob
from stats.tasks import expire_exports, run_export
from tests.stats.helpers import body, parse_csv


@pytest.fixture
def background(settings, export_dir):
    settings.STATS_BACKGROUND_EXPORT_ROWS = 2  # Org A has 4 cases: over the threshold
    return export_dir


def _request(client, user, django_capture_on_commit_callbacks, *, execute):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=execute) as callbacks:
        response = client.post(
            reverse("stats:export_cases") + "?date_from=2020-01-01",
            {"kind": "research", "fmt": "csv"},
        )
    return response, callbacks


def test_large_export_is_queued_and_shows_progress(
    client, world, background, django_capture_on_commit_callbacks
):
    response, callbacks = _request(
        client, world["admin_a"], django_capture_on_commit_callbacks, execute=False
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("stats:job", args=[job.pk])
    assert len(callbacks) == 1  # the Celery task, sent after commit
    assert job.state == ExportJob.State.QUEUED and job.rows_total == 4

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"<progress" in page.content
    assert b'http-equiv="refresh"' in page.content  # keeps polling without JavaScript
    assert b"0 of 4 rows" in page.content

    # Half-way, as the task reports it, the progress fragment (htmx polls it) says so.
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.RUNNING, rows_done=2)
    fragment = client.get(reverse("stats:job_progress", args=[job.pk]))
    assert b'value="50"' in fragment.content
    assert b"hx-get" in fragment.content


def test_the_task_writes_the_file_and_the_page_offers_it(
    client, world, background, django_capture_on_commit_callbacks
):
    response, _ = _request(
        client, world["admin_a"], django_capture_on_commit_callbacks, execute=True
    )
    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.DONE
    assert job.rows_done == 4
    assert job.expires_at - job.finished_at == timedelta(days=7)
    page = client.get(reverse("stats:job", args=[job.pk]))
    assert b"refresh" not in page.content
    download = client.get(reverse("stats:job_download", args=[job.pk]))
    assert download.status_code == 200
    _notes, rows = parse_csv(body(download))
    assert len(rows) == 5


def test_a_duplicate_task_message_changes_nothing(world, background):
    job = services.request_case_export(
        by=world["admin_a"], organisation=world["org_a"], kind="research", fmt="csv", params={}
    )
    assert services.run_export_job(job_id=job.pk).state == ExportJob.State.DONE
    assert services.run_export_job(job_id=job.pk) is None


def test_progress_is_reported_while_rows_stream(world, tmp_path):
    seen = []
    rows = ([i, "x"] for i in range(25))
    columns = exports.columns_for(with_identifiers=False)[:2]
    written = exports.write_case_file(
        tmp_path / "f.csv", fmt="csv", notes=[], columns=columns, rows=rows,
        progress=seen.append, every=10,
    )  # fmt: skip
    assert written == 25
    assert seen == [10, 20]


def test_only_the_requester_and_the_organisations_admins_get_the_file(
    client, world, background, django_capture_on_commit_callbacks
):
    _request(client, world["admin_a"], django_capture_on_commit_callbacks, execute=True)
    job = ExportJob.objects.get()
    url = reverse("stats:job_download", args=[job.pk])
    for name, status in [
        ("admin_a_ids", 200),  # another admin of Org A
        ("caseworker_a", 404),
        ("admin_b", 404),  # another organisation: the job does not exist for them
    ]:
        client.force_login(world[name])
        assert client.get(url).status_code == status, name


def test_a_full_export_job_is_only_for_holders_of_the_permission(client, world, background):
    job = services.request_case_export(
        by=world["admin_a_ids"],
        organisation=world["org_a"],
        kind="full",
        fmt="csv",
        params={},
        reason="Referral to a lawyer for four clients",
    )
    services.run_export_job(job_id=job.pk)
    url = reverse("stats:job_download", args=[job.pk])
    client.force_login(world["admin_a"])  # admin, but without can_export_identifiers
    assert client.get(url).status_code == 404
    client.force_login(world["admin_a_ids"])
    assert client.get(url).status_code == 200


def test_finished_files_expire_after_seven_days(client, world, background):
    job = services.request_case_export(
        by=world["admin_a"], organisation=world["org_a"], kind="research", fmt="xlsx", params={}
    )
    job = services.run_export_job(job_id=job.pk)
    path = background / job.file_name
    assert path.exists()
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert expire_exports() == 0
    assert path.exists()
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert expire_exports() == 1
    assert not path.exists()
    job.refresh_from_db()
    assert job.state == ExportJob.State.EXPIRED
    client.force_login(world["admin_a"])
    response = client.get(reverse("stats:job_download", args=[job.pk]))
    assert response.status_code == 410
    assert b"expired" in response.content


def test_the_cleanup_is_scheduled_with_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["stats-expire-exports"]
    assert entry["task"] == "stats.tasks.expire_exports"
    assert "heartbeat" in settings.CELERY_BEAT_SCHEDULE  # added beside, not instead of


def _stall(job, minutes=6):
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.RUNNING,
        attempts=job.attempts + 1,
        heartbeat_at=timezone.now() - timedelta(minutes=minutes),
        rows_done=1,
    )


def test_a_job_whose_worker_died_is_started_again(
    world, background, django_capture_on_commit_callbacks
):
    job = services.request_case_export(
        by=world["admin_a"], organisation=world["org_a"], kind="research", fmt="csv", params={}
    )
    _stall(job)  # claimed by a worker that was then killed mid-file
    (services.export_dir() / f"{job.pk}.csv.1.part").write_text("half a file")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.recover_stalled_exports(enqueue=run_export.delay) == 1
    job.refresh_from_db()
    assert (job.state, job.attempts, job.rows_done) == (ExportJob.State.DONE, 2, 4)
    assert sorted(p.name for p in background.iterdir()) == [f"{job.pk}.csv"]


def test_a_job_that_stalls_twice_fails_with_a_message_and_a_live_one_is_left_alone(
    client, world, background
):
    stalled, live = (
        services.request_case_export(
            by=world["admin_a"], organisation=world["org_a"], kind="research", fmt="csv",
            params={},
        )
        for _ in range(2)
    )  # fmt: skip
    ExportJob.objects.filter(pk=stalled.pk).update(attempts=1)
    _stall(ExportJob.objects.get(pk=stalled.pk))
    _stall(live, minutes=1)
    assert services.recover_stalled_exports(enqueue=run_export.delay) == 1
    stalled.refresh_from_db()
    live.refresh_from_db()
    assert stalled.state == ExportJob.State.FAILED and "interrupted" in stalled.error
    assert live.state == ExportJob.State.RUNNING
    client.force_login(world["admin_a"])
    page = client.get(reverse("stats:job", args=[stalled.pk]))
    assert b"The export failed" in page.content and b"refresh" not in page.content


def test_a_run_given_up_for_dead_that_wakes_up_changes_nothing(
    world, background, monkeypatch, django_capture_on_commit_callbacks
):
    job = services.request_case_export(
        by=world["admin_a"], organisation=world["org_a"], kind="research", fmt="csv", params={}
    )
    write = services._write

    def slow_first_attempt(job_, path, mine):
        if job_.attempts == 1:  # the worker hangs; meanwhile the job is started again
            ExportJob.objects.filter(pk=job_.pk).update(
                heartbeat_at=timezone.now() - timedelta(minutes=6)
            )
            with django_capture_on_commit_callbacks(execute=True):
                services.recover_stalled_exports(enqueue=run_export.delay)
        return write(job_, path, mine)

    monkeypatch.setattr(services, "_write", slow_first_attempt)
    services.run_export_job(job_id=job.pk)  # attempt 1, finishing after attempt 2
    job.refresh_from_db()
    assert (job.state, job.attempts) == (ExportJob.State.DONE, 2)
    assert sorted(p.name for p in background.iterdir()) == [f"{job.pk}.csv"]
