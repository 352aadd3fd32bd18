"""Where the real services of this machine are, for integration tests."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_available() -> bool:
    parsed = urlparse(redis_url())
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), 1):
            return True
    except OSError:
        return False
