"""The embedded demo stack's broker: kombu's filesystem transport, made safe for several
processes (web, worker and beat all write to it).

Why: kombu's `_put` creates the message file in the queue folder first and writes into it
afterwards (under an advisory lock the reader never takes). A worker listing the folder in that
moment moved and read an empty or half-written file and died with `Unrecoverable error:
JSONDecodeError` — most likely when beat queued several tasks at once. Here a message is
written beside the queue and renamed into it only when complete (a rename is atomic on one
filesystem), and a reader claims a message by renaming it into its own folder on the same
filesystem, so exactly one reader gets each message, whole.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from queue import Empty

from kombu.transport import filesystem
from kombu.utils.json import dumps, loads


class Channel(filesystem.Channel):
    def _staging_folder(self, name: str) -> Path:
        folder = Path(self.transport_options.get(name) or Path(self.data_folder_out).parent / name)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _put(self, queue, payload, **kwargs):
        name = f"{round(time.monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        staged = self._staging_folder("incoming_folder") / name
        staged.write_text(dumps(payload))
        os.replace(staged, Path(self.data_folder_out) / name)

    def _get(self, queue):
        suffix = f".{queue}.msg"
        claimed_folder = self._staging_folder("claimed_folder")
        for name in sorted(os.listdir(self.data_folder_in)):
            if not name.endswith(suffix):
                continue
            claimed = claimed_folder / f"{os.getpid()}-{name}"
            try:
                os.rename(Path(self.data_folder_in) / name, claimed)
            except FileNotFoundError:
                continue  # another reader claimed it first
            payload = claimed.read_text()
            claimed.unlink()
            return loads(payload)
        raise Empty()


class Transport(filesystem.Transport):
    Channel = Channel
    global_state = filesystem.Transport.global_state
