"""The report's gradient-cost sections for kernels a-g: gradient/primal per library against the
targets, ours/hand-written, ours/peer, and tape bytes per operation.

Sources: gradient_cost (Slope, hand-written, targets, tape sizes), adolc (ADOL-C tracing and
replaying, with Slope timed in the same process), one column each from replay and vector_nodes
(which have their own sections), and any other binary whose rows are named like gradient_cost's
'<id>_<kernel>/<row>' with a 'primal' row: each of its rows becomes a library column, and its
'slope*' rows are divided by its other rows, so a new binary shows up before it has a section."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from markdown import num, runs, table
from results import BinaryRun, kernel_names, kernel_rows, median, met, ratio

KNOWN = ("gradient_cost", "adolc", "gradient_cost_installed", "gradient_cost_installed_native")
# gradient_cost.cpp built against the installed library (benchmarks/installed.sh): binary -> label.
INSTALLED = {"gradient_cost_installed": "installed, default flags",
             "gradient_cost_installed_native": "installed, -march=native"}
# Binaries with their own section: only these rows join the cost table (row -> column label),
# each over the primal timed in the same binary's run.
DEDICATED = {"replay": {"replay": "Slope replay"},
             "vector_nodes": {"vector": "Slope vector nodes", "torch": "libtorch"}}
SKIPPED_ROWS = ("primal", "hand", "slope")  # already shown from gradient_cost


@dataclass
class Series:
    """A per-kernel figure, one value per run, for one library or pair of libraries."""

    label: str
    values: dict[str, list[float]] = field(default_factory=dict)  # kernel id -> per-run values

    def median(self, kernel: str) -> float:
        return median(self.values.get(kernel, []))


@dataclass
class KernelFigures:
    ids: list[str]
    names: dict[str, str]
    targets: dict[str, float]
    cost: list[Series]  # gradient time / primal time
    vs_hand: list[Series]  # ours / hand-written
    vs_peer: list[Series]  # ours / peer
    met: dict[str, str]  # kernel -> met / missed / mixed
    retaped: list[str]  # kernels whose ADOL-C tape of x0 failed at x1 and was recorded again


def _series(label: str, run_list: list[BinaryRun], figure) -> Series:
    """figure(run) -> {kernel: value} for one run."""
    s = Series(label)
    for run in run_list:
        for kernel, value in figure(run).items():
            s.values.setdefault(kernel, []).append(value)
    return s


def _summary(run: BinaryRun, numerator: str, denominator: str) -> dict[str, float]:
    return {r["kernel"]: ratio(r.get(numerator), r.get(denominator)) for r in run.rows("kernels")}


def _other_binaries(all_runs: dict[str, list[BinaryRun]]) -> dict[str, list[BinaryRun]]:
    return {name: [r for r in rl if r.ok] for name, rl in all_runs.items()
            if name not in KNOWN and name not in DEDICATED
            and any(r.ok and any("primal" in rows for rows in kernel_rows(r).values()) for r in rl)}


def collect(all_runs: dict[str, list[BinaryRun]]) -> KernelFigures | None:
    gradient = [r for r in all_runs.get("gradient_cost", []) if r.ok and r.summary]
    adolc = [r for r in all_runs.get("adolc", []) if r.ok and r.summary]
    if not gradient and not adolc:
        return None
    first = (gradient or adolc)[0]
    ids = [r["kernel"] for r in first.rows("kernels")]
    names = {r["kernel"]: r["name"] for r in first.rows("kernels")}
    targets = {r["kernel"]: float(r["target"]) for r in gradient[0].rows("kernels")} if gradient else {}
    cost, vs_hand, vs_peer = [], [], []
    if gradient:
        cost.append(_series("Slope", gradient, lambda r: _summary(r, "slope_ns", "primal_ns")))
        cost.append(_series("Slope value_and_gradient", gradient,
                            lambda r: _summary(r, "slope_vg_ns", "primal_ns")))
        cost.append(_series("hand-written", gradient, lambda r: _summary(r, "hand_ns", "primal_ns")))
        vs_hand.append(_series("Slope / hand-written", gradient, lambda r: _summary(r, "slope_ns", "hand_ns")))
    for binary, label in INSTALLED.items():
        installed = [r for r in all_runs.get(binary, []) if r.ok and r.summary]
        if installed:
            cost.append(_series(f"Slope ({label})", installed, lambda r: _summary(r, "slope_ns", "primal_ns")))
            cost.append(_series(f"Slope value_and_gradient ({label})", installed,
                                lambda r: _summary(r, "slope_vg_ns", "primal_ns")))
    if adolc:
        cost.append(_series("ADOL-C trace", adolc, lambda r: _summary(r, "adolc_trace_ns", "primal_ns")))
        cost.append(_series("ADOL-C replay", adolc, lambda r: _summary(r, "adolc_replay_ns", "primal_ns")))
        vs_peer.append(_series("Slope / ADOL-C trace", adolc, lambda r: _summary(r, "slope_ns", "adolc_trace_ns")))
        vs_peer.append(_series("Slope / ADOL-C replay", adolc, lambda r: _summary(r, "slope_ns", "adolc_replay_ns")))
    for binary, columns in DEDICATED.items():
        run_list = [r for r in all_runs.get(binary, []) if r.ok]
        for row, label in columns.items():
            s = _series(label, run_list, lambda r, row=row: {
                k: ratio(v.get(row), v.get("primal")) for k, v in kernel_rows(r).items() if row in v})
            if s.values:
                cost.append(s)
    for binary, run_list in _other_binaries(all_runs).items():
        rows = sorted({row for run in run_list for rs in kernel_rows(run).values() for row in rs})
        for name in kernel_names(run_list[0]).items():
            names.setdefault(*name)
        for row in rows:
            if row in SKIPPED_ROWS:
                continue
            cost.append(_series(f"{row} ({binary})", run_list, lambda r, row=row: {
                k: ratio(v.get(row), v.get("primal")) for k, v in kernel_rows(r).items()}))
        for ours in (row for row in rows if row.startswith("slope")):
            if "hand" in rows:
                vs_hand.append(_series(f"{ours} / hand ({binary})", run_list, lambda r, o=ours: {
                    k: ratio(v.get(o), v.get("hand")) for k, v in kernel_rows(r).items()}))
            for theirs in (row for row in rows if not row.startswith("slope") and row not in ("primal", "hand")):
                vs_peer.append(_series(f"{ours} / {theirs} ({binary})", run_list, lambda r, o=ours, t=theirs: {
                    k: ratio(v.get(o), v.get(t)) for k, v in kernel_rows(r).items()}))
    verdicts = {k: met(cost[0].values.get(k, []), targets[k]) for k in ids} if gradient else {}
    retaped = [r["kernel"] for r in adolc[0].rows("kernels") if r.get("replay_retapes")] if adolc else []
    return KernelFigures(ids, names, targets, cost, vs_hand, vs_peer, verdicts, retaped)


def _label(f: KernelFigures, kernel: str) -> str:
    return f"{kernel} {f.names.get(kernel, '')}".strip()


def _dedicated_columns(f: KernelFigures) -> str:
    """Where the columns taken from the replay and vector-node binaries come from."""
    labels = {s.label for s in f.cost}
    text = ""
    if "Slope replay" in labels:
        text += ("*Slope replay* is a `slope::Function` recorded at x0 and replayed at x1 "
                 "(`slope_bench_replay`, see its section). ")
    if labels & {"Slope vector nodes", "libtorch"}:
        text += ("*Slope vector nodes* and *libtorch* (one thread) are the kernels written with vector "
                 "operations where they apply (`slope_bench_vector_nodes`, see its section). ")
    if text:
        text += "Each column's ratio divides two medians of its own binary's run. "
    return text


def cost_section(f: KernelFigures, run_count: int, plot: str | None) -> str:
    header = ["kernel", "target"] + (["Slope", "met?"] if f.met else []) + [s.label for s in f.cost[1 if f.met else 0:]]
    rows = []
    for kernel in f.ids:
        row = [_label(f, kernel), num(f.targets.get(kernel, math.nan))]
        if f.met:
            row += [runs(f.cost[0].values.get(kernel, [])), f.met[kernel]]
        row += [runs(s.values.get(kernel, [])) for s in f.cost[1 if f.met else 0:]]
        rows.append(row)
    text = ("## Gradient cost: gradient time / primal time\n\n"
            "Median CPU time of one gradient over the median time of one evaluation of the same kernel in "
            "`double`, both measured in the same process with interleaved repetitions"
            + (f"; each cell shows one figure per run, run 1 first ({run_count} runs)" if run_count > 1 else "")
            + ". The target is the issue's; *met* means at or under it in every run. ADOL-C *trace* records "
            "the tape at every call (as Slope does); *replay* evaluates a tape recorded once at x0, at x1. "
            + _dedicated_columns(f) + "Lower is better."
            + (f" ADOL-C tapes comparisons: on kernel(s) {', '.join(f.retaped)} a comparison recorded at x0 "
               "comes out differently at x1, ADOL-C aborts the replay and asks for a new tape, so the replay "
               "rows there run on a tape recorded once at x1." if f.retaped else "")
            + "\n\n" + table(header, rows))
    if plot:
        text += f"\n![gradient/primal per kernel and library]({plot})\n"
    return text


def ratio_section(title: str, intro: str, series: list[Series], f: KernelFigures) -> str:
    if not series:
        return ""
    rows = [[_label(f, k)] + [runs(s.values.get(k, [])) for s in series] for k in f.ids]
    return f"## {title}\n\n{intro}\n\n" + table(["kernel"] + [s.label for s in series], rows)


def bytes_section(all_runs: dict[str, list[BinaryRun]], f: KernelFigures) -> str:
    gradient = next((r for r in all_runs.get("gradient_cost", []) if r.ok and r.summary), None)
    adolc = next((r for r in all_runs.get("adolc", []) if r.ok and r.summary), None)
    if not gradient and not adolc:
        return ""
    by_kernel = {k: {} for k in f.ids}
    for run in (gradient, adolc):
        for r in run.rows("kernels") if run else []:
            by_kernel.setdefault(r["kernel"], {}).update(r)
    target = next((r for r in gradient.rows("memory_target")), None) if gradient else None
    rows = []
    for k in f.ids:
        r = by_kernel[k]
        rows.append([_label(f, k), num(r.get("primal_ops", math.nan), 6),
                     num(ratio(r.get("tape_bytes"), r.get("primal_ops"))),
                     f"{num(r.get('nodes', math.nan), 9)} / {num(r.get('edges', math.nan), 9)}",
                     num(ratio(r.get("adolc_trace_bytes"), r.get("primal_ops"))),
                     num(ratio(r.get("adolc_bytes"), r.get("primal_ops")))])
    text = ("## Tape memory: bytes per elementary operation of the primal\n\n"
            "Operations are counted by running the kernel's own template on a counting scalar. Slope's bytes "
            "are its whole tape after one recording (op code and edge start per node, operand index and "
            "partial per edge). ADOL-C's are its trace (1 byte per operation, 4 per location, 8 per "
            "constant) and, in the last column, also the forward values it keeps for the reverse sweep "
            "(8 bytes each), which a gradient needs.")
    if adolc:
        fixed = min((r.get("adolc_values", math.inf) for r in adolc.rows("kernels")), default=math.nan)
        text += (f" ADOL-C's constants tape held at least {num(fixed, 6)} values on every kernel, so its "
                 "small kernels' figures are dominated by that fixed block.")
    if target:
        k = target["kernel"]
        slope_bytes = ratio(by_kernel[k].get("tape_bytes"), by_kernel[k].get("primal_ops"))
        text += (f" Target: at most {num(target['bytes_per_op_target'])} bytes/op on kernel {k}; Slope: "
                 f"{num(slope_bytes)} ({'met' if slope_bytes <= target['bytes_per_op_target'] else 'missed'}).")
    return text + "\n\n" + table(["kernel", "primal ops", "Slope B/op", "Slope nodes / edges", "ADOL-C trace B/op",
                                  "ADOL-C B/op incl. values"], rows)
