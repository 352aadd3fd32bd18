"""Write everything held about one migrant: `manage.py subject_access ID --out DIR`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.models import Migrant
from cases.privacy.subject_access import subject_access_json, subject_access_pdf


class Command(BaseCommand):
    help = "Subject-access export (JSON + PDF in the migrant's language) for one migrant."

    def add_arguments(self, parser):
        parser.add_argument("migrant_id", type=int)
        parser.add_argument("--out", default=".", help="Folder for the two files.")

    def handle(self, *args, migrant_id: int, out: str, **options):
        migrant = Migrant.objects.filter(pk=migrant_id).first()
        if migrant is None:
            raise CommandError(f"No migrant #{migrant_id}.")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        json_path = folder / f"subject-access-{migrant_id}.json"
        pdf_path = folder / f"subject-access-{migrant_id}.pdf"
        json_path.write_text(subject_access_json(migrant), encoding="utf-8")
        pdf_path.write_bytes(subject_access_pdf(migrant))
        self.stdout.write(f"Wrote {json_path} and {pdf_path}.")
