"""Real Celery worker processes on real Redis for the reminder integration tests.

The worker is started in its own process group (so `kill -9` reaches the pool children too)
with the same database as the test: pytest-django's `test_<name>` database, read from
`connection.settings_dict`, so it sees what the test commits.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "postgres")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    def __init__(
        self, *, broker: str, env: dict[str, str], queue: str, concurrency: int = 2
    ) -> None:
        self.broker, self.extra_env, self.concurrency = broker, env, concurrency
        self.queue = queue  # a queue of the test's own: other users of this Redis are untouched
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        env = os.environ.copy()
        env.update(
            {
                "DATABASE_URL": database_url(),
                "CELERY_BROKER_URL": self.broker,
                "ALLOW_DEV_SECRETS": "true",
                "LOG_LEVEL": "WARNING",
                **self.extra_env,
            }
        )
        command = [
            sys.executable, "-m", "celery", "-A", "advisor", "worker",
            "--loglevel", "WARNING", "--concurrency", str(self.concurrency), "--pool", "prefork",
            "--hostname", f"reminders-{uuid.uuid4().hex[:8]}@%h", "--queues", self.queue,
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        return self

    def signal(self, sig: int) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)

    def kill(self) -> None:
        """kill -9 the worker and its pool children (its own process group only)."""
        self.signal(signal.SIGKILL)
        if self.process:
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """Warm shutdown: SIGTERM to the main process only; it finishes and stops its pool."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def running_worker(**kwargs):
    worker = Worker(**kwargs).start()
    try:
        yield worker
    finally:
        worker.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    """A private redis-server for the outage test: the machine's shared one is never touched."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> OwnRedis:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--maxmemory-policy", "noeviction"],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("own redis-server did not start")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def wait_until(predicate, *, timeout: float, interval: float = 0.2, tick=None) -> bool:
    """Poll `predicate` (calling `tick` between polls, e.g. the dispatcher) until true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if tick is not None:
            tick()
        time.sleep(interval)
    return predicate()
