"""Re-encrypt every encrypted column with the first key of FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first (`FIELD_ENCRYPTION_KEYS=new,old`), deploy, run this command,
then drop the old key. `--rehash` recomputes the blind indexes (needed when FIELD_HASH_KEY is
unset and the oldest key, which then keys the hashes, is dropped, or when FIELD_HASH_KEY changes).
"""

from __future__ import annotations

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from cases.fields import encrypted_fields, fernet
from cases.models import Migrant

# The keyed hashes Migrant.derive_lookups computes (the year of birth needs no key).
HASH_FIELDS = [
    "passport_number_hash",
    "phone_hash",
    "phone_tail_hash",
    "phone_secondary_hash",
    "phone_secondary_tail_hash",
]
BATCH = 1000


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields with the newest key (and optionally rehash)."

    def add_arguments(self, parser):
        parser.add_argument("--rehash", action="store_true", help="Recompute keyed hashes.")

    def handle(self, *args, rehash: bool = False, **options):
        box = fernet()
        qn = connection.ops.quote_name
        total = 0
        for model, field in encrypted_fields():
            table, column, pk = model._meta.db_table, field.column, model._meta.pk.column
            last = None
            while True:
                with transaction.atomic(), connection.cursor() as cursor:
                    where = f"{qn(column)} <> ''" + (f" AND {qn(pk)} > %s" if last else "")
                    cursor.execute(
                        f"SELECT {qn(pk)}, {qn(column)} FROM {qn(table)} "  # noqa: S608
                        f"WHERE {where} ORDER BY {qn(pk)} LIMIT {BATCH}",
                        [last] if last else [],
                    )
                    rows = cursor.fetchall()
                    if not rows:
                        break
                    updates = []
                    for row_pk, token in rows:
                        try:
                            new_token = box.rotate(token.encode()).decode()
                        except InvalidToken as exc:
                            raise CommandError(
                                f"{model._meta.label}#{row_pk}.{field.name}: cannot decrypt "
                                "with FIELD_ENCRYPTION_KEYS; nothing after it was changed."
                            ) from exc
                        updates.append((new_token, row_pk))
                    cursor.executemany(
                        f"UPDATE {qn(table)} SET {qn(column)} = %s "  # noqa: S608
                        f"WHERE {qn(pk)} = %s",
                        updates,
                    )
                    total += len(rows)
                    last = rows[-1][0]
            self.stdout.write(f"{model._meta.label}.{field.name}: done")
        self.stdout.write(f"Re-encrypted {total} values.")
        if rehash:
            self.stdout.write(f"Recomputed the keyed hashes of {self._rehash()} migrants.")

    def _rehash(self) -> int:
        done, last = 0, 0
        while True:
            with transaction.atomic():
                batch = list(Migrant.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
                if not batch:
                    return done
                for migrant in batch:
                    migrant.derive_lookups()
                Migrant.objects.bulk_update(batch, HASH_FIELDS)
            done, last = done + len(batch), batch[-1].pk
