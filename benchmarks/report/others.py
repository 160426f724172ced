"""The report's other sections: scaling with graph size, the optimizer against its peers, any
benchmark binary the report does not know, and the binaries that failed."""

from __future__ import annotations

import math

from markdown import num, runs, table
from results import BinaryRun, median, ratio

SOLVERS = {"slope": "Slope", "lbfgspp": "LBFGSpp", "liblbfgs": "liblbfgs", "slope_taped": "Slope taped"}


def scaling_figures(run_list: list[BinaryRun]) -> dict[str, list[tuple[float, list[float], dict]]]:
    """shape -> [(nodes, ns/node per run, the first run's row)], in order of size."""
    out: dict[str, dict[float, tuple[list[float], dict]]] = {}
    for run in run_list:
        for r in run.rows("scaling"):
            entry = out.setdefault(r["shape"], {}).setdefault(r["nodes"], ([], r))
            entry[0].append(ratio(r["median_ns"], r["nodes"]))
    return {shape: [(n, t, r) for n, (t, r) in sorted(sizes.items())] for shape, sizes in out.items()}


def scaling_section(figures, plot: str | None) -> str:
    rows, flatness = [], []
    for shape, points in figures.items():
        base = median(points[0][1])
        for nodes, per_node, r in points:
            rows.append([shape, f"10^{math.log10(nodes):.0f}", num(r["edges"], 9),
                         runs([t * nodes * 1e-6 for t in per_node]), runs(per_node),
                         num(median(per_node) / base), num(ratio(r["tape_bytes"], nodes))])
        medians = [median(t) for _, t, _ in points]
        flatness.append(f"{shape}: {num(min(medians))} to {num(max(medians))} ns/node from "
                        f"10^{math.log10(points[0][0]):.0f} to 10^{math.log10(points[-1][0]):.0f} nodes "
                        f"(max/min {num(max(medians) / min(medians))})")
    text = ("## Scaling with graph size\n\n"
            "One call = clear the tape, set the inputs, record, sweep backward, read the gradient. *chain*: "
            "y = c*y repeated (one node, one edge per step); *wide sum*: s += x[i] over n - 1 inputs (folded "
            "into one node with n - 1 edges). A flat ns/node column means the cost is linear in the graph's "
            "size. Memory per node is the tape's bytes over its nodes.\n\n"
            + table(["graph", "nodes", "edges", "ms per call", "ns/node", "vs smallest", "bytes/node"], rows)
            + "\n" + "; ".join(flatness) + ".\n")
    if plot:
        text += f"\n![time per node against graph size, log-log]({plot})\n"
    return text


def optimizer_figures(run_list: list[BinaryRun]) -> dict:
    """problem -> solver -> {'row': first run's row, 'ns': [per-run median ns]}, plus targets."""
    problems: dict[str, dict[str, dict]] = {}
    for run in run_list:
        for r in run.rows("runs"):
            entry = problems.setdefault(r["problem"], {}).setdefault(r["solver"], {"row": r, "ns": []})
            entry["ns"].append(float("nan") if r["median_ns"] is None else r["median_ns"])
    return problems


def _ok(entry: dict) -> bool:
    return bool(entry["row"]["converged"] and entry["row"]["reached"])


def optimizer_ratios(problems: dict) -> dict[str, list[float]]:
    """Median over problems where Slope and the peer both reached f*: evaluation ratios and time
    ratios (whole run, per iteration), by peer."""
    out: dict[str, list[float]] = {}
    for solvers in problems.values():
        s = solvers.get("slope")
        for peer in ("lbfgspp", "liblbfgs"):
            p = solvers.get(peer)
            if not s or not p or not _ok(s) or not _ok(p):
                continue
            out.setdefault(f"evaluations/{peer}", []).append(ratio(s["row"]["evaluations"], p["row"]["evaluations"]))
            out.setdefault(f"time/{peer}", []).append(ratio(median(s["ns"]), median(p["ns"])))
            per_it = ratio(median(s["ns"]) / max(1.0, s["row"]["iterations"] or 1.0),
                           median(p["ns"]) / max(1.0, p["row"]["iterations"] or 1.0))
            out.setdefault(f"per_iteration/{peer}", []).append(per_it)
    return out


def optimizer_section(problems: dict, targets: dict) -> str:
    """`targets`: the binary's 'targets' summary row (may be empty)."""
    rows = []
    for problem, solvers in problems.items():
        order = [s for s in SOLVERS if s in solvers]
        first = solvers[order[0]]["row"]

        def each(key, fmt=lambda v: num(v, 6)):
            return " / ".join(fmt(solvers[s]["row"][key]) if solvers[s]["row"][key] is not None else "?"
                              for s in order[:3])

        def time_ratio(a, b, per_iteration=False):
            if a not in solvers or b not in solvers:
                return "n/a"
            ns_a, ns_b = solvers[a]["ns"], solvers[b]["ns"]
            if per_iteration:
                it_a = max(1.0, solvers[a]["row"]["iterations"] or 1.0)
                it_b = max(1.0, solvers[b]["row"]["iterations"] or 1.0)
                return runs([x / it_a / (y / it_b) for x, y in zip(ns_a, ns_b)])
            return runs([x / y for x, y in zip(ns_a, ns_b)])

        rows.append([f"{problem} (n={num(first['n'], 6)})", each("iterations"), each("evaluations"),
                     " / ".join("yes" if _ok(solvers[s]) else "**no**" for s in order[:3]),
                     time_ratio("slope", "lbfgspp"), time_ratio("slope", "liblbfgs"),
                     time_ratio("slope", "lbfgspp", True), time_ratio("slope", "liblbfgs", True),
                     time_ratio("slope_taped", "slope")])
    medians = {k: median(v) for k, v in optimizer_ratios(problems).items()}
    def against(key: str, target_key: str) -> str:
        value, target = medians.get(key, math.nan), targets.get(target_key)
        if target is None or math.isnan(value):
            return num(value)
        return f"{num(value)} (target <= {num(target)}: {'met' if value <= target else 'missed'})"

    summary = (f"Over the problems where both reached f*: evaluations Slope/LBFGSpp median "
               f"{against('evaluations/lbfgspp', 'evaluation_ratio')}, Slope/liblbfgs "
               f"{num(medians.get('evaluations/liblbfgs', math.nan))}; time per iteration Slope/LBFGSpp "
               f"{against('per_iteration/lbfgspp', 'time_per_iteration_ratio')}, Slope/liblbfgs "
               f"{num(medians.get('per_iteration/liblbfgs', math.nan))}.")
    return ("## Optimizer: L-BFGS against LBFGSpp and liblbfgs\n\n"
            "Same problems, starts, hand-written gradients and matched settings (m = 8, strong Wolfe, every "
            "library stops at its first iterate with max|g| <= 1e-6; details in "
            "`benchmarks/support/lbfgs_runs.hpp`). LBFGSpp can only test |g|_2, which is stricter by up to "
            "sqrt(n): its own test is turned off and its iteration limit set to the iteration where max|g| <= "
            "1e-6 first holds, found by untimed reruns, so it stops where that test would stop it. "
            "Iterations, evaluations and "
            "*reached f\\** are Slope / LBFGSpp / liblbfgs; time ratios are medians of whole runs, one cell per "
            "run; *taped/hand* is Slope with the objective taken from its template as `slope::minimize` "
            "takes a function of Vars (taped for its first 50 evaluations, then recorded once and "
            "replayed) over Slope with the hand-written gradient.\n\n"
            + table(["problem", "iterations", "evaluations", "reached f*", "time S/LBFGSpp", "time S/liblbfgs",
                     "per it. S/LBFGSpp", "per it. S/liblbfgs", "taped/hand"], rows)
            + "\n" + summary + "\n")


def generic_section(name: str, run_list: list[BinaryRun]) -> str:
    """A binary the report does not know: its summary tables if it writes them, else its medians."""
    ok = [r for r in run_list if r.ok]
    if not ok:
        return ""
    text = f"## `slope_bench_{name}`\n\n"
    if ok[0].summary:
        for t in dict.fromkeys(r["table"] for r in ok[0].summary):
            rows = ok[0].rows(t)
            keys = [k for k in rows[0] if k != "table"]
            text += f"Summary table *{t}* (run 1):\n\n" + table(
                keys, [[num(r[k], 4) if isinstance(r[k], (int, float)) and not isinstance(r[k], bool)
                        else str(r[k]) for k in keys] for r in rows]) + "\n"
    else:
        names = list(ok[0].medians)
        text += "Median CPU time per call, one cell per run:\n\n" + table(
            ["benchmark", "median ns", "cv"],
            [[n, runs([r.medians.get(n, math.nan) for r in ok], 4), num(ok[0].cvs.get(n, math.nan), 2)]
             for n in names]) + "\n"
    return text


def failures_section(all_runs: dict[str, list[BinaryRun]]) -> str:
    failed = [r for rl in all_runs.values() for r in rl if not r.ok]
    if not failed:
        return ""
    text = "## FAILED runs\n\nThese runs exited with an error; their figures are left out.\n\n"
    for r in failed:
        tail = "\n".join(r.log.read_text(errors="replace").splitlines()[-5:])
        text += f"- `slope_bench_{r.name}` run {r.run}: exit status {r.status}\n\n```\n{tail}\n```\n\n"
    return text
