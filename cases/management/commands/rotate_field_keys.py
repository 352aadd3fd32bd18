"""Re-encrypt every encrypted column with the first key of FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first (`FIELD_ENCRYPTION_KEYS=new,old`), deploy, run this command,
then drop the old key. `--rehash` recomputes the blind indexes (needed when FIELD_HASH_KEY is
unset and the oldest key, which then keys the hashes, is dropped, or when FIELD_HASH_KEY changes).
"""

from __future__ import annotations

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from cases.fields import encrypted_fields, fernet, keyed_hash

# An encrypted field and the blind index computed from it, on any model having both.
HASHED = {"passport_number": "passport_number_hash"}
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
            hash_field = HASHED.get(field.name) if rehash else None
            has_hash = hash_field and hash_field in {f.name for f in model._meta.concrete_fields}
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
                        if has_hash:
                            plain = box.decrypt(new_token.encode()).decode()
                            updates.append((new_token, keyed_hash(plain), row_pk))
                        else:
                            updates.append((new_token, row_pk))
                    if has_hash:
                        cursor.executemany(
                            f"UPDATE {qn(table)} SET {qn(column)} = %s, "  # noqa: S608
                            f"{qn(hash_field)} = %s WHERE {qn(pk)} = %s",
                            updates,
                        )
                    else:
                        cursor.executemany(
                            f"UPDATE {qn(table)} SET {qn(column)} = %s "  # noqa: S608
                            f"WHERE {qn(pk)} = %s",
                            updates,
                        )
                    total += len(rows)
                    last = rows[-1][0]
            self.stdout.write(f"{model._meta.label}.{field.name}: done")
        self.stdout.write(f"Re-encrypted {total} values.")
