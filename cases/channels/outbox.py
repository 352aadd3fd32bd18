"""The development default: one JSON file per message in var/outbox/ (REMINDER_OUTBOX_DIR)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from cases.channels import Message, TransientError


class OutboxBackend:
    # The file is named by the idempotency key, so sending a key twice leaves one file.
    idempotent = True

    def send(self, message: Message) -> str:
        folder = Path(settings.REMINDER_OUTBOX_DIR)
        record = {
            "key": message.key,
            "channel": message.channel,
            "to": message.to,
            "subject": message.subject,
            "body": message.body,
            "language": message.language,
            "written_at": timezone.now().isoformat(),
            **message.meta,
        }
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # Write then link: a reader never sees half a file, a crash leaves no torn one.
            # Not *.json: a file half-written when a worker is killed is never taken for a message.
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(record, handle, ensure_ascii=False)
            try:
                # Like a provider that honours idempotency keys: a key already sent stays as
                # it was (link() never overwrites), the caller gets the same id back.
                os.link(tmp, folder / f"{message.key}.json")
            except FileExistsError:
                pass
            finally:
                os.unlink(tmp)
        except OSError as exc:
            raise TransientError(f"outbox write failed: {type(exc).__name__}") from exc
        return f"outbox:{message.key}"
