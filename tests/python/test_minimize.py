"""slope.minimize / slope.maximize for Python functions fun(x) -> (value, gradient)."""

import threading

import numpy as np
import pytest
import scipy.optimize

import slope


def rosen(x):
    return scipy.optimize.rosen(x), scipy.optimize.rosen_der(x)


def test_minimize_rosenbrock_matches_scipy():
    x0 = np.array([-1.2, 1.0, -0.5, 0.8])
    r = slope.minimize(rosen, x0)
    assert r.converged and r.status == "converged" and r.sense == "minimize"
    np.testing.assert_allclose(r.x, np.ones(4), atol=1e-5)
    assert r.objective == pytest.approx(scipy.optimize.rosen(r.x))
    assert r.iterations > 0 and r.evaluations >= r.iterations
    assert r.gradient_norm <= 1e-6
    s = scipy.optimize.minimize(rosen, x0, jac=True, method="L-BFGS-B", options={"gtol": 1e-10})
    np.testing.assert_allclose(r.x, s.x, atol=1e-4)
    np.testing.assert_array_equal(x0, [-1.2, 1.0, -0.5, 0.8])  # x0 untouched


def test_maximize_is_minimize_of_the_negation():
    def up(x):
        return -float((x - 2) @ (x - 2)) + np.sin(x).sum(), -2 * (x - 2) + np.cos(x)

    def down(x):
        v, g = up(x)
        return -v, -g

    a = slope.maximize(up, np.zeros(3))
    d = slope.minimize(down, np.zeros(3))
    assert a.sense == "maximize" and a.converged
    np.testing.assert_array_equal(a.x, d.x)
    assert a.objective == -d.objective
    assert a.trace.objective[-1] == a.objective and np.all(np.diff(a.trace.objective) >= 0)


def test_methods_options_and_lists():
    quad = lambda x: (float(x @ x), 2 * x)
    for method, step in (("lbfgs", None), ("gd", None), ("momentum", 0.05), ("adam", 0.1)):
        r = slope.minimize(quad, [3.0, -4.0], method=method, step_size=step, max_iter=5000, tol=1e-6)
        assert r.converged, (method, r.message)
        np.testing.assert_allclose(r.x, 0.0, atol=1e-5)
    r = slope.minimize(rosen, [-1.2, 1.0], method="gd", max_iter=1, tol=0.0)
    assert r.status == "max_iterations" and r.iterations == 1
    assert slope.minimize(quad, 3.0).x.shape == (1,)
    assert slope.minimize(quad, [3.0], trace=False).trace is None


def test_max_iter_takes_any_integer():
    quad = lambda x: (float(x @ x), 2 * x)
    r = slope.minimize(rosen, [-1.2, 1.0], method="gd", max_iter=np.int64(2), tol=0.0)
    assert r.status == "max_iterations" and r.iterations == 2
    assert slope.minimize(quad, [3.0], max_iter=10**30).converged  # past any count: no limit
    with pytest.raises(ValueError, match="max_iter must be >= 1, not -1000000000000000000000000000000"):
        slope.minimize(quad, [1.0], max_iter=-10**30)
    for bad in (np.float64(5.0), True, "5", None):
        with pytest.raises(TypeError, match="max_iter must be an int"):
            slope.minimize(quad, [1.0], max_iter=bad)


def test_fun_gets_a_fresh_float64_array_it_may_modify():
    seen = []

    def fun(x):
        assert x.dtype == np.float64 and x.shape == (2,)
        seen.append(x)
        value, grad = float(x @ x), 2 * x
        x[:] = 1e9  # modifying its argument does not disturb the optimizer
        return value, grad

    r = slope.minimize(fun, [1, 2])  # ints are converted
    assert r.converged
    np.testing.assert_allclose(r.x, 0.0, atol=1e-6)
    assert len({id(x) for x in seen}) == len(seen)


def test_value_may_be_a_numpy_scalar_or_a_one_element_array():
    r = slope.minimize(lambda x: (np.float32(x @ x), 2 * x), [1.0, 1.0])
    assert r.converged
    r = slope.minimize(lambda x: (np.array([x @ x]), list(2 * x)), [1.0, 1.0])
    assert r.converged


def test_fun_that_raises_propagates_its_exception():
    calls = []

    def fun(x):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("boom at call 3")
        return float(x @ x), 2 * x

    with pytest.raises(RuntimeError, match="boom at call 3"):
        slope.minimize(fun, [1.0, 2.0], method="gd", step_size=0.01, tol=0.0)
    assert len(calls) == 3


@pytest.mark.parametrize("result, error, message", [
    (lambda x: 1.0, ValueError, r"fun must return \(value, gradient\).*returned float"),
    (lambda x: (1.0,), ValueError, r"returned a sequence of 1 items"),
    (lambda x: (1.0, x, x), ValueError, r"returned a sequence of 3 items"),
    (lambda x: (1.0, np.ones(2)), ValueError, r"gradient of shape \(2,\) for x of shape \(3,\)"),
    (lambda x: (1.0, np.ones((3, 1))), ValueError, r"gradient of shape \(3, 1\) for x of shape \(3,\)"),
    (lambda x: (np.ones(3), np.ones(3)), ValueError, r"value, not an array of 3 numbers"),
    (lambda x: ("one", np.ones(3)), TypeError, r"the value fun returns must be a number"),
    (lambda x: (1.0, None), TypeError, r"the gradient fun returns must be a number or an array"),
])
def test_fun_returning_the_wrong_shape_or_type(result, error, message):
    with pytest.raises(error, match=message):
        slope.minimize(result, np.zeros(3))


def test_bad_arguments():
    quad = lambda x: (float(x @ x), 2 * x)
    with pytest.raises(TypeError, match="fun must be callable"):
        slope.minimize(42, [1.0])
    with pytest.raises(TypeError, match="x0 must be a number or an array"):
        slope.minimize(quad, "abc")
    with pytest.raises(ValueError, match="x0 must be one-dimensional"):
        slope.minimize(quad, np.zeros((2, 2)))
    with pytest.raises(ValueError, match="method must be"):
        slope.maximize(quad, [1.0], method="newton")
    with pytest.raises(ValueError, match="max_iter must be >= 1"):
        slope.minimize(quad, [1.0], max_iter=-5)
    with pytest.raises(ValueError, match=r"lower\[0\] = 1 > upper\[0\] = 0"):
        slope.minimize(quad, [1.0, 2.0], bounds=[(1, 0), (0, 1)])
    with pytest.raises(ValueError, match="lower has 1 entries but x0 has 2"):
        slope.minimize(quad, [1.0, 2.0], bounds=[(0, 1)])
    with pytest.raises(ValueError, match="one \\(low, high\\) pair per component"):
        slope.minimize(quad, [1.0, 2.0], bounds=[(0, 1, 2), (0, 1)])
    with pytest.raises(TypeError, match="bounds must be None"):
        slope.minimize(quad, [1.0, 2.0], bounds=3)
    with pytest.raises(TypeError, match="the lower bounds must be"):
        slope.minimize(quad, [1.0, 2.0], bounds=[("a", 1), (0, 1)])


def test_bounds_as_scipy_takes_them():
    x0 = np.array([-1.2, 1.0])
    box = [(None, 0.5), (None, None)]
    r = slope.minimize(rosen, x0, bounds=box)
    s = scipy.optimize.minimize(rosen, x0, jac=True, method="L-BFGS-B", bounds=box, options={"gtol": 1e-10})
    assert r.converged and r.active_bounds == ["at_upper", "free"]
    np.testing.assert_allclose(r.x, s.x, atol=1e-6)
    assert r.x[0] == 0.5  # exactly on its bound
    same = slope.minimize(rosen, x0, bounds=scipy.optimize.Bounds([-np.inf, -np.inf], [0.5, np.inf]))
    np.testing.assert_array_equal(same.x, r.x)
    # Unbounded sides are the unbounded run, and without bounds every component is free.
    free = slope.minimize(rosen, x0, bounds=[(None, None), (-np.inf, np.inf)])
    np.testing.assert_array_equal(free.x, slope.minimize(rosen, x0).x)
    assert free.active_bounds == ["free", "free"]
    # One number in scipy.optimize.Bounds bounds every component, as scipy reads it.
    shifted = lambda x: (float((x - 3) @ (x - 3)), 2 * (x - 3))
    unit = scipy.optimize.Bounds(0, 1)
    s_unit = scipy.optimize.minimize(shifted, [0.0, 0.5, 0.2], jac=True, method="L-BFGS-B", bounds=unit)
    r_unit = slope.minimize(shifted, [0.0, 0.5, 0.2], bounds=unit)
    np.testing.assert_array_equal(r_unit.x, s_unit.x)
    np.testing.assert_array_equal(r_unit.x, [1.0, 1.0, 1.0])
    # maximize in a box is minimize of the negation in the same box.
    up = slope.maximize(lambda x: tuple(-v for v in rosen(x)), x0, bounds=box)
    np.testing.assert_array_equal(up.x, r.x)
    for method, step in (("gd", None), ("adam", 0.01)):
        q = slope.minimize(lambda x: (float((x - 3) @ (x - 3)), 2 * (x - 3)), [0.0, 0.0], method=method,
                           step_size=step, bounds=[(0, 1), (0, 5)], max_iter=20000)
        assert q.converged, (method, q.message)
        np.testing.assert_allclose(q.x, [1.0, 3.0], atol=1e-5)
        assert q.active_bounds == ["at_upper", "free"]


def test_non_finite_values_are_a_status_not_an_exception():
    r = slope.minimize(lambda x: (float("nan"), x), [1.0])
    assert r.status == "diverged" and not r.converged
    r = slope.minimize(lambda x: (float(x[0]), np.ones(1)), [0.0], method="gd")
    assert r.status == "diverged"


def test_other_threads_run_while_the_optimizer_works():
    # The GIL is released around C++ work and taken back for fun: two runs in two threads agree.
    results = [None, None]

    def work(i):
        results[i] = slope.minimize(rosen, np.array([-1.2, 1.0] * 3))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    np.testing.assert_array_equal(results[0].x, results[1].x)


def test_model_threads_share_a_model_safely(model):
    expected = model.optimize()
    value = model.value_and_gradient(model.initial)[0]
    points, values = [], []

    def work():
        for _ in range(5):
            points.append(model.optimize().x)
            values.append(model.value_and_gradient(model.initial)[0])

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(points) == 15 and values == [value] * 15
    for x in points:
        np.testing.assert_array_equal(x, expected.x)
