"""Erase (anonymise) one migrant on request: `manage.py erase_migrant ID --reference REF`.

`--verify` then searches every text column of every table for the identifiers the migrant
had (names, phones, passport number...) and fails, naming table#id.field, if any remains.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases.models import ErasureRecord, Migrant
from cases.privacy.erasure import erase_migrant, residual_rows
from cases.privacy.registry import identifier_tokens


class Command(BaseCommand):
    help = "Erase everything identifying one migrant, keeping a pseudonymous tombstone."

    def add_arguments(self, parser):
        parser.add_argument("migrant_id", type=int)
        parser.add_argument("--reference", default="", help="The request's reference number.")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Afterwards, scan every table for the migrant's identifiers (slow).",
        )

    def handle(self, *args, migrant_id: int, reference: str, verify: bool = False, **options):
        migrant = Migrant.objects.filter(pk=migrant_id).first()
        if migrant is None:
            raise CommandError(f"No migrant #{migrant_id}.")
        tokens = identifier_tokens(migrant)  # read before they are erased
        try:
            record = erase_migrant(
                migrant=migrant, basis=ErasureRecord.Basis.REQUEST, reference=reference
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"Erased migrant #{migrant_id}: pseudonym {record.pseudonym}.")
        if verify:
            # A hit may also be another person sharing a name or phone: the places are listed
            # (never the values) for someone to look at.
            hits = residual_rows(tokens)
            if hits:
                raise CommandError(
                    f"{len(hits)} place(s) still hold an identifier: " + ", ".join(hits[:50])
                )
            self.stdout.write("Verified: no identifier remains in any table.")
