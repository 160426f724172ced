"""Misuse of the module that must neither crash the interpreter, hang, nor give a silently wrong
answer: threads changed while another thread evaluates, thread counts past reason, a Model made
without __init__, a call made while converting another call's arguments, data of too few
dimensions, integers a double cannot hold, and every argument error raised as a slope.Error.
(Ctrl-C while waiting for a busy model: test_interrupt.py.)"""

import threading

import numpy as np
import pytest

import slope
from conftest import LOGISTIC, logistic_data

QUADRATIC = "param a = 1\nparam b = 1\nminimize (a - 10)^2 + 3 * b^2\n"
# Many evaluations of a cheap model: a fixed tiny step never converges.
SLOW = dict(method="momentum", step_size=1e-12, tol=0.0)


def test_setting_threads_while_another_thread_optimizes_waits_for_it():
    y = np.random.default_rng(1).normal(size=20000)
    m = slope.Model("data y[n]\nparam w[n] = 0\nminimize sum((w - y) .^ 2) + sum(w)^2", data={"y": y})
    m.threads = 2
    results = []
    worker = threading.Thread(target=lambda: results.append(m.optimize(max_iter=300)))
    worker.start()
    k = 0
    while worker.is_alive():
        m.threads = 1 + k % 2
        k += 1
    worker.join(timeout=60)
    assert not worker.is_alive() and len(results) == 1
    assert results[0].converged
    expected = y - y.sum() / (1 + len(y))  # w - y + 1 sum(w) = 0
    np.testing.assert_allclose(results[0].params["w"], expected, atol=1e-6)


@pytest.mark.parametrize("threads, error", [(-1, slope.ArgumentError), (1025, slope.ArgumentError),
                                            (10**6, slope.ArgumentError), (1.5, slope.ArgumentTypeError),
                                            (True, slope.ArgumentTypeError)])
def test_thread_counts_out_of_range_are_refused(threads, error):
    m = slope.Model(QUADRATIC)
    before = m.threads
    with pytest.raises(error, match="threads must be"):
        m.threads = threads
    assert m.threads == before


def test_the_evaluation_limit_is_max_evals_and_none_by_default():
    m = slope.Model(QUADRATIC)
    r = m.optimize(max_iter=25000, **SLOW)  # more evaluations than any built-in limit would allow
    assert (r.status, r.iterations) == ("max_iterations", 25000)
    r = m.optimize(max_iter=25000, max_evals=100, **SLOW)
    assert r.status == "max_evaluations" and r.evaluations == 100
    fun = lambda x: (float(x @ x), 2 * x)  # noqa: E731
    r = slope.minimize(fun, [1.0, 2.0], max_iter=25000, **SLOW)
    assert (r.status, r.iterations) == ("max_iterations", 25000)
    r = slope.maximize(lambda x: (-float(x @ x), -2 * x), [1.0, 2.0], max_iter=25000, max_evals=50, **SLOW)
    assert r.status == "max_evaluations" and r.evaluations == 50
    with pytest.raises(slope.ArgumentError, match="max_evals must be >= 1"):
        m.optimize(max_evals=0)
    with pytest.raises(slope.ArgumentTypeError, match="max_evals must be an int or None"):
        m.optimize(max_evals=1.5)


def test_a_model_made_without_init_raises_instead_of_crashing():
    m = slope.Model.__new__(slope.Model)
    assert repr(m) == "<slope.Model, not initialized>"
    for use in (lambda: m.params, lambda: m.initial, lambda: m.threads, lambda: m.value({}),
                lambda: m.value_and_gradient({}), lambda: m.gradient({}), lambda: m.optimize(), lambda: m.flat(),
                lambda: m.unflatten([1.0])):
        with pytest.raises(slope.ArgumentTypeError, match="not initialized"):
            use()


def test_a_call_made_while_converting_another_calls_arguments_keeps_both_right():
    m = slope.Model(QUADRATIC)

    class CallsTheModel:
        def __array__(self, dtype=None, copy=None):
            assert m.value_and_gradient({"a": 100.0})[0] == pytest.approx(8103.0)
            return np.array(1.0)

    value, gradient = m.value_and_gradient({"a": 2.0, "b": CallsTheModel()})
    assert value == pytest.approx(67.0)
    assert gradient == pytest.approx({"a": -16.0, "b": 6.0})


@pytest.mark.parametrize("data, message", [
    ({"X": np.arange(4.0), "y": np.ones(4)}, r"data 'X' is declared \[n, d\] \(a matrix\), but its data is a vector"),
    ({"X": 5.0, "y": np.ones(1)}, r"data 'X' is declared \[n, d\] \(a matrix\), but its data is a scalar"),
    ({"X": np.ones((3, 2)), "y": 5.0}, r"data 'y' is declared \[n\] \(a vector\), but its data is a scalar"),
])
def test_data_of_fewer_dimensions_than_declared_is_refused(data, message):
    with pytest.raises(slope.ModelError, match=message):
        slope.Model(LOGISTIC, data=data)


def test_a_column_vector_still_binds_a_vector():
    X, y = logistic_data()
    column = slope.Model(LOGISTIC, data={"X": X, "y": y.reshape(-1, 1)})
    flat = slope.Model(LOGISTIC, data={"X": X, "y": y})
    assert column.value(column.initial) == flat.value(flat.initial)


@pytest.mark.parametrize("dtype", [np.int64, np.uint64])
def test_integers_a_double_cannot_hold_are_refused(dtype):
    y = np.array([1, 2**53, 2**53 + 1], dtype=dtype)
    with pytest.raises(slope.ArgumentError, match=r"data 'y': element 3 is an integer of magnitude above 2\^53"):
        slope.Model("data y[n]\nparam w = 0\nminimize sum((y - w) .^ 2)", data={"y": y})
    ok = slope.Model("data y[n]\nparam w = 0\nminimize sum((y - w) .^ 2)", data={"y": y[:2]})
    assert ok.value({"w": 0.0}) == 1.0 + 2.0**106


@pytest.mark.parametrize("call, error, base", [
    (lambda m: m.optimize(method="bogus"), slope.ArgumentError, ValueError),
    (lambda m: m.optimize(tol=-1.0), slope.ArgumentError, ValueError),
    (lambda m: m.optimize(tol="1e-3"), slope.ArgumentTypeError, TypeError),
    (lambda m: m.optimize(method=3), slope.ArgumentTypeError, TypeError),
    (lambda m: m.optimize(trace="yes"), slope.ArgumentTypeError, TypeError),
    (lambda m: m.optimize(max_iter=0), slope.ArgumentError, ValueError),
    (lambda m: m.optimize(step_size=0.1), slope.ArgumentError, ValueError),
    (lambda m: m.optimize(start={"sigma": -1.0}), slope.ArgumentError, ValueError),
    (lambda m: m.value({"mu": "x"}), slope.ArgumentTypeError, TypeError),
    (lambda m: m.value([1.0]), slope.ArgumentTypeError, TypeError),
    (lambda m: slope.Model(3), slope.ArgumentTypeError, TypeError),
    (lambda m: slope.Model.load(3), slope.ArgumentTypeError, TypeError),
    (lambda m: slope.minimize(lambda x: (0.0, x), [1.0], bounds=[(0, 1), (0, 1)]), slope.ArgumentError, ValueError),
    (lambda m: slope.minimize(lambda x: (0.0, x), [1.0], bounds=[(2, 1)]), slope.ArgumentError, ValueError),
    (lambda m: slope.minimize(lambda x: (0.0, x), [1.0], bounds=3), slope.ArgumentTypeError, TypeError),
    (lambda m: slope.minimize(3, [1.0]), slope.ArgumentTypeError, TypeError),
])
def test_argument_errors_are_slope_errors_and_the_builtin_kind(call, error, base):
    m = slope.Model("param mu = 0\nparam sigma > 0 = 1\nminimize (mu - 1)^2 + sigma^2 - log(sigma)")
    with pytest.raises(error) as caught:
        call(m)
    assert isinstance(caught.value, slope.Error) and isinstance(caught.value, base)
