"""Keep the demo stack's background processes running: a crashed worker or beat is started
again after a pause that doubles with each quick crash (1 s, 2 s, 4 s … up to a minute), so a
broken set-up does not spin, and a passing hiccup does not stop the whole stack."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

FIRST_PAUSE = 1.0
LONGEST_PAUSE = 60.0
# A process that ran this long before it died counts as healthy: the next pause starts small.
STABLE_AFTER = 60.0


@dataclass
class Supervised:
    name: str
    command: Sequence[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restart_at: float | None = None
    pause: float = FIRST_PAUSE
    restarts: int = 0
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)

    def start(self) -> None:
        self.process = subprocess.Popen(self.command)  # noqa: S603 - our own fixed commands
        self.started_at = self.clock()
        self.restart_at = None

    def exited(self) -> int | None:
        """The exit code if the process has died since the last look, else None."""
        if self.process is None or self.restart_at is not None:
            return None
        return self.process.poll()

    def schedule_restart(self) -> float:
        """Plan the next start; returns the pause before it."""
        now = self.clock()
        if now - self.started_at >= STABLE_AFTER:
            self.pause = FIRST_PAUSE
        pause = self.pause
        self.restart_at = now + pause
        self.pause = min(self.pause * 2, LONGEST_PAUSE)
        return pause

    def restart_if_due(self) -> bool:
        if self.restart_at is None or self.clock() < self.restart_at:
            return False
        self.restarts += 1
        self.start()
        return True

    def stop(self, timeout: float = 10) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
