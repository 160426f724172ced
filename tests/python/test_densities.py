"""The log densities of the language against scipy.stats (values) and finite differences
(gradients), at several points, with data vectors and broadcast scalar parameters."""

import numpy as np
import pytest
import scipy.special
import scipy.stats as st

import slope

RNG = np.random.default_rng(5)
N = 7
POSITIVE = RNG.uniform(0.3, 3.0, N)
UNIT = RNG.uniform(0.05, 0.95, N)
REAL = RNG.normal(size=N)
COUNTS = RNG.integers(0, 9, N).astype(float)
BINARY = (RNG.random(N) < 0.5).astype(float)
TRIALS = COUNTS + RNG.integers(0, 5, N)


def nb2_log(n, eta, phi):
    mu = np.exp(eta)
    return st.nbinom.logpmf(n, phi, phi / (mu + phi))


# name, data y, params (name, initial value, bounds), scipy's log density of (y, *params)
CASES = [
    ("normal_lpdf", REAL, [("mu", 0.3, ""), ("sigma", 1.7, " > 0")],
     lambda y, mu, s: st.norm.logpdf(y, mu, s)),
    ("student_t_lpdf", REAL, [("nu", 3.5, " > 0"), ("mu", -0.2, ""), ("sigma", 0.8, " > 0")],
     lambda y, nu, mu, s: st.t.logpdf(y, nu, mu, s)),
    ("cauchy_lpdf", REAL, [("mu", 0.1, ""), ("sigma", 1.3, " > 0")],
     lambda y, mu, s: st.cauchy.logpdf(y, mu, s)),
    ("exponential_lpdf", POSITIVE, [("beta", 0.7, " > 0")],
     lambda y, b: st.expon.logpdf(y, scale=1 / b)),
    ("gamma_lpdf", POSITIVE, [("alpha", 2.2, " > 0"), ("beta", 1.4, " > 0")],
     lambda y, a, b: st.gamma.logpdf(y, a, scale=1 / b)),
    ("beta_lpdf", UNIT, [("a", 1.8, " > 0"), ("b", 2.6, " > 0")],
     lambda y, a, b: st.beta.logpdf(y, a, b)),
    ("lognormal_lpdf", POSITIVE, [("mu", 0.2, ""), ("sigma", 0.9, " > 0")],
     lambda y, mu, s: st.lognorm.logpdf(y, s, scale=np.exp(mu))),
    ("bernoulli_logit_lpmf", BINARY, [("alpha", 0.4, "")],
     lambda n, a: st.bernoulli.logpmf(n, scipy.special.expit(a))),
    ("poisson_log_lpmf", COUNTS, [("alpha", 1.1, "")],
     lambda n, a: st.poisson.logpmf(n, np.exp(a))),
    ("neg_binomial_2_log_lpmf", COUNTS, [("eta", 1.2, ""), ("phi", 2.5, " > 0")], nb2_log),
]


def model_text(name, params, with_bar):
    lines = ["data y[n]"] + [f"param {p}{bounds} = {v}" for p, v, bounds in params]
    args = ", ".join(p for p, _, _ in params)
    lines.append(f"maximize {name}(y {'|' if with_bar else ','} {args})")
    return "\n".join(lines)


@pytest.mark.parametrize("name,y,params,reference", CASES, ids=[c[0] for c in CASES])
def test_value_and_gradient(name, y, params, reference):
    m = slope.Model(model_text(name, params, with_bar=True), data={"y": y})
    assert slope.Model(model_text(name, params, with_bar=False), data={"y": y}).value(m.initial) == m.value(m.initial)
    for shift in (0.0, 0.15, -0.1):
        p = {k: v + (shift if k in ("mu", "alpha", "eta") else abs(shift)) for k, v, _ in params}
        expected = np.sum(reference(y, *p.values()))
        value, grad = m.value_and_gradient(p)
        assert value == pytest.approx(expected, rel=1e-12, abs=1e-12)
        for k in p:
            h = 1e-6 * max(1.0, abs(p[k]))
            up = np.sum(reference(y, *[v + h if q == k else v for q, v in p.items()]))
            down = np.sum(reference(y, *[v - h if q == k else v for q, v in p.items()]))
            assert grad[k] == pytest.approx((up - down) / (2 * h), rel=1e-6, abs=1e-6), k


def test_binomial_logit_with_a_vector_of_trials():
    m = slope.Model("data n[k]\ndata N[k]\nparam alpha = 0.3\nmaximize binomial_logit_lpmf(n | N, alpha)",
                    data={"n": COUNTS, "N": TRIALS})
    for alpha in (0.3, -1.2, 2.0):
        expected = np.sum(st.binom.logpmf(COUNTS, TRIALS, scipy.special.expit(alpha)))
        value, grad = m.value_and_gradient({"alpha": alpha})
        assert value == pytest.approx(expected, rel=1e-12)
        h = 1e-6
        fd = (np.sum(st.binom.logpmf(COUNTS, TRIALS, scipy.special.expit(alpha + h))) -
              np.sum(st.binom.logpmf(COUNTS, TRIALS, scipy.special.expit(alpha - h)))) / (2 * h)
        assert grad["alpha"] == pytest.approx(fd, rel=1e-6)


def test_stable_far_in_the_tails():
    # bernoulli_logit at alpha = 800 and neg_binomial_2_log at eta = 700: no overflow.
    m = slope.Model("data n[k]\nparam a = 800\nmaximize bernoulli_logit_lpmf(n | a)", data={"n": [0.0, 1.0]})
    value, grad = m.value_and_gradient({"a": 800.0})
    assert value == pytest.approx(-800.0) and grad["a"] == pytest.approx(-1.0)
    m = slope.Model("data n[k]\nparam eta = 700\nmaximize neg_binomial_2_log_lpmf(n | eta, 3)", data={"n": [2.0]})
    value, grad = m.value_and_gradient({"eta": 700.0})
    assert np.isfinite(value) and np.isfinite(grad["eta"])


def test_shapes_must_agree_and_arity_is_checked():
    with pytest.raises(slope.ModelError, match="scalars or of one shape"):
        slope.Model("data y[n]\ndata z[m]\nparam s > 0 = 1\nmaximize normal_lpdf(y | z, s)",
                    data={"y": [1.0, 2.0], "z": [1.0, 2.0, 3.0]}).value({})
    with pytest.raises(slope.ModelError, match="takes 3 arguments"):
        slope.Model("param s > 0 = 1\nmaximize normal_lpdf(1 | s)").value({})
