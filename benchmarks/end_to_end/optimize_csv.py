"""End to end: `slope optimize` on a CSV file against NumPy + SciPy on the same file.

What is measured is the user's whole path, wall clock, from launching a process to its exit:

* slope: `slope optimize MODEL --data X=FILE.csv:1-50 --data y=FILE.csv:label --tol 1e-6 --json`
  (process start, CSV parsing, taping, the L-BFGS fit, printing the result);
* the peer: a fresh Python process that imports NumPy and SciPy, reads the same file with
  `numpy.loadtxt(FILE, delimiter=',', skiprows=1)` and fits it with
  `scipy.optimize.minimize(method='L-BFGS-B', jac=True, options={'gtol': tol, 'maxiter': 1000})`
  and a NumPy gradient.

Both fit the same ridge logistic regression, on a seeded (numpy default_rng(2024)) data set of
N rows x 50 features with 0/1 labels drawn from a logistic model (a true weight vector drawn from
the same generator, intercept -0.3). slope maximizes dot(y, z) - sum(softplus(z)) - lambda |w|^2
with z = X w + b; the peer minimizes its negation (softplus(z) = logaddexp(0, z)). Both stop on
max_i |g_i| <= tol (scipy's gtol), and scipy also on its default ftol unless --peer-ftol is given.
Their objectives (the peer's negated back) are printed with their relative difference, so one
sees that both reached the same optimum.

Figures, per data size and per run (--runs, 2 by default; each run computes its own ratios):

* slope seconds / peer seconds (target <= 0.35);
* slope's peak resident memory / the data's bytes as doubles, N * 51 * 8 (target <= 1.3), and the
  peer's likewise;
* with --compare-threads, slope's seconds with --threads 1 over with --threads 2 (skipped, with a
  note, when the binary has no --threads option).

Peak memory is the child's ru_maxrss from os.wait4, each measured command in its own fresh process.
On Linux a child's ru_maxrss starts at its parent's peak resident memory (exec records the old
address space's high-water mark), so this driver never imports NumPy: the data are generated and
the peer runs in subprocesses of their own, and the driver's floor (the ru_maxrss of /bin/true
launched the same way) is printed; a figure is the command's own peak whenever it is above the floor.

The CSV (header x1..x50,label; '%.17g', which reads back to the same doubles) is cached in --workdir
with a sidecar stamp (rows, features, seed, generator version, file size) and reused when the stamp
matches. The driver runs under any Python 3.9+; the data generation and the peer use the Python
given by --python (default: this one), which needs NumPy and SciPy.

    /usr/bin/python3 benchmarks/end_to_end/optimize_csv.py                 # 200,000 rows, 2 runs
    /usr/bin/python3 benchmarks/end_to_end/optimize_csv.py --smoke         # 2,000 rows, 1 run, seconds
    /usr/bin/python3 benchmarks/end_to_end/optimize_csv.py --also-rows 2000000 --compare-threads \\
        --slope-args='--max-iter 2000' --json-out e2e.json
"""

import argparse
import json
import os
import pathlib
import platform
import shlex
import subprocess
import sys
import tempfile
import time

FEATURES = 50
SEED = 2024
TRUE_INTERCEPT = -0.3
CHUNK_ROWS = 50_000        # rows generated and written at a time (part of the data's definition)
GENERATOR_VERSION = 1      # bump when the generated data change
LAMBDA = 1.0
TARGET_TIME_RATIO = 0.35
TARGET_RSS_RATIO = 1.3

MODEL = """\
data X[n, d]
data y[n]
const lambda = 1
param w[d] = 0
param b = 0
let z = X * w + b
maximize dot(y, z) - sum(softplus(z)) - lambda * dot(w, w)
"""

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_SLOPE = ROOT / "build" / "test" / "cli" / "slope"


# ---------------------------------------------------------------------------------------------
# Modes that run in their own process (they import NumPy; the measuring driver never does).
# ---------------------------------------------------------------------------------------------

def generate_csv(path, rows, seed):
    """Writes the seeded data set to path: header x1..x50,label, then rows of '%.17g' values."""
    import numpy as np

    rng = np.random.default_rng(seed)
    w_true = rng.normal(scale=0.5, size=FEATURES)
    row_format = ",".join(["%.17g"] * (FEATURES + 1)) + "\n"
    with open(path, "w") as out:
        out.write(",".join([f"x{j}" for j in range(1, FEATURES + 1)] + ["label"]) + "\n")
        for start in range(0, rows, CHUNK_ROWS):
            k = min(CHUNK_ROWS, rows - start)
            X = rng.normal(size=(k, FEATURES))
            p = 1.0 / (1.0 + np.exp(-(X @ w_true + TRUE_INTERCEPT)))
            y = (rng.random(k) < p).astype(np.float64)
            block = np.column_stack([X, y])
            out.write((row_format * k) % tuple(block.ravel().tolist()))


def peer_fit(path, lam, tol, ftol):
    """The peer's whole path: load the CSV with numpy.loadtxt, fit with SciPy's L-BFGS-B.
    Prints one JSON object (objective in slope's sense, i.e. the maximized value)."""
    import numpy as np
    import scipy.optimize

    data = np.loadtxt(path, delimiter=",", skiprows=1)
    X, y = data[:, :FEATURES], data[:, FEATURES]

    def f(theta):
        w, b = theta[:-1], theta[-1]
        z = X @ w + b
        value = np.sum(np.logaddexp(0.0, z) - y * z) + lam * (w @ w)
        r = 0.5 * (1.0 + np.tanh(0.5 * z)) - y  # sigmoid(z) - y, without overflow
        grad = np.empty_like(theta)
        grad[:-1] = X.T @ r + 2.0 * lam * w
        grad[-1] = r.sum()
        return value, grad

    options = {"gtol": tol, "maxiter": 1000}
    if ftol is not None:
        options["ftol"] = ftol
    res = scipy.optimize.minimize(f, np.zeros(FEATURES + 1), jac=True, method="L-BFGS-B", options=options)
    print(json.dumps({
        "objective": -float(res.fun),
        "iterations": int(res.nit),
        "evaluations": int(res.nfev),
        "gradient_norm": float(np.max(np.abs(res.jac))),
        "success": bool(res.success),
        "message": str(res.message),
        "w": res.x[:-1].tolist(),
        "b": float(res.x[-1]),
    }))


# ---------------------------------------------------------------------------------------------
# The measuring driver.
# ---------------------------------------------------------------------------------------------

def measure(cmd):
    """Runs cmd in a fresh process; returns its wall seconds (launch to exit), peak RSS in bytes
    (ru_maxrss of that process, from os.wait4), exit code, stdout and stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return {"seconds": seconds, "max_rss": usage.ru_maxrss * 1024,  # Linux: kilobytes
                "returncode": proc.returncode,
                "stdout": out.read().decode(errors="replace"), "stderr": err.read().decode(errors="replace")}


def data_file(workdir, rows, python):
    """The cached CSV for this size, generated (in a subprocess) unless its stamp matches."""
    csv = workdir / f"logistic_{rows}x{FEATURES}_seed{SEED}.csv"
    stamp_path = csv.with_suffix(".stamp.json")
    want = {"rows": rows, "features": FEATURES, "seed": SEED, "chunk_rows": CHUNK_ROWS,
            "generator": GENERATOR_VERSION}
    try:
        stamp = json.loads(stamp_path.read_text())
        if {k: stamp.get(k) for k in want} == want and csv.stat().st_size == stamp.get("bytes"):
            print(f"reusing {csv} ({rows} rows)", file=sys.stderr)
            return csv
    except (OSError, ValueError):
        pass
    print(f"generating {csv} ({rows} rows x {FEATURES} features) ...", file=sys.stderr)
    stamp_path.unlink(missing_ok=True)
    partial = csv.with_suffix(".csv.partial")
    start = time.perf_counter()
    subprocess.run([python, str(pathlib.Path(__file__).resolve()), "--generate", str(partial),
                    "--rows", str(rows)], check=True)
    partial.replace(csv)
    stamp_path.write_text(json.dumps({**want, "bytes": csv.stat().st_size}) + "\n")
    print(f"  written in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return csv


def slope_command(args, model, csv, extra):
    return [str(args.slope), "optimize", str(model), "--data", f"X={csv}:1-{FEATURES}",
            "--data", f"y={csv}:label", "--tol", repr(args.tol), "--json", *extra]


class SlopeFailed(Exception):
    """slope exited with bad input (status 2) or crashed: the message holds its command and stderr."""


def run_slope(args, model, csv, extra):
    """One measured slope run; raises SlopeFailed unless slope printed its result."""
    cmd = slope_command(args, model, csv, extra)
    m = measure(cmd)
    if m["returncode"] not in (0, 1):  # 0 converged, 1 stopped without converging
        raise SlopeFailed(f"slope failed (exit {m['returncode']}): {' '.join(cmd)}\n{m['stderr'].strip()}")
    m["result"] = json.loads(m["stdout"])
    return m


def run_peer(args, csv):
    cmd = [args.python, str(pathlib.Path(__file__).resolve()), "--peer", str(csv), "--tol", repr(args.tol)]
    if args.peer_ftol is not None:
        cmd += ["--peer-ftol", repr(args.peer_ftol)]
    m = measure(cmd)
    if m["returncode"] != 0:
        raise SystemExit(f"the peer failed (exit {m['returncode']}):\n{m['stderr'].strip()}")
    m["result"] = json.loads(m["stdout"])
    return m


def slope_has_threads(slope):
    """Whether `slope optimize` lists a --threads option in its help."""
    proc = subprocess.run([str(slope), "optimize", "--help"], capture_output=True, text=True)
    return "--threads" in proc.stdout


def build_info(slope):
    """CMAKE_BUILD_TYPE and SLOPE_DEBUG_CHECKS from the CMakeCache.txt above the binary, if any."""
    for directory in pathlib.Path(slope).resolve().parents:
        cache = directory / "CMakeCache.txt"
        if cache.is_file():
            info = {}
            for line in cache.read_text(errors="replace").splitlines():
                for key in ("CMAKE_BUILD_TYPE", "SLOPE_DEBUG_CHECKS", "SLOPE_NATIVE"):
                    if line.startswith(key + ":"):
                        info[key] = line.split("=", 1)[1]
            return info
    return {}


def cpu_busy(seconds=1.0):
    """The fraction of all CPUs' time spent outside idle and iowait over a short window (/proc/stat),
    or None where there is no /proc/stat: before the runs, the share taken by other work."""
    def sample():
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
        return sum(fields), fields[3] + fields[4]
    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except OSError:
        return None
    return 1.0 - (idle1 - idle0) / max(total1 - total0, 1)


def relative_difference(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


def one_size(args, rows, model, with_threads):
    csv = data_file(args.workdir, rows, args.python)
    data_bytes = rows * (FEATURES + 1) * 8
    extra = shlex.split(args.slope_args)
    runs = []
    for run in range(1, args.runs + 1):
        # Interleaved, so that a change in the machine's load touches both alike.
        s = run_slope(args, model, csv, extra)
        p = run_peer(args, csv)
        entry = {
            "run": run,
            "slope_seconds": s["seconds"], "peer_seconds": p["seconds"],
            "time_ratio": s["seconds"] / p["seconds"],
            "slope_max_rss": s["max_rss"], "peer_max_rss": p["max_rss"],
            "slope_rss_ratio": s["max_rss"] / data_bytes, "peer_rss_ratio": p["max_rss"] / data_bytes,
            "slope": {k: s["result"].get(k) for k in ("status", "objective", "iterations", "evaluations", "gradient_norm")},
            "peer": {k: p["result"][k] for k in ("objective", "iterations", "evaluations", "gradient_norm", "success", "message")},
            "objective_relative_difference": relative_difference(s["result"]["objective"], p["result"]["objective"]),
        }
        slope_params = s["result"]["params"]["w"] + [s["result"]["params"]["b"]]
        peer_params = p["result"]["w"] + [p["result"]["b"]]
        entry["max_param_difference"] = max(abs(a - c) for a, c in zip(slope_params, peer_params))
        if with_threads:
            try:
                t1 = run_slope(args, model, csv, extra + ["--threads", "1"])
                t2 = run_slope(args, model, csv, extra + ["--threads", "2"])
                entry.update(threads1_seconds=t1["seconds"], threads2_seconds=t2["seconds"],
                             threads_speedup=t1["seconds"] / t2["seconds"])
            except SlopeFailed as failure:
                print(f"note: slope with --threads failed, the threads speedup is skipped:\n{failure}", file=sys.stderr)
                with_threads = False
        runs.append(entry)
        print(f"  {rows} rows, run {run}: slope/peer {entry['time_ratio']:.3f}", file=sys.stderr)
    return {"rows": rows, "csv": str(csv), "csv_bytes": csv.stat().st_size, "data_bytes": data_bytes, "runs": runs}


def markdown(results, floor, with_threads):
    lines = [
        f"| rows | run | slope s | peer s | slope / peer (<= {TARGET_TIME_RATIO}) | slope RSS / data (<= {TARGET_RSS_RATIO})"
        f" | peer RSS / data | threads 1 / 2 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in results:
        for r in size["runs"]:
            speedup = (f"{r['threads_speedup']:.2f}" if "threads_speedup" in r
                       else "-" if with_threads is False else "n/a")
            lines.append(f"| {size['rows']:,} | {r['run']} | {r['slope_seconds']:.3f} | {r['peer_seconds']:.3f}"
                         f" | {r['time_ratio']:.3f} | {r['slope_rss_ratio']:.3f} | {r['peer_rss_ratio']:.3f} | {speedup} |")
    lines += ["", "| rows | run | slope objective | peer objective | rel. diff | max param diff"
              " | iterations slope / peer | max abs(g) slope / peer | slope status |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for size in results:
        for r in size["runs"]:
            s, p = r["slope"], r["peer"]
            lines.append(f"| {size['rows']:,} | {r['run']} | {s['objective']:.10g} | {p['objective']:.10g}"
                         f" | {r['objective_relative_difference']:.2e} | {r['max_param_difference']:.2e}"
                         f" | {s['iterations']} / {p['iterations']} | {s['gradient_norm']:.1e} / {p['gradient_norm']:.1e}"
                         f" | {s['status']} |")
    notes = []
    for size in results:
        for r in size["runs"]:
            for who in ("slope", "peer"):
                if r[f"{who}_max_rss"] <= 1.1 * floor:
                    notes.append(f"- {size['rows']:,} rows, run {r['run']}: {who}'s peak RSS is within 10% of the "
                                 f"launcher floor ({floor / 2**20:.1f} MiB): it may be the floor, not the command's own")
            if not r["peer"]["success"]:
                notes.append(f"- {size['rows']:,} rows, run {r['run']}: the peer did not converge: {r['peer']['message']}")
    return "\n".join(lines + ([""] + notes if notes else []))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slope", type=pathlib.Path, default=DEFAULT_SLOPE, help=f"the slope binary (default {DEFAULT_SLOPE})")
    parser.add_argument("--rows", type=int, default=200_000, help="rows of the data set (default 200000)")
    parser.add_argument("--also-rows", type=int, help="a second data size, e.g. 2000000")
    parser.add_argument("--runs", type=int, default=2, help="measured runs per size, each with its own ratios (default 2)")
    parser.add_argument("--workdir", type=pathlib.Path, default=pathlib.Path("/tmp/slope_e2e"),
                        help="where the CSV files, their stamps and the model live (default /tmp/slope_e2e)")
    parser.add_argument("--tol", type=float, default=1e-6, help="max |gradient component| at convergence (default 1e-6)")
    parser.add_argument("--slope-args", default="", help="extra arguments appended to slope's command line, e.g. "
                        "--slope-args=--threads=2 or --slope-args '--threads 2' (with a space, or after '=')")
    parser.add_argument("--compare-threads", action="store_true", help="also time slope with --threads 1 and --threads 2")
    parser.add_argument("--peer-ftol", type=float, help="scipy's ftol (default: scipy's own, which may stop before gtol)")
    parser.add_argument("--python", default=sys.executable, help="the Python, with NumPy and SciPy, for data generation and the peer")
    parser.add_argument("--json-out", type=pathlib.Path, help="also write every figure to this JSON file")
    parser.add_argument("--smoke", action="store_true", help="2000 rows, one run: checks that everything works, in seconds")
    # Internal modes, each run in its own process by the driver.
    parser.add_argument("--generate", metavar="CSV", help=argparse.SUPPRESS)
    parser.add_argument("--peer", metavar="CSV", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.generate:
        return generate_csv(args.generate, args.rows, SEED)
    if args.peer:
        return peer_fit(args.peer, LAMBDA, args.tol, args.peer_ftol)

    if args.smoke:
        args.rows, args.runs, args.also_rows = 2000, 1, None
    if not os.access(args.slope, os.X_OK):
        raise SystemExit(f"no slope binary at {args.slope} (pass --slope)")
    args.workdir.mkdir(parents=True, exist_ok=True)
    model = args.workdir / "logistic.slope"
    if not model.exists() or model.read_text() != MODEL:
        model.write_text(MODEL)

    with_threads = None  # None: asked for but not available; False: not asked for
    if args.compare_threads:
        if slope_has_threads(args.slope):
            with_threads = True
        else:
            print("note: this slope binary has no --threads option: the threads speedup is skipped", file=sys.stderr)
    else:
        with_threads = False

    floor = measure(["/bin/true"])["max_rss"]
    load_before = os.getloadavg()
    busy = cpu_busy()
    sizes = [args.rows] + ([args.also_rows] if args.also_rows else [])
    try:
        results = [one_size(args, rows, model, bool(with_threads)) for rows in sizes]
    except SlopeFailed as failure:
        raise SystemExit(str(failure))
    load_after = os.getloadavg()

    info = build_info(args.slope)
    built = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(args.slope.stat().st_mtime))
    print(f"slope optimize on a CSV file vs numpy.loadtxt + scipy L-BFGS-B, {FEATURES} features, tol {args.tol:g},"
          f" wall clock of whole processes; data bytes = rows x {FEATURES + 1} x 8")
    print(f"binary {args.slope} (modified {built}; {', '.join(f'{k}={v}' for k, v in info.items()) or 'build settings unknown'});"
          f" slope args: {args.slope_args or '(none)'}; {os.cpu_count()} CPUs;"
          f" load average {load_before[0]:.2f} before, {load_after[0]:.2f} after;"
          f" launcher RSS floor {floor / 2**20:.1f} MiB")
    if busy is not None and busy > 0.1:
        print(f"warning: the machine was busy before the runs ({busy:.0%} of all CPUs' time in use by other work):"
              " the timings are not those of an idle machine")
    if with_threads is None:
        print("threads 1 / 2: not available (this slope binary has no --threads option)")
    if args.smoke:
        print("smoke run: 2000 rows, the figures mean nothing")
    print()
    print(markdown(results, floor, with_threads))

    if args.json_out:
        args.json_out.write_text(json.dumps({
            "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
                        "cpu_busy_before": busy, "load_average_before": load_before, "load_average_after": load_after,
                        "launcher_rss_floor": floor},
            "slope": {"binary": str(args.slope), "modified": built, "build": info, "args": args.slope_args,
                      "threads_compared": with_threads},
            "settings": {"features": FEATURES, "seed": SEED, "lambda": LAMBDA, "tol": args.tol,
                         "peer_ftol": args.peer_ftol, "runs": args.runs, "smoke": args.smoke},
            "targets": {"time_ratio": TARGET_TIME_RATIO, "slope_rss_ratio": TARGET_RSS_RATIO},
            "sizes": results,
        }, indent=2) + "\n")


if __name__ == "__main__":
    main()
