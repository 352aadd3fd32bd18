"""Anonymise migrants whose cases closed more than the retention period ago.

manage.py retention --dry-run     # report only: how many, which ids, how many on hold
manage.py retention               # do it (the nightly Celery beat task does the same)
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from cases.privacy.retention import run_retention


class Command(BaseCommand):
    help = "Anonymise migrants past the retention period (use --dry-run first)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        report = run_retention(dry_run=dry_run)
        self.stdout.write(json.dumps(report.as_dict(), indent=2))
        if report.errors:
            self.stderr.write(f"{len(report.errors)} error(s); see the report above.")
