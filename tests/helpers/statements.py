"""Statements sent to the database, counted with a hook on peewee's cursor, whatever the
thread (a screen's background jobs too): `with counting(monkeypatch)() as sent:` …
`len(sent)`, `sent.sent` their text. On a clinic's server each statement is a round trip,
so the screens' tests pin how many a screen sends (counts, never times)."""

from __future__ import annotations

import threading

import peewee

from tests.benchmarks.statements import CountingCursor  # the benchmark's, the same hook


class Counter:
    def __init__(self):
        self.sent: list[str] = []

    def __len__(self) -> int:
        return len(self.sent)


def counting(monkeypatch):
    """Patch peewee's cursor for the test; returns `Block`, whose `with Block() as sent:`
    collects the statements (queries, BEGIN, COMMIT: everything peewee executes, from any
    cursor it hands out, in any thread) sent meanwhile."""
    active: list[Counter] = []
    lock = threading.Lock()
    real_cursor = peewee.Database.cursor

    def note(sql) -> None:
        with lock:
            for counter in active:
                counter.sent.append(sql)

    monkeypatch.setattr(
        peewee.Database,
        "cursor",
        lambda self, *a, **k: CountingCursor(real_cursor(self, *a, **k), note),
    )

    class Block:
        def __enter__(self):
            self.counter = Counter()
            with lock:
                active.append(self.counter)
            return self.counter

        def __exit__(self, *exc):
            with lock:
                active.remove(self.counter)

    return Block
