"""slope.Model: every name of the contract, checked against NumPy formulas and scipy."""

import inspect

import os

import numpy as np
import pytest
import scipy.optimize

import slope
from conftest import LOGISTIC, MODELS, log_likelihood, log_likelihood_gradient, logistic_data


def test_load_reads_a_file_and_matches_the_string_form(data):
    X, y = data
    loaded = slope.Model.load(MODELS / "logistic.slope", data={"X": X, "y": y}, consts={"lambda": 0.1})
    from_text = slope.Model(LOGISTIC, data={"X": X, "y": y}, consts={"lambda": 0.1})
    p = {"w": np.array([0.3, -0.2, 0.1]), "b": 0.5}
    assert loaded.value(p) == from_text.value(p)
    assert loaded.file == str(MODELS / "logistic.slope")
    assert slope.Model.load(str(MODELS / "rosenbrock.slope")).params == ["x", "y"]


def test_params_initial_and_sense(model):
    assert model.params == ["w", "b"]
    initial = model.initial
    assert list(initial) == ["w", "b"]
    assert isinstance(initial["w"], np.ndarray) and initial["w"].shape == (3,) and initial["w"].dtype == np.float64
    np.testing.assert_array_equal(initial["w"], 0.0)
    assert isinstance(initial["b"], float) and initial["b"] == 0.0
    assert model.sense == "maximize"
    assert "logistic.slope" in repr(model)


def test_matrix_param_has_its_shape():
    m = slope.Model("param W[2, 3] = [1, 2, 3, 4, 5, 6]\nminimize sum(W .* W)")
    W = m.initial["W"]
    assert W.shape == (2, 3)
    np.testing.assert_array_equal(W, [[1, 2, 3], [4, 5, 6]])
    v, g = m.value_and_gradient({"W": W})
    assert v == pytest.approx(91.0)
    np.testing.assert_allclose(g["W"], 2 * W)


def test_value_gradient_and_value_and_gradient_agree_with_numpy(model, data):
    X, y = data
    w, b = np.array([0.3, -0.2, 0.1]), 0.5
    p = {"w": w, "b": b}
    expected = log_likelihood(X, y, 0.1, w, b)
    gw, gb = log_likelihood_gradient(X, y, 0.1, w, b)
    assert model.value(p) == pytest.approx(expected, rel=1e-12)
    g = model.gradient(p)
    np.testing.assert_allclose(g["w"], gw, rtol=1e-10)
    assert isinstance(g["b"], float) and g["b"] == pytest.approx(gb, rel=1e-10)
    v, g2 = model.value_and_gradient(p)
    assert v == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(g2["w"], gw, rtol=1e-10)


def test_value_and_gradient_takes_p_by_keyword_and_checks_its_arguments(model):
    p = {"w": [0.1, 0.2, 0.3], "b": 1}
    assert model.value_and_gradient(p=p)[0] == model.value_and_gradient(p)[0] == model.value(p)
    assert model.value_and_gradient({"b": np.float32(1.0)})[0] == model.value({"b": 1.0})
    with pytest.raises(TypeError):
        model.value_and_gradient()
    with pytest.raises(TypeError):
        model.value_and_gradient(p, p)
    with pytest.raises(TypeError):
        model.value_and_gradient(q=p)
    assert "(value, gradient)" in slope.Model.value_and_gradient.__doc__
    assert str(inspect.signature(model.value_and_gradient)) == "(p)"


def test_params_left_out_keep_their_initial_values_and_lists_are_accepted(model):
    assert model.value({"b": 0.25}) == model.value({"w": [0, 0, 0], "b": 0.25})
    assert model.value({}) == model.value(model.initial)
    assert model.value({"w": np.array([1, 2, 3], dtype=np.int32)}) == model.value({"w": [1.0, 2.0, 3.0]})


def test_optimize_maximizes_and_reports_every_field(model, data):
    X, y = data
    r = model.optimize()
    assert r.status == "converged" and r.converged is True
    assert r.sense == "maximize"
    assert r.gradient_norm <= 1e-6
    assert r.iterations >= 1 and r.evaluations >= r.iterations
    assert set(r.params) == {"w", "b"}
    assert r.objective == pytest.approx(log_likelihood(X, y, 0.1, r.params["w"], r.params["b"]), rel=1e-12)
    np.testing.assert_array_equal(np.concatenate([r.params["w"], [r.params["b"]]]), r.x)
    assert r["objective"] == r.objective and r.criterion == "gradient_norm" and "gradient norm" in r.message
    assert r.active_bounds == ["free"] * 4
    # The same optimum as scipy's L-BFGS-B on the negative log-likelihood.
    f, x0 = model.flat()
    s = scipy.optimize.minimize(f, x0, jac=True, method="L-BFGS-B", options={"gtol": 1e-10, "ftol": 0})
    np.testing.assert_allclose(r.x, s.x, atol=1e-5)


def test_trace_has_one_row_per_iteration_in_the_models_sense(model):
    r = model.optimize()
    t = r.trace
    n = r.iterations + 1
    for name in ("iteration", "objective", "gradient_norm", "step", "evaluations"):
        assert isinstance(t[name], np.ndarray) and t[name].shape == (n,)
    np.testing.assert_array_equal(t.iteration, np.arange(n))
    assert t.objective[0] == pytest.approx(model.value(model.initial))
    assert t.objective[-1] == pytest.approx(r.objective)
    assert np.all(np.diff(t.objective) >= -1e-9)  # ascent: never worse
    assert t.gradient_norm[-1] == pytest.approx(r.gradient_norm)
    assert t.x.shape == (n, 4)
    np.testing.assert_array_equal(t.x[0], np.zeros(4))
    np.testing.assert_array_equal(t.x[-1], r.x)
    np.testing.assert_allclose(t.step[1:], np.abs(np.diff(t.x, axis=0)).max(axis=1))
    assert t.evaluations[-1] == r.evaluations
    assert model.optimize(trace=False).trace is None


def test_optimize_methods_max_iter_tol_and_start(model):
    lbfgs = model.optimize()
    for method, step in (("gd", None), ("gd", 0.001), ("momentum", 0.001), ("adam", 0.05)):
        r = model.optimize(method=method, step_size=step, max_iter=20000, tol=1e-4)
        assert r.converged, (method, r.message)
        assert r.objective == pytest.approx(lbfgs.objective, abs=1e-5)
    short = model.optimize(method="gd", max_iter=2, tol=0.0)
    assert short.status == "max_iterations" and short.iterations == 2 and not short.converged
    assert model.optimize(method="gd", max_iter=np.int64(2), tol=0.0).iterations == 2  # NumPy integers too
    loose = model.optimize(tol=1e-2)
    assert loose.converged and loose.gradient_norm <= 1e-2 and loose.iterations <= lbfgs.iterations
    at_optimum = model.optimize(start=lbfgs.params)
    assert at_optimum.converged and at_optimum.iterations <= 1
    flat_start = model.optimize(start=lbfgs.x)
    assert flat_start.iterations <= 1


def test_flat_is_the_minimize_sense_and_plugs_into_scipy(model, data):
    X, y = data
    f, x0 = model.flat()
    np.testing.assert_array_equal(x0, np.zeros(4))
    x = np.array([0.3, -0.2, 0.1, 0.5])
    v, g = f(x)
    assert v == pytest.approx(-log_likelihood(X, y, 0.1, x[:3], x[3]), rel=1e-12)
    gw, gb = log_likelihood_gradient(X, y, 0.1, x[:3], x[3])
    np.testing.assert_allclose(g, -np.concatenate([gw, [gb]]), rtol=1e-10)
    assert scipy.optimize.check_grad(lambda z: f(z)[0], lambda z: f(z)[1], x) < 1e-5
    s = scipy.optimize.minimize(f, x0, jac=True)
    assert s.success
    # A minimize model is not negated.
    rosen = slope.Model.load(MODELS / "rosenbrock.slope")
    fr, xr = rosen.flat()
    np.testing.assert_array_equal(xr, [-1.2, 1.0])
    assert fr(xr)[0] == pytest.approx(rosen.value(rosen.initial))


def test_unflatten_inverts_flat_order():
    m = slope.Model("param a = 1\nparam W[2, 2] = 0\nparam v[3] = 2\nminimize a^2 + sum(W .* W) + dot(v, v)")
    p = m.unflatten(np.arange(8.0))
    assert list(p) == ["a", "W", "v"]
    assert p["a"] == 0.0
    np.testing.assert_array_equal(p["W"], [[1, 2], [3, 4]])
    np.testing.assert_array_equal(p["v"], [5, 6, 7])
    f, _ = m.flat()
    assert f(np.arange(8.0))[0] == m.value(p)


def test_maximize_model_is_minimize_of_its_negation(data):
    X, y = data
    up = slope.Model(LOGISTIC, data={"X": X, "y": y}, consts={"lambda": 0.1})
    down_text = LOGISTIC.replace("maximize sum(", "minimize -sum(").replace(") - lambda * dot", ") + lambda * dot")
    down = slope.Model(down_text, data={"X": X, "y": y}, consts={"lambda": 0.1})
    assert down.sense == "minimize"
    a, d = up.optimize(), down.optimize()
    np.testing.assert_allclose(a.x, d.x, rtol=1e-12, atol=1e-12)
    assert a.objective == pytest.approx(-d.objective, rel=1e-12)
    assert a.iterations == d.iterations


def test_consts_change_the_objective(data):
    X, y = data
    p = {"w": np.ones(3), "b": 0.0}
    m0 = slope.Model(LOGISTIC, data={"X": X, "y": y}, consts={"lambda": 0})
    m1 = slope.Model(LOGISTIC, data={"X": X, "y": y}, consts={"lambda": np.float64(1.0)})
    assert m0.value(p) - m1.value(p) == pytest.approx(3.0)
    default = slope.Model(LOGISTIC, data={"X": X, "y": y})
    assert default.value(p) == pytest.approx(m0.value(p) - 0.01 * 3.0)


def test_least_squares_matches_numpy_lstsq():
    rng = np.random.default_rng(3)
    x = rng.normal(size=50)
    y = 2.5 * x - 1.0 + 0.1 * rng.normal(size=50)
    m = slope.Model.load(MODELS / "least_squares.slope", data={"x": x, "y": y})
    r = m.optimize(tol=1e-9)
    expected = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)[0]
    assert [r.params["slope"], r.params["intercept"]] == pytest.approx(expected, rel=1e-8)


def test_threads_split_the_rows_and_keep_every_bit():
    X, y = logistic_data(20000, 5, seed=7)
    m = slope.Model(LOGISTIC, data={"X": X, "y": y}, consts={"lambda": 0.1})
    assert m.threads == (os.cpu_count() or 1)  # one per core by default
    m.threads = 1
    assert m.threads == 1
    p = {"w": np.linspace(-0.3, 0.4, 5), "b": 0.2}
    v1, g1 = m.value_and_gradient(p)
    r1 = m.optimize(tol=1e-9)
    m.threads = 2
    assert m.threads == 2
    v2, g2 = m.value_and_gradient(p)
    r2 = m.optimize(tol=1e-9)
    assert v2 == v1
    np.testing.assert_array_equal(g2["w"], g1["w"])
    assert r2.objective == r1.objective and r2.iterations == r1.iterations
    m.threads = 0  # one per core
    assert m.threads >= 1
    with pytest.raises(ValueError, match="threads"):
        m.threads = -1


def test_bounds_in_the_model_give_scipys_non_negative_least_squares():
    rng = np.random.default_rng(11)
    A = rng.normal(size=(40, 6))
    b = A @ np.array([1.0, -2.0, 0.5, -0.3, 2.0, 0.0]) + 0.1 * rng.normal(size=40)
    m = slope.Model("data A[n, d]\ndata b[n]\nparam x[d] >= 0 = 1\nminimize sum((A * x - b) .^ 2)",
                    data={"A": A, "b": b})
    r = m.optimize(tol=1e-10)
    want, _ = scipy.optimize.nnls(A, b)
    assert r.converged
    np.testing.assert_allclose(r.params["x"], want, atol=1e-8)
    zeros = want == 0.0
    assert zeros.any()
    assert (r.params["x"][zeros] == 0.0).all()  # exact zeros, at the bound
    with pytest.raises(ValueError, match=r"start: x\[2\] = -1 is outside its bounds \[0, inf\)$"):
        m.optimize(start={"x": [1, -1, 1, 1, 1, 1]})


def test_a_start_outside_strict_bounds_names_them_as_written():
    # `sigma > 0` keeps the closest double above 0 as the optimizer's bound; the message shows (0, inf).
    m = slope.Model("param mu = 0\nparam sigma > 0 = 1\nparam p in [0, 1] = 0.5\n"
                    "minimize square(mu - 1) + square(sigma - 2) + square(p - 0.25)")
    with pytest.raises(ValueError, match=r"start: sigma = 0 is outside its bounds \(0, inf\)$"):
        m.optimize(start={"mu": 0, "sigma": 0, "p": 0.5})
    with pytest.raises(ValueError, match=r"start: p = 2 is outside its bounds \[0, 1\]$"):
        m.optimize(start={"mu": 0, "sigma": 1, "p": 2})
    with pytest.raises(ValueError, match=r"start: mu = nan is outside its bounds \(-inf, inf\)$"):
        m.optimize(start={"mu": float("nan"), "sigma": 1, "p": 0.5})
    r = m.optimize(start={"mu": 0, "sigma": 1, "p": 0.5})
    assert r.converged
    np.testing.assert_allclose([r.params["mu"], r.params["sigma"], r.params["p"]], [1, 2, 0.25], atol=1e-6)
