"""The report's threads section (slope_bench_threads): `parallel_sum_gradient` on the logistic
regression of 100,000 x 50, on 1 and 2 threads of a persistent pool, with a pool made per call,
and the single-threaded hand-written gradients.

The vector-node rows record sum(y z - softplus(z)), the scalar rows the kernel's
y log s + (1 - y) log(1 - s): each row is divided by the hand-written gradient of its own formula
('hand_softplus' or 'hand'); scalar / vector, which divides one formula by the other, says so.

The rows use Google Benchmark's real time: the work runs on several threads, and the calling
thread's CPU time would leave out the time it waits for the other one. Ratios are of medians from
the same run."""

from __future__ import annotations

import math
from dataclasses import dataclass

from markdown import num, runs, table
from results import BinaryRun, met, ratio

SPEEDUP_TARGET = 1.7  # the issue's: 2 threads at least this many times as fast as 1

# (key, numerator row, denominator row, what it says, target as 'at least' or None). Every pair
# computes one formula, except scalar/vector (said in its text).
FIGURES = [
    ("speedup/vector", "vector_1_thread", "vector_2_threads", "speedup 1 -> 2 threads, vector nodes", SPEEDUP_TARGET),
    ("speedup/scalar", "scalar_1_thread", "scalar_2_threads", "speedup 1 -> 2 threads, scalar operations",
     SPEEDUP_TARGET),
    ("vector2/hand", "vector_2_threads", "hand_softplus", "vector nodes on 2 threads / hand-written on 1", None),
    ("vector1/hand", "vector_1_thread", "hand_softplus", "vector nodes on 1 thread / hand-written", None),
    ("speedup/grain", "grain_1_thread", "grain_2_threads",
     "speedup 1 -> 2 threads, vector nodes in pieces of 1024 rows (grain)", None),
    ("grain2/hand", "grain_2_threads", "hand_softplus",
     "vector nodes in pieces of 1024 rows, 2 threads / hand-written on 1", None),
    ("grain1/hand", "grain_1_thread", "hand_softplus", "vector nodes in pieces of 1024 rows, 1 thread / hand-written",
     None),
    ("scalar1/hand", "scalar_1_thread", "hand", "scalar operations on 1 thread / hand-written", None),
    ("spawned/pooled", "vector_2_threads_spawned", "vector_2_threads",
     "2 threads spawned per call / persistent pool", None),
    ("scalar/vector", "scalar_2_threads", "vector_2_threads",
     "scalar operations / vector nodes, 2 threads (the kernel's formula / the softplus one)", None),
]


@dataclass
class ThreadFigures:
    values: dict[str, list[float]]  # FIGURES key -> one value per run
    size: str  # '100000 x 50', from the log
    hardware_threads: str  # from the log, '?' if it does not say


def _wall(run: BinaryRun, row: str) -> float:
    """A row's median wall-clock time; Google Benchmark names real-time rows '<row>/real_time'."""
    for name in (f"{row}/real_time", row):
        if name in run.wall:
            return run.wall[name]
    return math.nan


def collect(run_list: list[BinaryRun]) -> ThreadFigures | None:
    ok = [r for r in run_list if r.ok and r.wall]
    if not ok:
        return None
    values = {key: [ratio(_wall(r, a), _wall(r, b)) for r in ok] for key, a, b, _, _ in FIGURES}
    size = ok[0].log_match(r"logistic regression (\d+) x (\d+)")
    threads = ok[0].log_match(r"(\d+) hardware threads")
    return ThreadFigures(values, f"{int(size.group(1)):,} x {size.group(2)}" if size else "a large data set",
                         threads.group(1) if threads else "?")


def section(f: ThreadFigures) -> str:
    rows = []
    for key, _, _, what, target in FIGURES:
        rows.append([what, f">= {num(target)}" if target else "", runs(f.values[key]),
                     met(f.values[key], target, at_most=False) if target else ""])
    return ("## Threads: parallel gradients\n\n"
            f"`parallel_sum_gradient` on the logistic log-likelihood of {f.size} (passive X): the rows are "
            "split into contiguous shards, each recorded on its worker's own tape (with vector nodes or "
            "with scalar operations) and the gradients summed. Times are wall-clock medians (the work runs "
            "on several threads), ratios within one run, one cell per run. The pool is made once and kept, "
            "except in the *spawned* row, which makes its threads at every call. The vector-node rows record "
            "the log-likelihood as sum(y z - softplus(z)) and are divided by a hand-written gradient of that "
            "formula; the scalar rows record the kernel's y log s + (1 - y) log(1 - s) and are divided by the "
            "kernel's hand-written gradient. The issue's target: 2 "
            f"threads at least {num(SPEEDUP_TARGET)}x as fast as 1; *met* means in every run. The machine "
            f"has {f.hardware_threads} hardware threads and is shared, so a 2-thread row also measures "
            "whether both cores were free.\n\n"
            + table(["figure", "target", "value", "met?"], rows))
