"""Ctrl-C during a long optimization raises KeyboardInterrupt instead of hanging: each case runs
in a subprocess that is sent SIGINT once it has started, and must exit within a timeout."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

MODEL_RUN = """
import numpy as np, slope
rng = np.random.default_rng(1)
X = rng.normal(size=(20000, 50))
y = (rng.random(20000) < 0.5).astype(float)
m = slope.Model.load(MODELS + "/logistic.slope", data={"X": X, "y": y})
print("ready", flush=True)
# A tiny fixed-size step: tens of thousands of evaluations, minutes if nothing stops it.
m.optimize(method="momentum", step_size=1e-12, tol=0.0, max_iter=10**9)
"""

FUNCTION_RUN = """
import time, numpy as np, slope
print("ready", flush=True)
def fun(x):
    time.sleep(0.001)
    return float(x @ x), 2 * x
slope.minimize(fun, np.ones(3), method="adam", step_size=1e-9, tol=0.0, max_iter=10**9)
"""


def interrupt(code):
    """Runs `code` in a child Python, which prints "ready" once its run has begun, sends it SIGINT
    half a second later and returns (stdout, stderr, seconds from the signal to the child's exit)."""
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=os.environ.copy())
    try:
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        time.sleep(0.5)  # well inside the run
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=15)
        elapsed = time.monotonic() - sent
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return out, err, elapsed


def run_and_interrupt(body):
    from conftest import MODELS

    code = f"MODELS = {str(MODELS)!r}\n" + textwrap.dedent("""
        try:
        {body}
        except KeyboardInterrupt:
            print("KeyboardInterrupt", flush=True)
            raise SystemExit(0)
        print("finished without an interrupt", flush=True)
        raise SystemExit(1)
        """).format(body=textwrap.indent(body, "    "))
    out, err, elapsed = interrupt(code)
    assert "KeyboardInterrupt" in out, (out, err)
    assert elapsed < 10


def test_ctrl_c_stops_model_optimize():
    run_and_interrupt(MODEL_RUN)


def test_ctrl_c_stops_minimize_of_a_python_function():
    run_and_interrupt(FUNCTION_RUN)


def test_ctrl_c_stops_a_thread_waiting_for_a_model_another_thread_optimizes():
    from conftest import MODELS

    code = f"MODELS = {str(MODELS)!r}\n" + textwrap.dedent("""
        import os, threading, time, numpy as np, slope
        rng = np.random.default_rng(1)
        X = rng.normal(size=(20000, 20))
        y = (rng.random(20000) < 0.5).astype(float)
        m = slope.Model.load(MODELS + "/logistic.slope", data={"X": X, "y": y})
        worker = threading.Thread(daemon=True, target=lambda: m.optimize(method="momentum", step_size=1e-12,
                                                                         tol=0.0, max_iter=10**9))
        worker.start()
        print("ready", flush=True)
        called = time.monotonic()
        try:
            while True:  # until the worker holds the model: then a call waits for an optimize that never ends
                called = time.monotonic()
                m.value(m.initial)
                time.sleep(0.01)
        except KeyboardInterrupt:
            waited = time.monotonic() - called
            print("KeyboardInterrupt" if waited > 0.2 else f"interrupted outside the wait ({waited} s)", flush=True)
        os._exit(0)  # the worker still runs: leave without waiting for it
        """)
    out, err, elapsed = interrupt(code)
    assert "KeyboardInterrupt" in out, (out, err)
    assert elapsed < 5
