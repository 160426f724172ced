"""The report's replay section (slope_bench_replay): a `slope::Function` recorded once at x0 and
replayed at x1, on kernels a-g, against the issue's targets.

Times come from the binary's Google Benchmark JSON (medians of one run's repetitions, divided
within that run); the targets, instruction and edge counts from its summary rows. Without the
summary the ratios still show, with targets n/a."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from kernels import Series
from markdown import num, runs, table
from results import BinaryRun, kernel_names, kernel_rows, met, ratio

# The targets that the summary rows do not carry (slope_bench_replay prints the same).
RECORD_TARGET = 1.0  # replayed gradient / Slope's own record-and-sweep of the same kernel
HVP_TARGET = 4.0  # one Hessian-vector product / one replayed gradient
MINIMIZE_TARGET = 1.1  # one evaluation of minimize(lambda)'s taped objective / one replay


@dataclass
class ReplayFigures:
    ids: list[str]
    names: dict[str, str]
    targets: dict[str, float]  # replay/primal, 0.8 x the best replaying peer's
    shape: dict[str, tuple[float, float]]  # kernel -> (instructions, edges) of the Function
    at_x1: dict[str, str]  # kernel -> 'ok' / 'branch changed', when the log says
    cost: Series  # replay / primal
    vs_record: Series  # replay / record-and-sweep
    hvp: Series  # Hessian-vector product / replay
    minimize: Series  # an evaluation of minimize(lambda)'s objective / replay
    met: dict[str, str]  # kernel -> met / missed / mixed / n/a (cost against its target)

    def count(self, series: Series, target: float) -> list[str]:
        """Kernels whose figure is at most `target` in every run."""
        return [k for k in self.ids if met(series.values.get(k, []), target) == "met"]


def _per_run(label: str, run_list: list[BinaryRun], numerator: str, denominator: str) -> Series:
    s = Series(label)
    for run in run_list:
        for kernel, rows in kernel_rows(run).items():
            s.values.setdefault(kernel, []).append(ratio(rows.get(numerator), rows.get(denominator)))
    return s


def _at_x1(run: BinaryRun) -> dict[str, str]:
    """The binary's 'at x1' column (did a recorded comparison flip at x1?), read from its log."""
    out = {}
    try:
        text = run.log.read_text(errors="replace")
    except OSError:
        return out
    for match in re.finditer(r"^([a-z]) [a-z0-9_]+ +\|.*\| *(ok|branch changed) *$", text, re.M):
        out[match.group(1)] = match.group(2)
    return out


def collect(run_list: list[BinaryRun]) -> ReplayFigures | None:
    ok = [r for r in run_list if r.ok and kernel_rows(r)]
    if not ok:
        return None
    ids = sorted({k for r in ok for k in kernel_rows(r)})
    rows = {r["kernel"]: r for r in next((r.rows("replay") for r in ok if r.rows("replay")), [])}
    targets = {k: float(rows[k]["target"]) if k in rows and rows[k].get("target") is not None else math.nan
               for k in ids}
    shape = {k: (rows[k].get("instructions", math.nan), rows[k].get("edges", math.nan)) for k in rows}
    cost = _per_run("replay / primal", ok, "replay", "primal")
    return ReplayFigures(ids, kernel_names(ok[0]), targets, shape, _at_x1(ok[0]), cost,
                         _per_run("replay / record", ok, "replay", "record"),
                         _per_run("hvp / replay", ok, "hvp", "replay"),
                         _per_run("minimize / replay", ok, "minimize", "replay"),
                         {k: met(cost.values.get(k, []), targets[k]) for k in ids})


def section(f: ReplayFigures) -> str:
    rows = []
    for k in f.ids:
        instructions, edges = f.shape.get(k, (math.nan, math.nan))
        rows.append([f"{k} {f.names.get(k, '')}".strip(), num(f.targets[k]), runs(f.cost.values.get(k, [])), f.met[k],
                     runs(f.vs_record.values.get(k, [])), runs(f.minimize.values.get(k, [])),
                     runs(f.hvp.values.get(k, [])),
                     f"{num(instructions, 9)} / {num(edges, 9)}" if k in f.shape else "n/a", f.at_x1.get(k, "n/a")])
    flipped = [k for k in f.ids if f.at_x1.get(k) == "branch changed"]
    text = ("## Replay: record once, evaluate anywhere\n\n"
            "A `slope::Function` is recorded once at x0 (not timed); each timed call evaluates value and "
            "gradient at x1 by a forward replay and a reverse sweep, with no recording. *replay / primal* "
            "is its median time over the `double` kernel's, both from the same run; the issue's target is "
            "0.8 x the best replaying peer's figure (CppAD on a, b; CoDiPack's primal-value tape on c, e, g; "
            "ADOL-C on d, f), and *met* means at or under it in every run. *replay / record* compares it "
            f"with Slope recording and sweeping the same kernel at every call (target <= {num(RECORD_TARGET)}: "
            "replaying must not cost more than recording). *minimize / replay* is one evaluation of the "
            "objective `slope::minimize(lambda)` makes of the kernel's function of Vars once past its first "
            "50 evaluations, which are taped (those and the recording made before timing, as the "
            "Function's; then replayed) over one replay "
            f"(target <= {num(MINIMIZE_TARGET)}). *hvp / replay* is one Hessian-vector product "
            f"(forward over reverse) over one replayed gradient (target <= {num(HVP_TARGET)}). Instructions "
            "and edges are the Function's (a vector operation is one instruction). One cell per run; "
            "lower is better.")
    if flipped:
        text += (f" On {', '.join(flipped)} a recorded comparison comes out differently at x1, so the replay "
                 "reports `BranchChanged`; the replayed gradient there still passed the check against the "
                 "hand-written one before timing"
                 + (" (kernel c's comparisons only choose the maximum it shifts by, which cancels)"
                    if "c" in flipped else "") + ".")
    if all(math.isnan(t) for t in f.targets.values()):
        text += " The binary wrote no summary rows, so the targets are unknown here."
    text += "\n\n" + table(["kernel", "target", "replay / primal", "met?", "replay / record", "minimize / replay",
                            "hvp / replay",
                            "instructions / edges", "at x1"], rows)
    record_ok, hvp_ok = f.count(f.vs_record, RECORD_TARGET), f.count(f.hvp, HVP_TARGET)
    minimize_ok = f.count(f.minimize, MINIMIZE_TARGET)
    text += (f"\nreplay / record <= {num(RECORD_TARGET)} in every run on {len(record_ok)} of {len(f.ids)} kernels; "
             f"minimize / replay <= {num(MINIMIZE_TARGET)} on {len(minimize_ok)} of {len(f.ids)}; "
             f"hvp / replay <= {num(HVP_TARGET)} on {len(hvp_ok)} of {len(f.ids)}.\n")
    return text
