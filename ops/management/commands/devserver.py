"""Web server, Celery worker and Celery beat together in the foreground; Ctrl-C stops all three.

A worker or beat that dies is started again with backoff (ops.supervise); only the web server's
end (or Ctrl-C) stops the stack."""

from __future__ import annotations

import signal
import socket
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.supervise import Supervised


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


class Command(BaseCommand):
    help = "Run the web server, a Celery worker and Celery beat; Ctrl-C stops them all."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host: str, port: int, **options):
        if not port_is_free(host, port):
            raise CommandError(
                f"Port {port} on {host} is already in use. Stop the other program or choose "
                f"another port, e.g. `make run PORT=8001`."
            )
        python = sys.executable
        web = Supervised("web", [python, "manage.py", "runserver", f"{host}:{port}", "--noreload"])
        # The filesystem broker has no push: the worker looks again only every 2 s once it holds
        # its prefetch, so a prefetch of 1 per process drains just 1 task a second.
        background = [
            Supervised("worker", [python, "-m", "celery", "-A", "advisor", "worker", "-l", "INFO",
                                  "--concurrency", "2", "--prefetch-multiplier", "10"]),
            Supervised("beat", [python, "-m", "celery", "-A", "advisor", "beat", "-l", "INFO",
                                "--schedule", str(settings.VAR_DIR / "celerybeat-schedule")]),
        ]  # fmt: skip
        for part in [web, *background]:
            part.start()
        self.stdout.write(self.style.SUCCESS(f"\nHamroh is running at http://{host}:{port}/"))
        self.stdout.write("Press Ctrl-C to stop the web server, the worker and beat.\n")
        stopping = False

        def stop(*_args):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                if (code := web.exited()) is not None:
                    self.stderr.write(f"web exited with code {code}; stopping.")
                    break
                self._keep_running(background)
                time.sleep(0.5)
        finally:
            for part in [web, *background]:
                part.stop()

    def _keep_running(self, parts: list[Supervised]) -> None:
        for part in parts:
            if (code := part.exited()) is not None:
                pause = part.schedule_restart()
                self.stderr.write(
                    f"{part.name} exited with code {code}; restarting in {pause:g} s."
                )
            elif part.restart_if_due():
                self.stderr.write(f"{part.name} restarted (restart {part.restarts}).")
