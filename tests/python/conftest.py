"""Shared data and models for the tests of the `slope` Python package (run by CTest, which puts the
build tree's python/ on PYTHONPATH; or by hand: PYTHONPATH=build/py/python python3 -m pytest tests/python)."""

import pathlib

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
MODELS = REPO / "examples" / "models"

LOGISTIC = (MODELS / "logistic.slope").read_text()


def logistic_data(n=200, d=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w = rng.normal(size=d)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(X @ w + 0.3)))).astype(float)
    return X, y


def log_likelihood(X, y, lam, w, b):
    """The logistic model's objective in NumPy: sum of y log s(z) + (1 - y) log s(-z) - lam |w|^2."""
    z = X @ w + b
    return float(np.sum(y * -np.logaddexp(0.0, -z) + (1 - y) * -np.logaddexp(0.0, z)) - lam * w @ w)


def log_likelihood_gradient(X, y, lam, w, b):
    z = X @ w + b
    r = y - 1.0 / (1.0 + np.exp(-z))
    return X.T @ r - 2.0 * lam * w, float(np.sum(r))


@pytest.fixture
def data():
    return logistic_data()


@pytest.fixture
def model(data):
    import slope

    X, y = data
    return slope.Model(LOGISTIC, data={"X": X, "y": y}, consts={"lambda": 0.1}, file="logistic.slope")
