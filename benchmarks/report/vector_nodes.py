"""The report's vector-node section (slope_bench_vector_nodes): kernels a, c, d, e, f written with
vector operations, against the primal, the hand-written gradient and libtorch (CPU, one thread),
and the logistic regression at 100,000 x 50 also recorded with scalar operations.

Every figure divides two medians of the same run (rows interleaved at random in one process), and
one formula by the same formula: the logistic kernels' vector form and libtorch compute
sum(y z - softplus(z)), and are divided by the binary's primal_softplus and hand_softplus rows (that
formula's primal and hand-written gradient) rather than by the kernel's y log s + (1 - y) log(1 - s);
kernel e takes log(sigma) per observation in every row. The one exception, scalar / vector on the
large logistic kernel, divides the kernel's formula by the softplus one and says so.
libtorch's rows exist only when CMake found Torch; without them its columns say n/a and the text
says why."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from kernels import Series
from markdown import num, runs, table
from results import ANY_KERNEL_ROW, BinaryRun, kernel_names, kernel_rows, met, ratio

# The targets; the binary prints the same but writes no summary rows.
PRIMAL_TARGET = 3.0  # vector nodes' gradient / primal on each kernel
TORCH_FRACTION = 0.8  # ... and at most this fraction of libtorch's gradient / primal
HAND_TARGET = 1.5  # large logistic regression: vector nodes / hand-written
LARGE_TORCH_TARGET = 1.0  # large logistic regression: vector nodes / libtorch, strictly under


@dataclass
class VectorFigures:
    ids: list[str]  # kernels a-g that have vector forms
    names: dict[str, str]
    has_torch: bool
    kernel: dict[str, Series] = field(default_factory=dict)  # 'vector/primal'... -> per kernel, per run
    large: str | None = None  # the large kernel's id ('L'), None when the binary has no such rows
    large_name: str = ""
    large_figures: dict[str, list[float]] = field(default_factory=dict)  # 'vector/hand'... -> per run


# Rows that compute the logistic log-likelihood as sum(y z - softplus(z)) (libtorch's
# binary_cross_entropy_with_logits is that formula too): where the kernel has primal_softplus and
# hand_softplus rows, their 'primal' and 'hand' denominators are those.
SOFTPLUS_ROWS = ("vector", "torch")


def _denominator(rows: dict[str, float], a: str, b: str) -> str:
    """The row that `a` is divided by for the figure 'a/b': b, or b's softplus-formula row."""
    if a in SOFTPLUS_ROWS and b in ("primal", "hand") and f"{b}_softplus" in rows:
        return f"{b}_softplus"
    return b


def _ratios(run_list: list[BinaryRun], kernel: str | None, pairs: list[tuple[str, str]]) -> dict[str, list[float]]:
    """'a/b' -> one value per run, for one kernel's rows (b of a's formula: see _denominator)."""
    out: dict[str, list[float]] = {}
    for run in run_list:
        rows = kernel_rows(run, ANY_KERNEL_ROW).get(kernel, {})
        for a, b in pairs:
            out.setdefault(f"{a}/{b}", []).append(ratio(rows.get(a), rows.get(_denominator(rows, a, b))))
    return out


KERNEL_PAIRS = [("vector", "primal"), ("torch", "primal"), ("vector", "torch"), ("vector", "hand"),
                ("hand", "primal")]
LARGE_PAIRS = [("vector", "hand"), ("scalar", "hand"), ("torch", "hand"), ("vector", "torch"),
               ("vector", "primal"), ("scalar", "vector")]


def collect(run_list: list[BinaryRun]) -> VectorFigures | None:
    ok = [r for r in run_list if r.ok and r.medians]
    if not ok:
        return None
    ids = sorted({k for r in ok for k in kernel_rows(r)})
    everything = kernel_names(ok[0], ANY_KERNEL_ROW)
    has_torch = any(name.endswith("/torch") for r in ok for name in r.medians)
    f = VectorFigures(ids, everything, has_torch)
    for k in ids:
        for pair, values in _ratios(ok, k, KERNEL_PAIRS).items():
            f.kernel.setdefault(pair, Series(pair)).values[k] = values
    large = [k for k in everything if k.isupper()]
    if large:
        f.large, f.large_name = large[0], everything[large[0]]
        f.large_figures = _ratios(ok, f.large, LARGE_PAIRS)
    return f


def large_size(f: VectorFigures) -> str:
    """'100,000 x 50' from a kernel name like 'logistic_100000x50'."""
    match = re.search(r"(\d+)x(\d+)", f.large_name)
    return f"{int(match.group(1)):,} x {match.group(2)}" if match else f.large_name


def torch_met(f: VectorFigures, k: str) -> str:
    return met(f.kernel["vector/torch"].values.get(k, []), TORCH_FRACTION) if f.has_torch else "n/a"


def section(f: VectorFigures, plot: str | None) -> str:
    def cell(pair: str, k: str) -> str:
        return runs(f.kernel[pair].values.get(k, []))

    rows = [[f"{k} {f.names.get(k, '')}".strip(), cell("vector/primal", k),
             met(f.kernel["vector/primal"].values.get(k, []), PRIMAL_TARGET), cell("torch/primal", k),
             cell("vector/torch", k), torch_met(f, k), cell("vector/hand", k), cell("hand/primal", k)]
            for k in f.ids]
    text = ("## Vector nodes, and libtorch\n\n"
            "The kernels that have a vector form, written with Slope's vector operations (one `sum`, "
            "`log_sum_exp`, matrix product, `squared_norm`, matrix-vector product with `softplus` and `dot`: "
            "one node each instead of one per scalar operation), recorded and swept at every call like the "
            "scalar gradient. libtorch builds its graph at every call too (CPU, one thread). Each figure "
            "divides two medians of the same run, and one formula by the same formula: kernel e takes "
            "log(sigma) once per observation in every row (the vector form as log of a broadcast sigma); "
            "the logistic kernels' vector form and libtorch compute sum(y z - softplus(z)), so their *primal* "
            "and *hand* are a primal and a hand-written gradient of that formula, not of the kernel's "
            "y log s + (1 - y) log(1 - s) (*hand / primal* is the kernel's own pair). One cell per run, lower "
            "is better. The issue's targets: "
            f"vector nodes' gradient / primal at most {num(PRIMAL_TARGET)} *and* at most {num(TORCH_FRACTION)} x "
            f"libtorch's, i.e. *vector / torch* <= {num(TORCH_FRACTION)}; *met* means in every run.")
    if not f.has_torch:
        text += (" **libtorch was not measured**: the binary was built without Torch (Debian: "
                 "libtorch-dev), so its columns say n/a.")
    text += "\n\n" + table(["kernel", "vector / primal", f"<= {num(PRIMAL_TARGET)}?", "torch / primal",
                            "vector / torch", f"<= {num(TORCH_FRACTION)}?", "vector / hand", "hand / primal"], rows)
    if plot:
        text += f"\n![gradient/primal with vector nodes and with libtorch]({plot})\n"
    if f.large:
        g = f.large_figures
        targets = {"vector/hand": (HAND_TARGET, "<="), "vector/torch": (LARGE_TORCH_TARGET, "<")}
        rows = []
        for pair, what in (("vector/hand", "vector nodes / hand-written"),
                           ("scalar/hand", "scalar operations / hand-written"),
                           ("torch/hand", "libtorch / hand-written"), ("vector/torch", "vector nodes / libtorch"),
                           ("vector/primal", "vector nodes / primal"),
                           ("scalar/vector", "scalar operations / vector nodes (kernel's formula / softplus)")):
            target, sign = targets.get(pair, (math.nan, ""))
            verdict = ""
            if not math.isnan(target) and not all(math.isnan(v) for v in g[pair]):
                ok = {v < target if sign == "<" else v <= target for v in g[pair] if not math.isnan(v)}
                verdict = "met" if ok == {True} else "missed" if ok == {False} else "mixed"
            rows.append([what, f"{sign} {num(target)}" if sign else "", runs(g[pair]), verdict])
        text += (f"\n**Logistic log-likelihood, {large_size(f)}** (passive X, the gradient with respect to w "
                 "and b): the same model recorded with scalar operations, with vector nodes, written by hand "
                 "and in libtorch. Scalar operations record the kernel's formula and are divided by its "
                 "hand-written gradient; vector nodes and libtorch compute sum(y z - softplus(z)) and are "
                 "divided by the hand-written gradient and primal of that formula.\n\n" + table(["figure", "target", "value", "met?"], rows))
    return text
