"""Compares slope's bounded L-BFGS with scipy.optimize.nnls on seeded NNLS problems.

Usage: nnls_scipy.py PATH/TO/optim_nnls_json
Runs the executable, which prints the problems and slope's solutions as JSON, solves each
problem with scipy.optimize.nnls (Lawson & Hanson's active-set method) and checks that both
find the same zeros (exact zeros on both sides), the same free components and the same
objective. Exits 77 (CTest's "skipped") when NumPy or SciPy cannot be imported.
"""
import json
import subprocess
import sys

try:
    import numpy as np
    from scipy.optimize import nnls
except ImportError as e:  # the test is skipped, not failed, without SciPy
    print(f"skipped: {e}")
    sys.exit(77)


def main():
    out = subprocess.run([sys.argv[1]], check=True, capture_output=True, text=True).stdout
    failures = 0
    for p in json.loads(out)["problems"]:
        a, b, x = np.array(p["A"]), np.array(p["b"]), np.array(p["x"])
        reference, _ = nnls(a, b)
        scale = max(1.0, np.max(np.abs(reference)))
        problems = []
        if p["status"] != "converged":
            problems.append(f"slope's status is {p['status']}")
        if not np.array_equal(x == 0.0, reference == 0.0):
            problems.append(f"zeros differ: slope {np.flatnonzero(x == 0.0)}, scipy {np.flatnonzero(reference == 0.0)}")
        difference = np.max(np.abs(x - reference))
        if difference > 1e-8 * scale:
            problems.append(f"max |x - x_scipy| = {difference:.3g}")
        f, f_ref = 0.5 * np.sum((a @ x - b) ** 2), 0.5 * np.sum((a @ reference - b) ** 2)
        if f > f_ref + 1e-12 * max(1.0, f_ref):
            problems.append(f"objective {f!r} above scipy's {f_ref!r}")
        zeros = int(np.sum(reference == 0.0))
        print(f"seed {p['seed']}: {a.shape[0]}x{a.shape[1]}, {zeros} zeros, max |x - x_scipy| = {difference:.2g}"
              + ("" if not problems else "  FAILED: " + "; ".join(problems)))
        failures += bool(problems)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
