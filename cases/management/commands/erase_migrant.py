"""Erase (anonymise) one migrant on request: `manage.py erase_migrant ID --reference REF`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases import privacy
from cases.models import ErasureRecord, Migrant


class Command(BaseCommand):
    help = "Erase everything identifying one migrant, keeping a pseudonymous tombstone."

    def add_arguments(self, parser):
        parser.add_argument("migrant_id", type=int)
        parser.add_argument("--reference", default="", help="The request's reference number.")

    def handle(self, *args, migrant_id: int, reference: str, **options):
        migrant = Migrant.objects.filter(pk=migrant_id).first()
        if migrant is None:
            raise CommandError(f"No migrant #{migrant_id}.")
        try:
            record = privacy.erase_migrant(
                migrant=migrant, basis=ErasureRecord.Basis.REQUEST, reference=reference
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"Erased migrant #{migrant_id}: pseudonym {record.pseudonym}.")
