"""Threads: the module releases the GIL during long evaluations, loads and saves, and one shared
book evaluated from several Python threads gives the same report in each.

How the GIL test works, without timing thresholds: a background thread runs a pure-Python loop and
counts the iterations it makes *strictly while* the main thread is inside the native call. The
window is marked by an argument of the call (``_Marker``): pybind11 converts it through its
``__index__`` / ``__fspath__`` just before entering the C++ function, and the marker's last
bytecode there publishes a weak reference to it (nothing after that store can switch threads
until the call is entered). The marker is referenced only by the call's argument list, which the
interpreter releases right after the native call returns, before it can switch threads again; the
weak reference is then dead. So an iteration that sees a live marker ran while the main thread
was in the native function (at most one iteration can straddle the end: it called the weak
reference just before the switch). If the function held the GIL, no such iteration could run at
all: the controls below check exactly that with math.factorial (holds the GIL: 0 iterations) and
time.sleep (releases it: many).
"""

import math
import os
import threading
import time
import weakref

import numpy as np
import pytest

import kontingent as k
from conftest import SPEC_EXAMPLES

# Sizes that make each call last ≈ 0.1–0.3 s in the optimised build; under ASan (the asan preset
# preloads libasan) a fifth of them last longer still. The proof does not depend on the length.
SCALE = 5 if "libasan" in os.environ.get("LD_PRELOAD", "") else 1
ENTRIES = 1_000_000 // SCALE
JSON_ENTRIES = 200_000 // SCALE  # .json and .kxml: ≈ 18 MB and 20 MB in the optimised build
ENOUGH = 1000  # iterations that must run inside a GIL-free call (the loop makes millions a second)


class _Probe:
    """Shared between the main thread (which sets `marker`) and the counting thread."""

    def __init__(self):
        self.marker = None  # weakref.ref to the _Marker of the call in progress
        self.inside = 0  # iterations that saw a live marker
        self.stop = False


class _Marker:
    """An argument that tells the probe when pybind11 converts it (an int or a path)."""

    def __init__(self, probe, value):
        self._probe = probe
        self._value = value

    def __index__(self):
        value = self._value
        self._probe.marker = weakref.ref(self)  # the last store before the native call
        return value

    def __fspath__(self):
        value = str(self._value)
        self._probe.marker = weakref.ref(self)
        return value


def _count(probe):
    while not probe.stop:
        marker = probe.marker
        if marker is not None and marker() is not None:
            probe.inside += 1


def iterations_inside(call):
    """How many iterations the counting thread ran while `call(marker_factory)` was in native code."""
    probe = _Probe()
    counter = threading.Thread(target=_count, args=(probe,), daemon=True)
    counter.start()
    try:
        call(lambda value: _Marker(probe, value))
    finally:
        probe.stop = True
        counter.join()
    assert probe.marker is not None, "the marker was never converted: the test does not measure the call"
    assert probe.marker() is None, "the marker outlived the call: the count is not bounded by it"
    return probe.inside


def book_with(entries):
    """The retainer example with `entries` half-hour entries more, one an hour (bulk add_entries)."""
    book = k.Book.load(SPEC_EXAMPLES / "b-retainer.book.json")
    e = book.engagements[0]
    e.end = None
    starts = np.datetime64("2026-01-01T09:00", "s") + np.arange(entries, dtype=np.int64) * np.timedelta64(3600, "s")
    e.add_entries(start=starts, minutes=30, kind="scope")
    assert len(e.entries) == entries + 4
    return book


@pytest.fixture(scope="module")
def big_book():
    return book_with(ENTRIES)


# ---- the method ------------------------------------------------------------------------------


def test_a_call_that_holds_the_gil_lets_no_iteration_in():
    # factorial takes its argument through __index__ and computes for a while with the GIL held
    assert iterations_inside(lambda marker: math.factorial(marker(50_000))) == 0


def test_a_call_that_releases_the_gil_lets_iterations_in():
    assert iterations_inside(lambda marker: time.sleep(marker(1))) > ENOUGH


# ---- the module ------------------------------------------------------------------------------


@pytest.mark.parametrize("threads", [1, 2])
def test_evaluate_releases_the_gil(big_book, threads):
    reports = []
    assert iterations_inside(lambda marker: reports.append(big_book.evaluate(threads=marker(threads)))) > ENOUGH
    assert reports[0] == big_book.evaluate()


@pytest.mark.parametrize("suffix", [".kbin", ".kxml", ".ktxt", ".json"])
def test_save_and_load_release_the_gil(big_book, tmp_path, suffix):
    book = big_book if suffix in (".kbin", ".ktxt") else book_with(JSON_ENTRIES)  # the wordy formats: fewer
    path = tmp_path / f"big{suffix}"
    assert iterations_inside(lambda marker: book.save(marker(path))) > ENOUGH
    loaded = []
    assert iterations_inside(lambda marker: loaded.append(k.Book.load(marker(path)))) > ENOUGH
    assert loaded[0] == book


# ---- one book, several threads -----------------------------------------------------------------


def test_one_book_evaluated_from_several_threads_gives_one_report(big_book):
    expected = big_book.evaluate(threads=1)
    reports = [None] * 6
    barrier = threading.Barrier(len(reports))

    def evaluate(i):
        barrier.wait()
        reports[i] = big_book.evaluate(threads=1 + i % 3)

    workers = [threading.Thread(target=evaluate, args=(i,)) for i in range(len(reports))]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert all(r == expected for r in reports)
    assert reports[0].to_json() == expected.to_json()
