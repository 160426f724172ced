"""Logistic regression on scikit-learn's breast-cancer data, fitted two ways with slope and
compared with scikit-learn.

The 569 x 30 features are standardized. One model maximizes the penalized log-likelihood by
gradient ascent (its L-BFGS runs on the negation), the other minimizes the penalized negative
log-likelihood: the same weights. scikit-learn's LogisticRegression minimizes
C * NLL + |w|^2 / 2, the same optimum as NLL + lambda |w|^2 when C = 1 / (2 lambda).

    python3 examples/python/logistic_regression.py
"""

import argparse
import time

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression

import slope

ASCENT = """
data X[n, d]
data y[n]
const lambda = 0.5
param w[d] = 0
param b = 0
let z = X * w + b
maximize sum(y .* log_sigmoid(z) + (1 - y) .* log_sigmoid(-z)) - lambda * dot(w, w)
"""
DESCENT = """
data X[n, d]
data y[n]
const lambda = 0.5
param w[d] = 0
param b = 0
let z = X * w + b
minimize sum(softplus(z) - y .* z) + lambda * dot(w, w)
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lambda", dest="lam", type=float, default=0.5, help="ridge penalty (default 0.5)")
    args = parser.parse_args()

    cancer = load_breast_cancer()
    X = (cancer.data - cancer.data.mean(axis=0)) / cancer.data.std(axis=0)  # float64, C order: not copied
    y = cancer.target.astype(float)
    data, consts = {"X": X, "y": y}, {"lambda": args.lam}

    ascent = slope.Model(ASCENT, data=data, consts=consts, file="ascent.slope")
    descent = slope.Model(DESCENT, data=data, consts=consts, file="descent.slope")
    start = time.perf_counter()
    up = ascent.optimize(tol=1e-8)
    mid = time.perf_counter()
    down = descent.optimize(tol=1e-8)
    end = time.perf_counter()

    sk = LogisticRegression(C=1.0 / (2.0 * args.lam), tol=1e-10, max_iter=10000).fit(X, y)
    sk_w, sk_b = sk.coef_.ravel(), float(sk.intercept_[0])

    print(f"{X.shape[0]} examples, {X.shape[1]} standardized features, lambda = {args.lam} (sklearn C = {sk.C})")
    print(f"ascent on the log-likelihood:  {up.status}, {up.iterations} iterations, "
          f"log-likelihood {up.objective:.8f}, {1e3 * (mid - start):.1f} ms")
    print(f"descent on its negative:       {down.status}, {down.iterations} iterations, "
          f"-log-likelihood {down.objective:.8f}, {1e3 * (end - mid):.1f} ms")
    print(f"{'feature':<24} {'ascent':>10} {'descent':>10} {'sklearn':>10}")
    names = list(cancer.feature_names) + ["(intercept)"]
    w_up = np.append(up.params["w"], up.params["b"])
    w_down = np.append(down.params["w"], down.params["b"])
    w_sk = np.append(sk_w, sk_b)
    for name, a, d, s in zip(names, w_up, w_down, w_sk):
        print(f"{name:<24} {a:>10.5f} {d:>10.5f} {s:>10.5f}")
    accuracy = np.mean(((X @ up.params["w"] + up.params["b"]) > 0) == (y == 1))
    print(f"training accuracy {accuracy:.4f} (sklearn {sk.score(X, y):.4f})")
    ascent_vs_descent = np.max(np.abs(w_up - w_down))
    slope_vs_sklearn = np.max(np.abs(w_up - w_sk))
    print(f"max |ascent - descent| = {ascent_vs_descent:.2e}, max |slope - sklearn| = {slope_vs_sklearn:.2e}")
    # scikit-learn's L-BFGS also stops on a relative objective change, so it stops a little short:
    # compare the penalized objective at both optima.
    at_sklearn = ascent.value({"w": sk_w, "b": sk_b})
    print(f"penalized log-likelihood: slope {up.objective:.10f}, at sklearn's weights {at_sklearn:.10f}")

    assert up.converged and down.converged
    assert ascent_vs_descent < 1e-6, "ascent and descent must find the same weights"
    assert slope_vs_sklearn < 1e-3, "slope and scikit-learn must agree at the same penalty"
    assert up.objective >= at_sklearn - 1e-9, "slope's optimum must be at least as good as scikit-learn's"


if __name__ == "__main__":
    main()
