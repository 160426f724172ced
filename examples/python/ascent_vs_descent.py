"""Gradient ascent on f and gradient descent on -f take the same path.

f is the log-likelihood of a one-feature logistic regression, a function of its two params
(w, b). One model maximizes f; its twin minimizes -f. Both run gradient descent/ascent (method
"gd") from the same start, and slope's one engine makes them the same run: the same iterates,
bit for bit. The picture shows both paths over the contours of f, and the objective per
iteration (f climbing for ascent, -f falling for descent).

    python3 examples/python/ascent_vs_descent.py [--output-dir DIR]   # writes DIR/ascent_vs_descent.png
"""

import argparse
import pathlib

import matplotlib

matplotlib.use("Agg")  # files only, never a window
import matplotlib.pyplot as plt
import numpy as np

import slope

ASCENT = """
data x[n]
data y[n]
param w = -1
param b = 2
let z = w * x + b
maximize sum(y .* log_sigmoid(z) + (1 - y) .* log_sigmoid(-z))
"""
DESCENT = ASCENT.replace("maximize sum(", "minimize -sum(")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=pathlib.Path,
                        default=pathlib.Path(__file__).resolve().parents[2] / "docs")
    args = parser.parse_args()

    rng = np.random.default_rng(7)
    x = 1.5 + 0.8 * rng.normal(size=200)  # not centered: w and b trade off, a narrow ridge
    y = (rng.random(200) < 1 / (1 + np.exp(-(1.5 * x - 2.0)))).astype(float)
    data = {"x": x, "y": y}
    up = slope.Model(ASCENT, data=data, file="ascent.slope")
    down = slope.Model(DESCENT, data=data, file="descent.slope")

    options = dict(method="gd", step_size=0.01, max_iter=60, tol=1e-6)
    ascent = up.optimize(**options)
    descent = down.optimize(**options)
    path_up, path_down = ascent.trace.x, descent.trace.x
    assert np.array_equal(path_up, path_down), "ascent on f and descent on -f must take the same path"
    assert np.array_equal(ascent.trace.objective, -descent.trace.objective)
    print(f"ascent on f:   {ascent.status}, {ascent.iterations} iterations, f = {ascent.objective:.6f}, "
          f"(w, b) = ({ascent.params['w']:.6f}, {ascent.params['b']:.6f})")
    print(f"descent on -f: {descent.status}, {descent.iterations} iterations, -f = {descent.objective:.6f}, "
          f"(w, b) = ({descent.params['w']:.6f}, {descent.params['b']:.6f})")
    print(f"same path: {len(path_up)} points, identical")

    # Contours of f over the region the path crosses.
    lo, hi = path_up.min(axis=0), path_up.max(axis=0)
    pad = 0.25 * (hi - lo) + 0.2
    W, B = np.meshgrid(np.linspace(lo[0] - pad[0], hi[0] + pad[0], 120),
                       np.linspace(lo[1] - pad[1], hi[1] + pad[1], 120))
    F = np.array([[up.value({"w": w, "b": b}) for w, b in zip(rw, rb)] for rw, rb in zip(W, B)])

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.6), gridspec_kw={"width_ratios": [1.15, 1]})
    levels = np.quantile(F, np.linspace(0.02, 1.0, 18)) if np.ptp(F) > 0 else 10
    contours = left.contour(W, B, F, levels=np.unique(levels), cmap="viridis", linewidths=0.8)
    left.clabel(contours, contours.levels[-6::2], fontsize=7, fmt="%.0f")
    left.plot(path_up[:, 0], path_up[:, 1], "o-", color="tab:red", markersize=4, linewidth=2.2,
              label="gradient ascent on f")
    left.plot(path_down[:, 0], path_down[:, 1], "x--", color="black", markersize=5, linewidth=1,
              label="gradient descent on -f")
    left.plot(*path_up[0], "s", color="tab:red", markersize=8)
    left.annotate("start", path_up[0], textcoords="offset points", xytext=(6, 6))
    left.plot(*path_up[-1], "*", color="gold", markeredgecolor="black", markersize=14)
    left.set_xlabel("w")
    left.set_ylabel("b")
    left.set_title("the same path over the contours of f (log-likelihood)")
    left.legend(loc="lower right", fontsize=8)

    k = ascent.trace.iteration
    right.plot(k, ascent.trace.objective, "o-", color="tab:red", markersize=3, label="ascent: f")
    right.plot(k, descent.trace.objective, "x-", color="black", markersize=4, label="descent: -f")
    right.axhline(0, color="grey", linewidth=0.5)
    right.set_xlabel("iteration")
    right.set_ylabel("objective")
    right.set_title("objective per iteration: mirror images")
    right.legend(fontsize=8)
    fig.tight_layout()

    args.output_dir.mkdir(parents=True, exist_ok=True)
    out = args.output_dir / "ascent_vs_descent.png"
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
