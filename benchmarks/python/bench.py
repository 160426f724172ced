"""The Python binding's costs, two figures (issue 14):

1. m.value_and_gradient(p) per call on a 3-param model, over the same call from C++
   (slope::lang::Model::value_and_gradient, timed by slope_python_bench_model_call): the overhead
   of the binding (target <= 3).
2. m.optimize() on a seeded 200,000 x 50 ridge logistic regression bound from NumPy arrays, fit
   only, over scipy.optimize.minimize(method="L-BFGS-B") with a NumPy gradient (target <= 0.3) and
   over scikit-learn's LogisticRegression(solver="lbfgs") (target <= 0.5), at the same penalty
   (sklearn's C = 1 / (2 lambda)) and the same tolerance (max_i |g_i| <= tol: slope's tol,
   scipy's and sklearn's gtol; scipy also with its default ftol, which sklearn keeps and which
   stops both earlier). All three minimize the same formula,
   sum(softplus(z) - y z) + lambda |w|^2 with z = X w + b (slope maximizes its negation).

Each figure is the best of --repeat timings; each run prints its own ratios; --runs 2 by default.
--threads N fits with m.threads = N (default 0: one per core, as a Model starts; NumPy's
reference BLAS and scikit-learn's loss use one thread here, so the report also gives --threads 1).
--smoke runs everything at toy sizes in seconds (CTest), with meaningless timings.

    PYTHONPATH=build/py/python /usr/bin/python3 benchmarks/python/bench.py \\
        --driver build/py/python/slope_python_bench_model_call
"""

import argparse
import os
import pathlib
import platform
import subprocess
import time
import timeit

import numpy as np
import scipy
import scipy.optimize
import sklearn
from sklearn.linear_model import LogisticRegression

import slope

SMALL = """
param x = 1.5
param y = 0.5
param z = -0.5
minimize 100 * (y - x^2)^2 + (1 - x)^2 + 100 * (z - y^2)^2 + (1 - y)^2
"""
POINT = {"x": 1.5, "y": 0.5, "z": -0.5}

LOGISTIC = """
data X[n, d]
data y[n]
const lambda = 1
param w[d] = 0
param b = 0
let z = X * w + b
maximize dot(y, z) - sum(softplus(z)) - lambda * dot(w, w)
"""


def find_driver(given):
    if given:
        return pathlib.Path(given)
    root = pathlib.Path(__file__).resolve().parents[2]
    for build in ("build/py", "build/python", "build/test", "build"):
        path = root / build / "python" / "slope_python_bench_model_call"
        if path.exists():
            return path
    raise SystemExit("slope_python_bench_model_call not found: build it (cmake --build BUILD --target "
                     "slope_python_bench_model_call) and pass --driver")


def call_overhead(driver, calls, repeat):
    m = slope.Model(SMALL)
    value, _ = m.value_and_gradient(POINT)
    python_ns = min(timeit.repeat(lambda: m.value_and_gradient(POINT), number=calls, repeat=repeat,
                                   timer=time.process_time)) / calls * 1e9
    out = subprocess.run([str(driver), "--calls", str(calls), "--repeat", str(repeat),
                          *(str(POINT[k]) for k in ("x", "y", "z"))],
                         input=SMALL, capture_output=True, text=True, check=True).stdout.split()
    cpp_ns, cpp_value = float(out[0]), float(out[1])
    assert cpp_value == value, (cpp_value, value)
    return python_ns, cpp_ns


def logistic_data(n, d, seed=2024):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w = rng.normal(scale=0.5, size=d)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(X @ w - 0.3)))).astype(np.float64)
    return X, y


def numpy_objective(X, y, lam):
    def f(theta):
        w, b = theta[:-1], theta[-1]
        z = X @ w + b
        value = np.sum(np.logaddexp(0.0, z) - y * z) + lam * (w @ w)
        r = 0.5 * (1.0 + np.tanh(0.5 * z)) - y  # sigmoid(z) - y, without overflow
        grad = np.empty_like(theta)
        grad[:-1] = X.T @ r + 2.0 * lam * w
        grad[-1] = r.sum()
        return value, grad
    return f


def best_of(repeat, fit):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fit()
        times.append(time.perf_counter() - start)
    return min(times), result


def fits(n, d, lam, tol, repeat, threads):
    X, y = logistic_data(n, d)
    m = slope.Model(LOGISTIC, data={"X": X, "y": y}, consts={"lambda": lam})
    m.threads = threads
    f = numpy_objective(X, y, lam)
    x0 = np.zeros(d + 1)

    # Interleaved, so that a change in the machine's load touches every fit alike.
    fit = {
        "slope": lambda: m.optimize(tol=tol),
        # scipy's L-BFGS-B also stops when the objective's relative decrease falls below ftol
        # (2.2e-9 by default), usually well before max|g| <= gtol; ftol=0 leaves gtol alone, as slope has.
        "scipy": lambda: scipy.optimize.minimize(f, x0, jac=True, method="L-BFGS-B",
                                                 options={"gtol": tol, "ftol": 0.0, "maxiter": 1000}),
        "scipy_ftol": lambda: scipy.optimize.minimize(f, x0, jac=True, method="L-BFGS-B",
                                                      options={"gtol": tol, "maxiter": 1000}),
        "sklearn": lambda: LogisticRegression(C=1.0 / (2.0 * lam), tol=tol, solver="lbfgs", max_iter=1000).fit(X, y),
    }
    best, out = {name: float("inf") for name in fit}, {}
    for _ in range(repeat):
        for name, run in fit.items():
            seconds, out[name] = best_of(1, run)
            best[name] = min(best[name], seconds)
    t_slope, t_scipy, t_scipy_ftol, t_sk = best["slope"], best["scipy"], best["scipy_ftol"], best["sklearn"]
    r, s, s_ftol, k = out["slope"], out["scipy"], out["scipy_ftol"], out["sklearn"]

    theta_sk = np.append(k.coef_.ravel(), k.intercept_)
    rows = []
    for name, seconds, theta, iterations, evaluations in (
            ("slope m.optimize()", t_slope, r.x, r.iterations, r.evaluations),
            ("scipy L-BFGS-B + NumPy gradient", t_scipy, s.x, s.nit, s.nfev),
            ("  the same with scipy's default ftol", t_scipy_ftol, s_ftol.x, s_ftol.nit, s_ftol.nfev),
            ("sklearn LogisticRegression(lbfgs)", t_sk, theta_sk, int(k.n_iter_[0]), None)):  # its ftol is scipy's default
        value, grad = f(theta)
        rows.append((name, seconds, iterations, evaluations, value, np.max(np.abs(grad))))
    assert r.converged, r.message
    return rows


def main():
    parser = argparse.ArgumentParser(description="The Python binding's benchmark (issue 14).")
    parser.add_argument("--driver", help="path of slope_python_bench_model_call")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5, help="timings per figure; the best counts")
    parser.add_argument("--smoke", action="store_true", help="toy sizes, seconds, meaningless timings")
    parser.add_argument("--threads", type=int, default=0,
                        help="the fit model's m.threads (default 0: one per core, the model's default)")
    args = parser.parse_args()
    driver = find_driver(args.driver)
    n, d, calls = (2000, 10, 2000) if args.smoke else (200_000, 50, 200_000)
    lam, tol = 1.0, 1e-6

    print(f"Python {platform.python_version()}, NumPy {np.__version__}, SciPy {scipy.__version__}, "
          f"scikit-learn {sklearn.__version__}, {os.cpu_count()} cores; load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for run in range(1, args.runs + 1):
        print(f"\nrun {run}")
        python_ns, cpp_ns = call_overhead(driver, calls, args.repeat)
        print(f"  value_and_gradient, 3 params: Python {python_ns:.0f} ns/call, C++ {cpp_ns:.0f} ns/call, "
              f"ratio {python_ns / cpp_ns:.2f} (target <= 3)")
        rows = fits(n, d, lam, tol, args.repeat, args.threads)
        print(f"  logistic regression {n} x {d}, lambda {lam}, tol {tol:g}, slope on m.threads = {args.threads} "
              f"(fit only, best of {args.repeat}):")
        print(f"    {'':<36} {'seconds':>8} {'iters':>6} {'evals':>6} {'objective':>18} {'max|g|':>9}")
        for name, seconds, iterations, evaluations, value, gnorm in rows:
            print(f"    {name:<36} {seconds:>8.3f} {iterations:>6} {evaluations if evaluations else '-':>6} "
                  f"{value:>18.8f} {gnorm:>9.2e}")
        t_slope, t_scipy, t_scipy_ftol, t_sk = (row[1] for row in rows)
        print(f"  ratios: slope / scipy {t_slope / t_scipy:.2f} (target <= 0.3; "
              f"{t_slope / t_scipy_ftol:.2f} against scipy's default ftol), "
              f"slope / sklearn {t_slope / t_sk:.2f} (target <= 0.5)")


if __name__ == "__main__":
    main()
