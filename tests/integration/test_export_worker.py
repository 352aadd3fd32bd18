"""A background export whose worker died is queued again by the beat task and finished by a
real worker over Redis (not eager mode)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import redis
from celery import Celery
from django.utils import timezone

from stats import services
from stats.models import ExportJob
from tests.integration.conftest import celery_env, wait_for
from tests.services import redis_url
from tests.stats.conftest import world  # noqa: F401  (two organisations, real people)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _empty_queue():
    redis.Redis.from_url(redis_url()).delete("celery")


def test_a_stalled_export_is_started_again_and_finished_by_a_worker(
    start_celery,
    settings,
    tmp_path,
    world,  # noqa: F811
):
    settings.STATS_EXPORT_DIR = tmp_path / "exports"
    start_celery(
        "worker", "--pool", "solo", "-l", "WARNING",
        env=celery_env(EXPORTS_DIR=str(settings.STATS_EXPORT_DIR)),
    )  # fmt: skip
    job = services.request_case_export(
        by=world["admin_a"], organisation=world["org_a"], kind="research", fmt="csv", params={}
    )
    # A worker claimed it, wrote part of the file, and was killed.
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.RUNNING,
        attempts=1,
        rows_done=2,
        heartbeat_at=timezone.now() - services.EXPORT_STALL - timedelta(seconds=1),
    )
    (services.export_dir() / f"{job.pk}.csv.1.part").write_text("half a file")

    # What beat sends every two minutes, on the broker the worker listens to.
    Celery(broker=redis_url()).send_task("stats.tasks.recover_stalled_exports")

    def finished() -> bool:
        job.refresh_from_db()
        return job.state in (ExportJob.State.DONE, ExportJob.State.FAILED)

    assert wait_for(finished, timeout=60)
    assert (job.state, job.attempts, job.rows_done) == (ExportJob.State.DONE, 2, job.rows_total)
    assert sorted(p.name for p in services.export_dir().iterdir()) == [f"{job.pk}.csv"]
    assert services.job_file(job).read_text(encoding="utf-8-sig").count("\n") > job.rows_total
