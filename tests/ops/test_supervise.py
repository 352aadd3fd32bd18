"""ops.supervise: a crashed background process is started again, after a pause that doubles
with each quick crash and starts small again after a healthy run."""

from __future__ import annotations

import sys
import time

from ops import supervise
from ops.supervise import Supervised

CRASH = [sys.executable, "-c", "raise SystemExit(3)"]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def wait_for_exit(part: Supervised) -> int:
    deadline = time.monotonic() + 20
    while (code := part.exited()) is None:
        assert time.monotonic() < deadline, "the process did not exit"
        time.sleep(0.05)
    return code


def test_a_crashing_process_is_restarted_with_doubling_pauses():
    clock = Clock()
    part = Supervised("worker", CRASH, clock=clock)
    part.start()
    pauses = []
    for _ in range(4):
        assert wait_for_exit(part) == 3
        pauses.append(part.schedule_restart())
        assert part.exited() is None  # reported once, not again while it waits
        assert not part.restart_if_due()  # the pause is not over yet
        clock.now += pauses[-1]
        assert part.restart_if_due()
    assert pauses == [1, 2, 4, 8]
    assert part.restarts == 4
    wait_for_exit(part)


def test_the_pause_never_exceeds_a_minute():
    part = Supervised("beat", CRASH, clock=Clock())
    part.pause = supervise.LONGEST_PAUSE
    part.start()
    wait_for_exit(part)
    assert part.schedule_restart() == supervise.LONGEST_PAUSE
    assert part.pause == supervise.LONGEST_PAUSE


def test_a_process_that_ran_long_enough_restarts_quickly_again():
    clock = Clock()
    part = Supervised("worker", CRASH, clock=clock)
    part.pause = 32
    part.start()
    wait_for_exit(part)
    clock.now += supervise.STABLE_AFTER
    assert part.schedule_restart() == supervise.FIRST_PAUSE


def test_stop_ends_a_running_process():
    part = Supervised("web", [sys.executable, "-c", "import time; time.sleep(60)"])
    part.start()
    part.stop(timeout=5)
    assert part.process.poll() is not None
