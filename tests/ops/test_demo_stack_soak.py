"""Issue 19 item 8: `make run`'s embedded stack (devserver: web, worker, beat on the filesystem
broker and SQLite) stays up while beat queues several tasks every few seconds, and the worker
runs every task beat sent. HAMROH_SOAK_SECONDS sets the length (default 90, 900 in full)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.soak

BASE_DIR = Path(__file__).resolve().parents[2]
SECONDS = int(os.environ.get("HAMROH_SOAK_SECONDS", "90"))
EVERY = 3  # seconds between firings of each task
# Real tasks that do nothing harmful on an empty database, due together on each firing.
TASKS = [
    "ops.tasks.heartbeat",
    "cases.tasks.dispatch_reminders",
    "api.tasks.emit_overdue_webhooks",
    "stats.tasks.recover_stalled_exports",
]
SCHEDULE = f"""
from django_celery_beat.models import IntervalSchedule, PeriodicTask
every, _ = IntervalSchedule.objects.get_or_create(every={EVERY}, period="seconds")
for task in {TASKS!r}:
    PeriodicTask.objects.update_or_create(
        name="soak " + task, defaults={{"task": task, "interval": every}}
    )
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stack_env(var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CELERY_", "DATABASE_URL", "REDIS_URL", "CACHE_URL", "DJANGO_"))
    }
    return {
        **env,
        "DEBUG": "true",
        "VAR_DIR": str(var_dir),
        "HEARTBEAT_INTERVAL_SECONDS": str(EVERY),
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
    )


def sent_counts(text: str) -> dict[str, int]:
    return {task: text.count(f"Sending due task soak {task} ") for task in TASKS}


def healthz(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


@pytest.mark.timeout(SECONDS + 300)
def test_the_demo_stack_stays_up_and_runs_every_due_task(tmp_path):
    env = stack_env(tmp_path / "var")
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", SCHEDULE)
    port = free_port()
    log = tmp_path / "devserver.log"
    with log.open("wb") as out:
        stack = subprocess.Popen(
            [sys.executable, "manage.py", "devserver", "--port", str(port)],
            cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 90
            while healthz(port) != 200:  # up, and the worker ran its first heartbeat
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(1)
            end = time.monotonic() + SECONDS
            while time.monotonic() < end:
                assert stack.poll() is None, log.read_text()[-3000:]
                assert healthz(port) == 200, log.read_text()[-3000:]  # web up, worker beating
                time.sleep(5)
            sent = sent_counts(log.read_text())
            time.sleep(2 * EVERY)  # let the worker take what beat sent last
        finally:
            stack.send_signal(signal.SIGINT)
            stack.wait(timeout=60)
    text = log.read_text()
    assert "Unrecoverable error" not in text
    assert "exited with code" not in text, text[-3000:]
    succeeded = {
        task: len(re.findall(rf"Task {re.escape(task)}\[[^\]]+\] succeeded", text))
        for task in TASKS
    }
    # Several firings per task, and every one sent before the drain ran.
    assert min(sent.values()) >= SECONDS // EVERY // 2, sent
    for task in TASKS:
        assert succeeded[task] >= sent[task], (task, sent[task], succeeded[task])
