"""Web server, Celery worker and Celery beat together in the foreground; Ctrl-C stops all three."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


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
        commands = {
            "web": [python, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
            "worker": [python, "-m", "celery", "-A", "advisor", "worker", "-l", "INFO",
                       "--concurrency", "2"],
            "beat": [python, "-m", "celery", "-A", "advisor", "beat", "-l", "INFO",
                     "--schedule", str(settings.VAR_DIR / "celerybeat-schedule")],
        }  # fmt: skip
        processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603
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
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(f"{name} exited with code {process.returncode}.")
                        stopping = True
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()
            for process in processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
