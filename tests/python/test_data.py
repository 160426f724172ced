"""Data from NumPy: float64 C-order arrays are referenced, not copied; everything else is
converted once; shapes are checked with the messages CSV data gets."""

import gc
import sys
import weakref

import numpy as np
import pytest

import slope
from conftest import LOGISTIC, logistic_data


def test_float64_c_order_arrays_are_referenced_not_copied():
    X, y = logistic_data()
    before = sys.getrefcount(X)
    m = slope.Model(LOGISTIC, data={"X": X, "y": y})
    assert sys.getrefcount(X) == before + 1  # the model holds the array itself
    p = {"w": np.ones(3), "b": 0.0}
    v = m.value(p)
    X[0, 0] += 1.0  # the model reads the caller's memory (do not do this while using a model)
    assert m.value(p) != v
    X[0, 0] -= 1.0
    assert m.value(p) == v


def test_the_model_keeps_its_arrays_alive():
    X, y = logistic_data()
    expected = slope.Model(LOGISTIC, data={"X": X.copy(), "y": y.copy()}).optimize()
    ref = weakref.ref(X)
    m = slope.Model(LOGISTIC, data={"X": X, "y": y})
    del X, y
    gc.collect()
    assert ref() is not None
    r = m.optimize()
    np.testing.assert_array_equal(r.x, expected.x)
    del m, r
    gc.collect()
    assert ref() is None


@pytest.mark.parametrize("convert", [
    lambda X: np.asfortranarray(X),
    lambda X: X.tolist(),
    lambda X: X[::1, :],
])
def test_other_layouts_and_types_are_converted(convert):
    X, y = logistic_data()
    m = slope.Model(LOGISTIC, data={"X": X, "y": y})
    other = slope.Model(LOGISTIC, data={"X": convert(X), "y": y})
    p = {"w": np.array([0.5, -1.0, 2.0]), "b": 0.1}
    assert other.value(p) == m.value(p)


def test_non_contiguous_and_integer_arrays_are_copied_once():
    X, y = logistic_data(n=400)
    every_other = X[::2]
    ref_y = y[::2].astype(np.int64)
    m = slope.Model(LOGISTIC, data={"X": every_other, "y": ref_y})
    expected = slope.Model(LOGISTIC, data={"X": np.ascontiguousarray(every_other), "y": y[::2].copy()})
    p = {"w": np.array([0.5, -1.0, 2.0]), "b": 0.1}
    assert m.value(p) == expected.value(p)
    every_other[0, 0] += 1.0  # a converted copy does not see later changes
    assert m.value(p) == expected.value(p)


def test_float32_data_is_converted():
    X, y = logistic_data()
    m32 = slope.Model(LOGISTIC, data={"X": X.astype(np.float32), "y": y.astype(np.float32)})
    m64 = slope.Model(LOGISTIC, data={"X": X.astype(np.float32).astype(np.float64),
                                     "y": y.astype(np.float32).astype(np.float64)})
    assert m32.value(m32.initial) == m64.value(m64.initial)


def test_scalar_and_vector_data():
    m = slope.Model("data c\ndata v[3]\nparam x = 0\nminimize (x - c)^2 + dot(v, v) * x^2",
                    data={"c": 2.0, "v": [1, 0, 0]})
    r = m.optimize()
    assert r.params["x"] == pytest.approx(1.0)
    column = slope.Model("data v[3]\nparam x = 0\nminimize (x - sum(v))^2", data={"v": np.ones((3, 1))})
    assert column.optimize().params["x"] == pytest.approx(3.0)


def test_big_data_is_referenced_and_agrees_with_numpy():
    # Over 2^20 numbers (the size where the model once switched to recording at every call): the
    # replay references the array, and its gradient is NumPy's.
    X, y = logistic_data(n=22000, d=50, seed=5)
    m = slope.Model(LOGISTIC, data={"X": X, "y": y})
    w = np.linspace(-0.1, 0.1, 50)
    v, g = m.value_and_gradient({"w": w, "b": 0.2})
    z = X @ w + 0.2
    r = y - 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(g["w"], X.T @ r - 2 * 0.01 * w, rtol=1e-9, atol=1e-9)
    X[0, 0] += 1.0  # no copy anywhere: the replay reads the caller's array
    v2, g2 = m.value_and_gradient({"w": w, "b": 0.2})
    assert v2 != v and g2["w"][0] != g["w"][0]
