"""The 'where we lead, where we trail' summary, written from the numbers: every claim in it is a
ratio computed here (medians over runs), never a sentence typed in advance."""

from __future__ import annotations

import math

import replay
import threads
import vector_nodes
from front_end import LARGER_MODELS, LangFigures
from kernels import KernelFigures, Series
from markdown import factor, num
from replay import ReplayFigures
from results import median, met
from threads import ThreadFigures
from vector_nodes import VectorFigures

PAR = 0.05  # ratios within 5% of 1 count as on par: the machine's noise is larger than that


def _compare(r: float) -> str:
    """A time ratio ours/theirs in words, 'on par' within PAR of 1."""
    return f"on par ({num(r)})" if abs(r - 1) <= PAR else factor(r)


def _kernel_list(items: list[tuple[str, float]]) -> str:
    return ", ".join(f"{k} ({factor(r)})" for k, r in items)


def _against(ids: list[str], s: Series, label: str | None = None) -> str:
    """One line: where a ratio ours/theirs leads, trails or is on par, kernel by kernel."""
    values = [(k, s.median(k)) for k in ids if not math.isnan(s.median(k))]
    if not values:
        return ""
    lead = [(k, r) for k, r in values if r < 1 - PAR]
    trail = [(k, r) for k, r in values if r > 1 + PAR]
    par = [k for k, r in values if 1 - PAR <= r <= 1 + PAR]
    parts = []
    if lead:
        parts.append(f"leads on {len(lead)} of {len(values)} kernels: {_kernel_list(lead)}")
    if trail:
        parts.append(f"trails on {len(trail)}: {_kernel_list(trail)}")
    if par:
        parts.append(f"is on par (within {PAR:.0%}) on {', '.join(par)}")
    return f"- **{label or s.label}** (ours / theirs): Slope " + "; ".join(parts) + "."


def _replay(f: ReplayFigures) -> str:
    met_on = [k for k in f.ids if f.met[k] == "met"]
    known = [k for k in f.ids if f.met[k] != "n/a"]
    if not known:
        return ""
    missed = [(k, f.cost.median(k) / f.targets[k]) for k in f.ids if f.met[k] == "missed"]
    mixed = [k for k in f.ids if f.met[k] == "mixed"]
    text = (f"- **Replay targets** (replayed gradient / primal <= 0.8 x the best replaying peer's): met in every "
            f"run on {len(met_on)} of {len(known)} kernels" + (f" ({', '.join(met_on)})" if met_on else ""))
    if missed:
        text += "; missed on " + ", ".join(f"{k} ({num(r)}x over)" for k, r in missed)
    if mixed:
        text += f"; met in some runs only on {', '.join(mixed)}"
    record = [f.vs_record.median(k) for k in f.ids if not math.isnan(f.vs_record.median(k))]
    hvp = [f.hvp.median(k) for k in f.ids if not math.isnan(f.hvp.median(k))]
    if record:
        text += (f". Replay / record-and-sweep {num(min(record))} to {num(max(record))} (target <= "
                 f"{num(replay.RECORD_TARGET)}: met on {len(f.count(f.vs_record, replay.RECORD_TARGET))} of "
                 f"{len(f.ids)})")
    minimize = [f.minimize.median(k) for k in f.ids if not math.isnan(f.minimize.median(k))]
    if minimize:
        text += (f"; an evaluation of minimize(lambda)'s objective / replay {num(min(minimize))} to "
                 f"{num(max(minimize))} (target <= {num(replay.MINIMIZE_TARGET)}: met on "
                 f"{len(f.count(f.minimize, replay.MINIMIZE_TARGET))} of {len(f.ids)})")
    if hvp:
        text += (f"; Hessian-vector product / replay {num(min(hvp))} to {num(max(hvp))} (target <= "
                 f"{num(replay.HVP_TARGET)}: met on {len(f.count(f.hvp, replay.HVP_TARGET))} of {len(f.ids)})")
    return text + "."


def _vector_nodes(f: VectorFigures) -> list[str]:
    """The vector-node targets, then libtorch kernel by kernel (or why it is missing)."""
    lines = []
    primal_target, fraction = vector_nodes.PRIMAL_TARGET, vector_nodes.TORCH_FRACTION
    if f.ids:
        primal = f.kernel["vector/primal"]
        under = [k for k in f.ids if met(primal.values.get(k, []), primal_target) == "met"]
        both = [k for k in under if not f.has_torch or vector_nodes.torch_met(f, k) == "met"]
        over = [(k, primal.median(k)) for k in f.ids if k not in under]
        text = (f"- **Vector-node targets** (gradient / primal <= {num(primal_target)}"
                + (f" and <= {num(fraction)} x libtorch's" if f.has_torch else "")
                + f"): met in every run on {len(both)} of {len(f.ids)} kernels"
                + (f" ({', '.join(both)})" if both else ""))
        if over:
            text += f"; gradient / primal over {num(primal_target)} on " + ", ".join(f"{k} ({num(r)})" for k, r in over)
        slow = [(k, f.kernel["vector/torch"].median(k)) for k in f.ids
                if f.has_torch and vector_nodes.torch_met(f, k) in ("missed", "mixed")]
        if slow:
            text += f"; over {num(fraction)} x libtorch's on " + ", ".join(
                f"{k} ({num(r)} of its time)" for k, r in slow)
        lines.append(text + ".")
    if f.large:
        g = f.large_figures
        lines.append(f"- **Logistic {vector_nodes.large_size(f)} with vector nodes**: {num(median(g['vector/hand']))}x "
                     f"the hand-written gradient's time, both of sum(y z - softplus(z)) (target <= "
                     f"{num(vector_nodes.HAND_TARGET)}: {met(g['vector/hand'], vector_nodes.HAND_TARGET)}); "
                     f"recorded with scalar operations {num(median(g['scalar/hand']))}x, both of the kernel's "
                     "y log s + (1 - y) log(1 - s).")
    if not f.has_torch:
        lines.append("- **libtorch**: not measured (slope_bench_vector_nodes was built without Torch).")
        return lines
    torch = _against(f.ids, f.kernel["vector/torch"], "Slope vector nodes / libtorch") if f.ids else ""
    if f.large:
        large = f"logistic {vector_nodes.large_size(f)}: {_compare(median(f.large_figures['vector/torch']))}"
        torch = (torch[:-1] + f"; {large}." if torch
                 else f"- **Slope vector nodes / libtorch** (ours / theirs): {large}.")
    if torch:
        lines.append(torch)
    return lines


def _threads(f: ThreadFigures) -> str:
    vector, scalar = median(f.values["speedup/vector"]), median(f.values["speedup/scalar"])
    if math.isnan(vector) and math.isnan(scalar):
        return ""
    target = threads.SPEEDUP_TARGET
    return (f"- **Threads** (logistic {f.size}, wall time): 2 threads are {num(vector)}x as fast as 1 with vector "
            f"nodes (target >= {num(target)}: {met(f.values['speedup/vector'], target, at_most=False)}), "
            f"{num(scalar)}x with scalar operations; vector nodes on 2 threads take "
            f"{num(median(f.values['vector2/hand']))}x the single-threaded hand-written gradient's time (both of "
            "sum(y z - softplus(z))).")


def _language(f: LangFigures) -> str:
    vectorized, index_sum = median(f.values["vectorized/hand"]), median(f.values["index_sum/vectorized"])
    if math.isnan(vectorized) and math.isnan(index_sum):
        return ""
    text = (f"- **Language front end** ({f.size}): a vectorized `.slope` model takes {num(vectorized)}x the "
            f"hand-written C++ gradient's time, the index-sum form {num(index_sum)}x the vectorized one; "
            f"parsing and checking costs {num(median(f.values['parse/vectorized']))} evaluations.")
    names = dict(LARGER_MODELS)
    for model, figures in f.larger.items():
        text += (f" {names[model].capitalize()} ({f.larger_sizes[model]}): {num(median(figures['slope/hand']))}x "
                 "the hand-written gradient's time")
        text += (f", against libtorch (one thread) {_compare(median(figures['slope/torch']))}." if f.has_torch
                 else " (libtorch not built).")
    return text


def summary(f: KernelFigures | None, optimizer: dict[str, list[float]] | None, scaling: dict | None,
            memory: tuple[str, float, float] | None, replayed: ReplayFigures | None = None,
            vector: VectorFigures | None = None, threaded: ThreadFigures | None = None,
            language: LangFigures | None = None) -> str:
    """One line per figure that matters, in the order of the sections below."""
    lines = []
    if f and f.met:
        slope = f.cost[0]
        met_on = [k for k in f.ids if f.met[k] == "met"]
        missed = [(k, slope.median(k) / f.targets[k]) for k in f.ids if f.met[k] == "missed"]
        mixed = [k for k in f.ids if f.met[k] == "mixed"]
        text = f"- **Targets (gradient/primal)**: met in every run on {len(met_on)} of {len(f.ids)} kernels"
        text += f" ({', '.join(met_on)})" if met_on else ""
        if missed:
            text += "; missed on " + ", ".join(f"{k} ({num(r)}x over)" for k, r in missed)
        if mixed:
            text += f"; met in some runs only on {', '.join(mixed)}"
        lines.append(text + ".")
    if f:
        for s in f.vs_hand[:1]:
            values = [s.median(k) for k in f.ids if not math.isnan(s.median(k))]
            if values:
                lines.append(f"- **Against hand-written gradients**: Slope takes {num(min(values))}x to "
                             f"{num(max(values))}x their time (median over kernels {num(median(values))}x).")
        lines += [line for s in f.vs_peer if (line := _against(f.ids, s))]
    if memory:
        kernel, ours, target = memory
        lines.append(f"- **Tape memory** on kernel {kernel}: {num(ours)} bytes per operation, target {num(target)} "
                     f"({'met' if ours <= target else 'missed'}).")
    if replayed and (line := _replay(replayed)):
        lines.append(line)
    if vector:
        lines += _vector_nodes(vector)
    if threaded and (line := _threads(threaded)):
        lines.append(line)
    if scaling:
        parts = []
        for shape, points in scaling.items():
            medians = [median(t) for _, t, _ in points]
            parts.append(f"{shape} {num(max(medians) / min(medians))}x")
        lines.append("- **Scaling**: ns/node varies by at most " + ", ".join(parts)
                     + " (max/min over sizes) from the smallest to the largest graph.")
    if optimizer:
        for peer, title in (("lbfgspp", "LBFGSpp"), ("liblbfgs", "liblbfgs")):
            evaluations = median(optimizer.get(f"evaluations/{peer}", []))
            per_iteration = median(optimizer.get(f"per_iteration/{peer}", []))
            whole = median(optimizer.get(f"time/{peer}", []))
            if not math.isnan(evaluations):
                lines.append(f"- **L-BFGS against {title}** (median over problems both solved): "
                             f"{num(evaluations)}x its evaluations, time per iteration {_compare(per_iteration)}, "
                             f"whole runs {_compare(whole)}.")
    if language and (line := _language(language)):
        lines.append(line)
    if not lines:
        return ""
    return ("## Where we lead, where we trail\n\nComputed from the tables below (medians over runs; "
            f"ratios within {PAR:.0%} of 1 count as on par).\n\n" + "\n".join(lines) + "\n")
