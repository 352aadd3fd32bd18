from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def apply_retention() -> dict:
    """Nightly: report, then anonymise migrants whose cases closed past the retention period."""
    from cases.privacy.retention import run_retention

    return run_retention(dry_run=False).as_dict()
