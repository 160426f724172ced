"""The report's plots, drawn by gnuplot (Debian: gnuplot-nox) from data files written here. Without
gnuplot the report keeps its tables and says that the plots were skipped."""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path


def available() -> bool:
    return shutil.which("gnuplot") is not None


def _value(v: float) -> str:
    return "NaN" if v is None or math.isnan(v) else f"{v:.6g}"


def _gnuplot(script: str, data: Path) -> bool:
    script_file = data.with_suffix(".gp")
    script_file.write_text(script)
    result = subprocess.run(["gnuplot", str(script_file)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(f"warning: gnuplot failed on {script_file}: {result.stderr.strip()}")
    return result.returncode == 0


def ratio_bars(path: Path, work: Path, kernels: list[str], series: dict[str, list[float]],
               title: str = "Cost of one gradient, per kernel and library (median CPU time, same process as the primal)"
               ) -> bool:
    """Gradient time / primal time per kernel (clusters) and library (bars), on a log axis."""
    data = work / (path.stem + ".dat")
    names = list(series)
    lines = ["kernel " + " ".join(f'"{n}"' for n in names)]
    for k, kernel in enumerate(kernels):
        lines.append(f'"{kernel}" ' + " ".join(_value(series[n][k]) for n in names))
    data.write_text("\n".join(lines) + "\n")
    plots = ", ".join(f"'{data}' using {i + 2}:xtic(1) title columnheader({i + 2})" for i in range(len(names)))
    width = max(900, 80 + 24 * len(kernels) * (len(names) + 1))  # room for each cluster's label
    script = f"""set terminal pngcairo size {width},520 font ",10" noenhanced
set output '{path}'
set datafile missing "NaN"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set yrange [0.5:*]
set grid ytics
set ylabel "gradient time / primal time (log scale; lower is better)"
set key top left
set title "{title}"
plot {plots}
"""
    return _gnuplot(script, data)


def scaling(path: Path, work: Path, curves: dict[str, list[tuple[float, float]]]) -> bool:
    """ns per node against nodes, log-log: a flat line is a cost linear in the graph's size."""
    data = work / (path.stem + ".dat")
    blocks = []
    for name, points in curves.items():
        blocks.append(f'"{name}"\n' + "\n".join(f"{n:.0f} {_value(t)}" for n, t in points))
    data.write_text("\n\n\n".join(blocks) + "\n")
    sizes = [n for points in curves.values() for n, _ in points]
    low, high = min(sizes), max(sizes)
    plots = ", ".join(f"'{data}' index {i} using 1:2 with linespoints lw 2 pt 7 title columnheader(1)"
                      for i in range(len(curves)))
    script = f"""set terminal pngcairo size 900,520 font ",10" noenhanced
set output '{path}'
set logscale xy
set xrange [{low / 2:g}:{high * 2:g}]
set format x "1e%L"
set grid xtics ytics mxtics mytics
set xlabel "nodes on the tape"
set ylabel "record + sweep time per node, ns (log scale)"
set yrange [*:*]
set key top right
set title "Scaling: time per node against graph size (flat = linear total cost)"
plot {plots}
"""
    return _gnuplot(script, data)
