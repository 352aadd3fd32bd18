"""Runs INSIDE the peer's own virtualenv (django-helpdesk): load tickets, then measure.

Nothing of the peer is committed: bench/peer.py writes a throw-away Django project for it under
var/bench/peer/ and runs this file with that project's Python. Reads and writes JSON only, so it
shares no code with Hamroh.
"""

from __future__ import annotations

import base64
import json
import os
import statistics
import sys
import time


def setup() -> None:
    sys.path.insert(0, os.environ["PEER_PROJECT_DIR"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_settings")
    import django

    django.setup()


def load(rows_path: str) -> dict:
    """Organisations become queues, cases become tickets (title: number + migrant names)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from helpdesk.models import Queue, Ticket

    call_command("migrate", verbosity=0)
    User = get_user_model()
    User.objects.filter(username="bench").delete()
    User.objects.create_superuser("bench", "bench@example.org", "bench-password-1234")
    Ticket.objects.all().delete()
    Queue.objects.all().delete()
    queues: dict[str, Queue] = {}
    batch: list[Ticket] = []
    started = time.perf_counter()
    count = 0
    with open(rows_path) as rows, transaction.atomic():
        for line in rows:
            row = json.loads(line)
            queue = queues.get(row["org"])
            if queue is None:
                queue = queues[row["org"]] = Queue.objects.create(
                    title=row["org"], slug=row["org"].lower()
                )
            batch.append(
                Ticket(
                    title=row["title"],
                    queue=queue,
                    status=row["status"],
                    priority=3,
                    description=row["description"],
                    submitter_email="",
                    created=row["created"],
                )
            )
            if len(batch) == 5000:
                Ticket.objects.bulk_create(batch)
                count += len(batch)
                batch.clear()
        Ticket.objects.bulk_create(batch)
        count += len(batch)
    return {"tickets": count, "load_seconds": round(time.perf_counter() - started, 1)}


def measure(repeats: int, search_terms: list[str]) -> dict:
    from django.db import connection
    from django.test import Client

    client = Client()
    client.login(username="bench", password="bench-password-1234")

    def query_url(search: str = "") -> str:
        params = {
            "filtering": {"status__in": [1, 2, 3, 4]},
            "sorting": "created",
            "sortreverse": True,
            "search_string": search,
        }
        encoded = base64.urlsafe_b64encode(json.dumps(params).encode()).decode()
        return f"/helpdesk/datatables_ticket_list/{encoded}"

    def timed(url: str, params: dict) -> dict:
        samples = []
        counted: list[str] = []

        def count(execute, sql, params_, many, context):
            counted.append(sql)
            return execute(sql, params_, many, context)

        with connection.execute_wrapper(count):
            client.get(url, params)
        for _ in range(repeats):
            began = time.perf_counter()
            response = client.get(url, params)
            samples.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.status_code
        samples.sort()
        return {
            "p50_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 2),
            "queries": len(counted),
        }

    from helpdesk.models import Ticket

    total = Ticket.objects.count()
    deep = max(0, min(500_000, total - 25))
    return {
        "list_first": timed(query_url(), {"start": 0, "length": 25}),
        "list_deep": timed(query_url(), {"start": deep, "length": 25}),
        "deep_offset": deep,
        "search": {
            term: timed(query_url(term), {"start": 0, "length": 25}) for term in search_terms
        },
    }


if __name__ == "__main__":
    setup()
    command = sys.argv[1]
    if command == "load":
        result = load(sys.argv[2])
    else:
        result = measure(int(sys.argv[2]), json.loads(sys.argv[3]))
    print(json.dumps(result))
