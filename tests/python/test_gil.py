"""The GIL is released while C++ runs (Model.optimize, Model.value_and_gradient), so that other
Python threads run meanwhile; a Python fun given to slope.minimize is called with it held.

A watcher thread wakes every millisecond and notes the time, which it can do only while it holds
the GIL. Wake-ups in the middle half of a call can only happen while that call has let go of the
GIL: a call that holds it leaves none there, as the control with a GIL-holding builtin shows.
(Around a call that holds the GIL the watcher may still run for a few milliseconds: between the
caller's clock reading and the call, and after the call while the caller waits for the GIL, for
longer on a busy machine; hence the middle half only.)"""

import threading
import time

import numpy as np

import slope
from conftest import LOGISTIC, logistic_data

def wakeups_inside(work):
    """Runs work(calls) in this thread, which appends (start, end) for each timed call, while a
    watcher thread wakes every millisecond; returns the watcher's wake-ups in the middle half of
    the calls and the total time of the calls."""
    wakeups, calls = [], []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            time.sleep(0.001)
            wakeups.append(time.perf_counter())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        time.sleep(0.01)
        work(calls)
    finally:
        stop.set()
        watcher.join()
    inside = sum(1 for t in wakeups for start, end in calls
                 if start + (end - start) / 4 < t < end - (end - start) / 4)
    return inside, sum(end - start for start, end in calls)


def timed(calls, call):
    start = time.perf_counter()
    result = call()
    calls.append((start, time.perf_counter()))
    return result


def test_the_probe_sees_a_call_that_holds_the_gil():
    inside, seconds = wakeups_inside(lambda calls: timed(calls, lambda: sum(range(20_000_000))))
    assert seconds > 0.05
    assert inside == 0


def test_optimize_releases_the_gil():
    X, y = logistic_data(n=20000, d=50, seed=1)
    m = slope.Model(LOGISTIC, data={"X": X, "y": y})
    # A tiny fixed step: a few hundred evaluations, a few tenths of a second.
    r = None

    def work(calls):
        nonlocal r
        r = timed(calls, lambda: m.optimize(method="momentum", step_size=1e-12, tol=0.0, max_iter=300))

    inside, seconds = wakeups_inside(work)
    assert r.iterations == 300
    assert inside >= max(5, 0.05 * seconds / 0.001), (inside, seconds)


def test_value_and_gradient_releases_the_gil():
    X, y = logistic_data(n=100_000, d=20, seed=2)
    m = slope.Model(LOGISTIC, data={"X": X, "y": y})
    p = {"w": np.full(20, 0.1), "b": 0.2}
    value = m.value_and_gradient(p)[0]
    values = []

    def work(calls):
        for _ in range(40):
            values.append(timed(calls, lambda: m.value_and_gradient(p))[0])

    inside, seconds = wakeups_inside(work)
    assert values == [value] * 40
    assert inside >= max(5, 0.05 * seconds / 0.001), (inside, seconds)


def test_fun_is_called_with_the_gil_and_from_the_calling_thread():
    # fun is Python code, which runs only with the GIL held, on the thread that called minimize
    # (the optimizer takes the GIL back there for each call).
    caller = threading.get_ident()
    threads_seen = set()

    def fun(x):
        threads_seen.add(threading.get_ident())
        return float(x @ x), 2 * x

    r = slope.minimize(fun, np.arange(1.0, 6.0))
    assert r.converged and threads_seen == {caller}
