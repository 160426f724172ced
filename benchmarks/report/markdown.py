"""Markdown helpers shared by the report's sections."""

from __future__ import annotations

import math


def num(v: float, digits: int = 3) -> str:
    """A figure with `digits` significant digits; n/a for NaN."""
    if v is None or math.isnan(v):
        return "n/a"
    if abs(v) >= 10 ** digits:
        return f"{v:.0f}"
    return f"{v:.{digits}g}"


def runs(values: list[float], digits: int = 3) -> str:
    """One figure per run, 'run 1 / run 2'; a single n/a when no run has it."""
    if all(v is None or math.isnan(v) for v in values):
        return "n/a"
    return " / ".join(num(v, digits) for v in values)


def table(header: list[str], rows: list[list[str]]) -> str:
    """A markdown table: the first column left-aligned, the others right-aligned."""
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join([":---"] + ["---:"] * (len(header) - 1)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def factor(r: float) -> str:
    """How far a ratio ours/theirs is from 1, in words: '2.1x faster' or '1.3x slower'."""
    if math.isnan(r):
        return "n/a"
    return f"{1 / r:.2g}x faster" if r < 1 else f"{r:.2g}x slower"
