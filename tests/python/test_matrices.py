"""Matrices in the language, from Python: softmax regression (the example model) against
scikit-learn's multinomial LogisticRegression and against a NumPy gradient; the two-layer
network and the matrix operations against NumPy; labels that are not integers."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

import slope

from conftest import MODELS

SOFTMAX = (MODELS / "softmax_regression.slope").read_text()
NETWORK = (MODELS / "two_layer_network.slope").read_text()


def softmax_data(n=400, d=4, k=3, seed=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    W = rng.normal(size=(d, k))
    Z = X @ W
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    y = np.array([rng.choice(k, p=p) for p in P]) + 1.0  # labels 1..k
    return X, y


def numpy_objective(X, y, lam, W, b):
    Z = X @ W + b
    LP = Z - np.logaddexp.reduce(Z, axis=1, keepdims=True)
    labels = y.astype(int) - 1
    value = LP[np.arange(len(y)), labels].sum() - lam * np.sum(W * W)
    onehot = np.zeros_like(Z)
    onehot[np.arange(len(y)), labels] = 1.0
    residual = onehot - np.exp(LP)
    return value, X.T @ residual - 2 * lam * W, residual.sum(axis=0)


def test_softmax_regression_value_and_gradient_match_numpy():
    X, y = softmax_data()
    lam = 0.05
    m = slope.Model(SOFTMAX, data={"X": X, "y": y}, consts={"lambda": lam})
    rng = np.random.default_rng(1)
    for _ in range(3):  # the first call records, the others replay
        W, b = rng.normal(size=(4, 3)), rng.normal(size=3)
        value, grad = m.value_and_gradient({"W": W, "b": b})
        expected, gW, gb = numpy_objective(X, y, lam, W, b)
        assert value == pytest.approx(expected, rel=1e-12)
        np.testing.assert_allclose(grad["W"], gW, rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(grad["b"], gb, rtol=1e-10, atol=1e-10)


def test_softmax_regression_fits_what_scikit_learn_fits():
    X, y = softmax_data()
    lam = 0.05  # sklearn minimizes sum log-loss + |W|^2 / (2 C): C = 1 / (2 lam)
    m = slope.Model(SOFTMAX, data={"X": X, "y": y}, consts={"lambda": lam})
    r = m.optimize(tol=1e-9)
    assert r.converged and r.sense == "maximize"
    ref = LogisticRegression(C=1 / (2 * lam), tol=1e-12, max_iter=10000)  # multinomial for 3 classes
    ref.fit(X, y.astype(int))
    # sklearn stops earlier (its lbfgs tests a scaled gradient): agreement to 1e-4, and our
    # optimum has the smaller gradient of the NumPy objective
    np.testing.assert_allclose(r.params["W"], ref.coef_.T, rtol=1e-4, atol=1e-5)
    # the intercepts are unpenalized and softmax ignores a common shift: compare differences
    b = r.params["b"]
    np.testing.assert_allclose(b - b.mean(), ref.intercept_ - ref.intercept_.mean(), rtol=1e-4, atol=1e-5)
    _, gW, gb = numpy_objective(X, y, lam, r.params["W"], b)
    _, rW, rb = numpy_objective(X, y, lam, ref.coef_.T, ref.intercept_)
    ours = max(np.abs(gW).max(), np.abs(gb).max())
    assert ours <= 1e-8
    assert ours <= max(np.abs(rW).max(), np.abs(rb).max())


def test_two_layer_network_matches_numpy():
    rng = np.random.default_rng(2)
    X = rng.uniform(-2, 2, size=(50, 2))
    y = np.sin(X[:, 0]) * np.cos(X[:, 1])
    m = slope.Model(NETWORK, data={"X": X, "y": y})
    p = {"W1": rng.normal(size=(2, 8)), "b1": rng.normal(size=8), "w2": rng.normal(size=8), "c": 0.3}
    H = np.tanh(X @ p["W1"] + p["b1"])
    r = H @ p["w2"] + p["c"] - y
    decay = 0.0001
    expected = np.mean(r * r) + decay * (np.sum(p["W1"] ** 2) + np.sum(p["w2"] ** 2))
    value, g = m.value_and_gradient(p)
    assert value == pytest.approx(expected, rel=1e-12)
    dr = 2 * r / len(y)
    dH = np.outer(dr, p["w2"]) * (1 - H * H)
    np.testing.assert_allclose(g["w2"], H.T @ dr + 2 * decay * p["w2"], rtol=1e-10)
    np.testing.assert_allclose(g["W1"], X.T @ dH + 2 * decay * p["W1"], rtol=1e-10)
    np.testing.assert_allclose(g["b1"], dH.sum(axis=0), rtol=1e-10)
    assert g["c"] == pytest.approx(dr.sum(), rel=1e-10)


@pytest.mark.parametrize(
    "expression, numpy",
    [
        ("sum((A * B) .^ 2)", lambda A, B, v, X: np.sum((A @ B) ** 2)),
        ("sum(A' .* B)", lambda A, B, v, X: np.sum(A.T * B)),
        ("sum(exp(A + v))", lambda A, B, v, X: np.sum(np.exp(A + v))),
        ("sum(col_means(A) .* v)", lambda A, B, v, X: A.mean(axis=0) @ v),
        ("sum(row_sums(B) .^ 3)", lambda A, B, v, X: np.sum(B.sum(axis=1) ** 3)),
        ("sum(softmax(A) .* A)", lambda A, B, v, X: np.sum(A * np.exp(A - np.logaddexp.reduce(A, axis=1, keepdims=True)))),
        ("sum((X' * (X * v)) .^ 2)", lambda A, B, v, X: np.sum((X.T @ (X @ v)) ** 2)),
        ("sum(X[2:4, :] * B[:, 1]) + sum(A[:, 2])", lambda A, B, v, X: np.sum(X[1:4] @ B[:, 0]) + A[:, 1].sum()),
    ],
)
def test_matrix_operations_match_numpy(expression, numpy):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(6, 3))
    m = slope.Model("data X[n, d]\nparam A[2, 3] = 0\nparam B[3, 2] = 0\nparam v[3] = 0\nminimize " + expression,
                    data={"X": X})
    p = {"A": rng.normal(size=(2, 3)), "B": rng.normal(size=(3, 2)), "v": rng.normal(size=3)}
    assert m.value(p) == pytest.approx(numpy(p["A"], p["B"], p["v"], X), rel=1e-12)
    f, _ = m.flat()
    x = np.concatenate([p["A"].ravel(), p["B"].ravel(), p["v"]])
    _, g = f(x)
    h = 1e-6
    fd = np.array([(f(x + h * e)[0] - f(x - h * e)[0]) / (2 * h) for e in np.eye(len(x))])
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-6)


def test_a_label_that_is_not_an_integer_is_an_error_naming_the_row_and_value():
    X, y = softmax_data(n=20)
    y[6] = 1.5
    m = slope.Model(SOFTMAX, data={"X": X, "y": y})
    with pytest.raises(slope.Error, match=r"row 7 of data 'y' .* is 1.5, which cannot be an index"):
        m.value_and_gradient(m.initial)
