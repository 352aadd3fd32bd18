"""The embedded broker (ops.broker) with several writers and readers at once: every message
arrives once and whole. kombu's stock filesystem transport let a reader take a file still being
written (the worker died with JSONDecodeError)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from kombu import Connection

WRITERS = 4
READERS = 2
MESSAGES_PER_WRITER = 100


def _connection(folder: Path, transport: str) -> Connection:
    queue = folder / "queue"
    options = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }
    return Connection(transport=transport, transport_options=options)


def _write(folder: Path, transport: str, writer: int) -> None:
    with _connection(folder, transport) as connection:
        queue = connection.SimpleQueue("celery")
        for n in range(MESSAGES_PER_WRITER):
            # Big enough that a write takes a while: the window the stock transport left open.
            queue.put({"writer": writer, "n": n, "padding": "x" * 50_000})
        queue.close()


def _read(folder: Path, transport: str, results) -> None:
    received, errors = [], []
    with _connection(folder, transport) as connection:
        queue = connection.SimpleQueue("celery")
        idle = 0
        while idle < 20:
            try:
                message = queue.get(timeout=0.1)
            except queue.Empty:
                idle += 1
                continue
            except ValueError as error:  # JSONDecodeError is a ValueError
                errors.append(type(error).__name__)
                continue
            idle = 0
            received.append((message.payload["writer"], message.payload["n"]))
            message.ack()
        queue.close()
    results.put((received, errors))


def exchange(folder: Path, transport: str) -> tuple[list, list]:
    (folder / "queue").mkdir(parents=True)
    (folder / "control").mkdir()
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    readers = [
        context.Process(target=_read, args=(folder, transport, results)) for _ in range(READERS)
    ]
    writers = [context.Process(target=_write, args=(folder, transport, w)) for w in range(WRITERS)]
    for process in readers + writers:
        process.start()
    outcomes = [results.get(timeout=60) for _ in readers]
    for process in readers + writers:
        process.join(timeout=30)
    received = [item for got, _errors in outcomes for item in got]
    errors = [error for _got, found in outcomes for error in found]
    return received, errors


def test_several_writers_and_readers_lose_duplicate_and_garble_nothing(tmp_path):
    received, errors = exchange(tmp_path, "ops.broker:Transport")
    assert errors == []
    expected = {(w, n) for w in range(WRITERS) for n in range(MESSAGES_PER_WRITER)}
    assert sorted(received) == sorted(expected)  # each once
