"""The 'where we lead, where we trail' summary, written from the numbers: every claim in it is a
ratio computed here (medians over runs), never a sentence typed in advance."""

from __future__ import annotations

import math

from kernels import KernelFigures, Series
from markdown import factor, num
from results import median

PAR = 0.05  # ratios within 5% of 1 count as on par: the machine's noise is larger than that


def _compare(r: float) -> str:
    """A time ratio ours/theirs in words, 'on par' within PAR of 1."""
    return f"on par ({num(r)})" if abs(r - 1) <= PAR else factor(r)


def _kernel_list(f: KernelFigures, items: list[tuple[str, float]]) -> str:
    return ", ".join(f"{k} ({factor(r)})" for k, r in items)


def _against(f: KernelFigures, s: Series) -> str:
    values = [(k, s.median(k)) for k in f.ids if not math.isnan(s.median(k))]
    if not values:
        return ""
    lead = [(k, r) for k, r in values if r < 1 - PAR]
    trail = [(k, r) for k, r in values if r > 1 + PAR]
    par = [k for k, r in values if 1 - PAR <= r <= 1 + PAR]
    parts = []
    if lead:
        parts.append(f"leads on {len(lead)} of {len(values)} kernels: {_kernel_list(f, lead)}")
    if trail:
        parts.append(f"trails on {len(trail)}: {_kernel_list(f, trail)}")
    if par:
        parts.append(f"is on par (within {PAR:.0%}) on {', '.join(par)}")
    return f"- **{s.label}** (ours / theirs): Slope " + "; ".join(parts) + "."


def summary(f: KernelFigures | None, optimizer: dict[str, list[float]] | None, scaling: dict | None,
            memory: tuple[str, float, float] | None) -> str:
    lines = []
    if f and f.met:
        slope = f.cost[0]
        met = [k for k in f.ids if f.met[k] == "met"]
        missed = [(k, slope.median(k) / f.targets[k]) for k in f.ids if f.met[k] == "missed"]
        mixed = [k for k in f.ids if f.met[k] == "mixed"]
        text = f"- **Targets (gradient/primal)**: met in every run on {len(met)} of {len(f.ids)} kernels"
        text += f" ({', '.join(met)})" if met else ""
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
        lines += [line for s in f.vs_peer if (line := _against(f, s))]
    if memory:
        kernel, ours, target = memory
        lines.append(f"- **Tape memory** on kernel {kernel}: {num(ours)} bytes per operation, target {num(target)} "
                     f"({'met' if ours <= target else 'missed'}).")
    if optimizer:
        for peer, title in (("lbfgspp", "LBFGSpp"), ("liblbfgs", "liblbfgs")):
            evaluations = median(optimizer.get(f"evaluations/{peer}", []))
            per_iteration = median(optimizer.get(f"per_iteration/{peer}", []))
            whole = median(optimizer.get(f"time/{peer}", []))
            if not math.isnan(evaluations):
                lines.append(f"- **L-BFGS against {title}** (median over problems both solved): "
                             f"{num(evaluations)}x its evaluations, time per iteration {_compare(per_iteration)}, "
                             f"whole runs {_compare(whole)}.")
    if scaling:
        parts = []
        for shape, points in scaling.items():
            medians = [median(t) for _, t, _ in points]
            parts.append(f"{shape} {num(max(medians) / min(medians))}x")
        lines.append("- **Scaling**: ns/node varies by at most " + ", ".join(parts)
                     + " (max/min over sizes) from the smallest to the largest graph.")
    if not lines:
        return ""
    return ("## Where we lead, where we trail\n\nComputed from the tables below (medians over runs; "
            f"ratios within {PAR:.0%} of 1 count as on par).\n\n" + "\n".join(lines) + "\n")
