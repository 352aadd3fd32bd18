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
    # The file is named by the idempotency key, so sending a key twice rewrites one file.
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
            # Write then rename: a reader never sees half a file, a crash leaves no torn one.
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(record, handle, ensure_ascii=False, indent=1)
            os.replace(tmp, folder / f"{message.key}.json")
        except OSError as exc:
            raise TransientError(f"outbox write failed: {type(exc).__name__}") from exc
        return f"outbox:{message.key}"
