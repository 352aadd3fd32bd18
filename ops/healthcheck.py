"""Container healthcheck: GET /healthz/ on the local gunicorn with the public host name.

Runs without Django (the probe must be cheap). The Host header comes from SITE_URL, so the
request passes the production ALLOWED_HOSTS instead of failing as DisallowedHost on 127.0.0.1.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from urllib.parse import urlsplit


def probe(site_url: str, local_url: str) -> int:
    request = urllib.request.Request(local_url, headers={"Host": urlsplit(site_url).netloc})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 (fixed local URL)
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"healthcheck failed: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(
        probe(
            os.environ.get("SITE_URL", "http://127.0.0.1:8000"),
            os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/healthz/"),
        )
    )
