"""Changing a book in one thread while another works on it natively (without the GIL) must never
crash the interpreter: a change waits until the native work on that book is done, and native work
waits for a change in progress (docs/python.md, "Threads").

Each race runs in a child interpreter for a bounded time, so that a crash (SIGSEGV, SIGABRT) is a
failed test with the child's exit status rather than the end of pytest. Before the guard, each race
below crashed the child (SIGSEGV, SIGABRT in free()) or made the reading thread fail on a torn book
("a scope entry cannot name a request", an entry "before the engagement's start") within 2 seconds.
"""

import subprocess
import sys
import textwrap

import pytest

from conftest import SPEC_EXAMPLES

SECONDS = 2.0  # per race: the unguarded module crashed well inside this

# The child: a retainer book with many entries; `reader` runs native work on it in a loop while the
# main thread appends entries (each append moves the columns' buffers now and then).
CHILD = textwrap.dedent("""
    import itertools, sys, threading, time
    from datetime import datetime, timedelta
    import numpy as np
    import kontingent as k

    book = k.Book.load(sys.argv[1])
    reader_name, seconds = sys.argv[2], float(sys.argv[3])
    e = book.engagements[0]
    e.end = None
    starts = np.datetime64("2026-01-01T09:00", "s") + np.arange(100_000, dtype=np.int64) * np.timedelta64(3600, "s")
    e.add_entries(start=starts, minutes=30, kind="scope")
    first = len(e.entries)
    readers = {
        "book.evaluate": lambda: book.evaluate(threads=2),
        "engagement.evaluate": lambda: book.engagements[0].evaluate(),
        "entries_frame": lambda: book.entries_frame(notes=True),
        "with_entries": lambda: book.with_entries(frame),
        "what_if": lambda: book.what_if(included_rounds=3),
        "triage": lambda: book.triage(),
        "save": lambda: book.save(sys.argv[4]),
    }
    frame = book.entries_frame(notes=True)
    read = readers[reader_name]
    stop = False
    runs = 0
    failure = None

    def reading():
        global runs, failure
        try:
            while not stop:
                read()
                runs += 1
        except Exception as error:  # a torn read shows as a rule the book never broke
            failure = error

    worker = threading.Thread(target=reading)
    worker.start()
    added = 0
    at = datetime(2040, 1, 1, 9)
    deadline = time.monotonic() + seconds
    try:
        for step in itertools.count():  # until the deadline: a thousand entries, then one, in turn
            if time.monotonic() >= deadline:
                break
            if step % 2:
                e.entries.append(k.Entry(start=at, minutes=30, kind="scope"))
                added += 1
                at += timedelta(hours=1)
            else:
                more = np.datetime64(at, "s") + np.arange(1000, dtype=np.int64) * np.timedelta64(3600, "s")
                e.add_entries(start=more, minutes=30, kind="scope")
                added += 1000
                at += timedelta(hours=1000)
    finally:
        stop = True
        worker.join()
    assert failure is None, repr(failure)
    assert len(e.entries) == first + added, (len(e.entries), first, added)
    assert runs > 0
    assert book.evaluate() == book.evaluate(threads=1)
    print(runs, added)
""")


@pytest.mark.parametrize("reader", ["book.evaluate", "engagement.evaluate", "entries_frame", "with_entries", "what_if",
                                    "triage", "save"])
def test_appending_while_another_thread_works_on_the_book_does_not_crash(reader, tmp_path):
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(SPEC_EXAMPLES / "b-retainer.book.json"), reader, str(SECONDS),
         str(tmp_path / "book.kbin")],
        capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, f"exit status {child.returncode}\n{child.stderr[-3000:]}"
    runs, added = map(int, child.stdout.split())
    assert runs > 0 and added > 0
