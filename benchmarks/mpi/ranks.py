#!/usr/bin/env python3
"""`slope optimize` on 1 and on 2 MPI ranks, wall clock, on a 200,000 x 50 logistic regression.

The same fit (ridge logistic regression, L-BFGS to max|g| <= 1e-6) is run as

* one process: `slope optimize MODEL --data ... --threads 1`
* two ranks:   `mpirun -np 2 slope optimize MODEL --data ... --threads 1`

from a .npy file (each rank maps its own rows: no parse) and from a CSV file (each rank counts
the line breaks of the whole file and parses its half), each command in a fresh process, and
prints the ratios (1 rank seconds / 2 ranks seconds, of the whole command and of the fit alone)
per run: two runs by default, each with its
own ratio, since the machine is shared. Both ranks share this machine's cores (one thread each);
on 2 cores the ideal is 2.0. The objectives are printed to show the runs agree.

    /usr/bin/python3 benchmarks/mpi/ranks.py --slope build/bench/cli/slope
    /usr/bin/python3 benchmarks/mpi/ranks.py --slope build/test/cli/slope --rows 20000 --runs 1   # quick
    /usr/bin/python3 benchmarks/mpi/ranks.py --slope build/bench/cli/slope --tol 1e-30 --extra '--method gd --max-iter 300'
                                                     # a long run: 500 evaluations
"""

import argparse
import json
import subprocess
import time
import re
from pathlib import Path

import numpy as np

MODEL = """data X[n, d]
data y[n]
const lambda = 0.01
param w[d] = 0
param b = 0
let z = X * w + b
maximize dot(y, z) - sum(softplus(z)) - lambda * dot(w, w)
"""


def data(folder, rows, features):
    rng = np.random.default_rng(2024)
    X = rng.normal(size=(rows, features))
    w = rng.normal(size=features) / np.sqrt(features)
    y = (rng.random(rows) < 1 / (1 + np.exp(-(X @ w - 0.3)))).astype(float)
    np.save(folder / "X.npy", X)
    np.save(folder / "y.npy", y)
    table = np.column_stack([X, y])
    header = ",".join([f"x{j + 1}" for j in range(features)] + ["label"])
    np.savetxt(folder / "data.csv", table, delimiter=",", header=header, comments="", fmt="%.17g")


def timed(command):
    """Wall seconds of the whole command, slope's own optimizing seconds (--timing), its result."""
    started = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if run.returncode not in (0, 1):  # 1: stopped at the iteration limit, as a long run does
        raise SystemExit(f"{' '.join(command)} failed:\n{run.stdout}{run.stderr}")
    fit = float(re.search(r"optimizing ([0-9.]+) s", run.stderr).group(1))
    return seconds, fit, json.loads(run.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slope", required=True)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--features", type=int, default=50)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--tol", type=float, default=1e-6)
    parser.add_argument("--extra", default="", help="more slope flags, e.g. '--method gd --max-iter 300' for a long run")
    parser.add_argument("--workdir", default="/tmp/slope_mpi_bench")
    # ob1 over shared memory: UCX, the default messaging layer, takes 0.2 s more to start.
    parser.add_argument("--mpirun", default="mpirun --allow-run-as-root --oversubscribe --mca pml ob1 --mca btl self,vader")
    args = parser.parse_args()
    folder = Path(args.workdir)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / "stamp"
    if not stamp.exists() or stamp.read_text() != f"{args.rows} {args.features}":
        data(folder, args.rows, args.features)
        stamp.write_text(f"{args.rows} {args.features}")
    (folder / "logistic.slope").write_text(MODEL)
    inputs = {
        "npy": ["--data", f"X={folder}/X.npy", "--data", f"y={folder}/y.npy"],
        "csv": ["--data", f"X={folder}/data.csv:1-{args.features}", "--data", f"y={folder}/data.csv:label"],
    }
    print(f"{args.rows} x {args.features} logistic regression, L-BFGS to max|g| <= 1e-6, one thread per rank")
    print("wall: the whole command (mpirun's start of the ranks included); fit: slope's optimizing time (--timing)")
    print(f"{'run':>4} {'input':>6} {'wall 1':>7} {'wall 2':>7} {'ratio':>6} {'fit 1':>7} {'fit 2':>7} {'ratio':>6}"
          "  objectives (1 rank, 2 ranks)")
    for run in range(1, args.runs + 1):
        for name, files in inputs.items():
            base = [args.slope, "optimize", f"{folder}/logistic.slope", *files, "--threads", "1", "--json", "--timing",
                    "--tol", str(args.tol), *args.extra.split()]
            one, fit1, r1 = timed(base)
            two, fit2, r2 = timed([*args.mpirun.split(), "-np", "2", *base])
            print(f"{run:>4} {name:>6} {one:7.2f} {two:7.2f} {one / two:6.2f} {fit1:7.3f} {fit2:7.3f} {fit1 / fit2:6.2f}"
                  f"  {r1['objective']:.12g} {r2['objective']:.12g} ({r1['evaluations']} and {r2['evaluations']}"
                  " evaluations)")


if __name__ == "__main__":
    main()
