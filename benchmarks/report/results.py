"""Reading a report's raw outputs: per binary and run, the exit status, Google Benchmark's JSON
(median CPU time per benchmark row, computed here from the repetitions) and the binary's own
summary rows (--summary_out), when it writes them."""

from __future__ import annotations

import json
import math
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

NS_PER_UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


@dataclass
class BinaryRun:
    """One run of one benchmark binary."""

    name: str  # slope_bench_<name>
    run: int
    status: int | None  # exit status; None if it did not finish
    log: Path
    medians: dict[str, float] = field(default_factory=dict)  # benchmark row -> median CPU ns
    wall: dict[str, float] = field(default_factory=dict)  # benchmark row -> median wall-clock ns
    rates: dict[str, float] = field(default_factory=dict)  # benchmark row -> median items_per_second
    cvs: dict[str, float] = field(default_factory=dict)  # benchmark row -> coefficient of variation
    repetitions: dict[str, int] = field(default_factory=dict)
    summary: list[dict] | None = None  # the --summary_out rows, when the binary writes them

    @property
    def ok(self) -> bool:
        return self.status == 0

    def rows(self, table: str) -> list[dict]:
        """The summary rows of one of the binary's tables."""
        return [r for r in self.summary or [] if r.get("table") == table]

    def log_match(self, pattern: str) -> re.Match | None:
        """The first match of `pattern` in the binary's printed output (sizes it reports there)."""
        try:
            return re.search(pattern, self.log.read_text(errors="replace"), re.M)
        except OSError:
            return None


def _read_benchmark_json(path: Path, run: BinaryRun) -> None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return
    times: dict[str, list[float]] = {}
    wall: dict[str, list[float]] = {}
    rates: dict[str, list[float]] = {}
    for b in data.get("benchmarks", []):
        if b.get("run_type") != "iteration" or b.get("error_occurred"):
            continue
        name = b.get("run_name", b["name"])
        unit = NS_PER_UNIT.get(b.get("time_unit", "ns"), 1.0)
        times.setdefault(name, []).append(b["cpu_time"] * unit)
        wall.setdefault(name, []).append(b.get("real_time", math.nan) * unit)
        if "items_per_second" in b:
            rates.setdefault(name, []).append(b["items_per_second"])
    run.wall = {name: median(values) for name, values in wall.items()}
    run.rates = {name: statistics.median(values) for name, values in rates.items()}
    for name, values in times.items():
        run.medians[name] = statistics.median(values)
        run.repetitions[name] = len(values)
        if len(values) > 1 and statistics.mean(values) > 0:
            run.cvs[name] = statistics.stdev(values) / statistics.mean(values)


def load(results: Path) -> dict[str, list[BinaryRun]]:
    """Every binary's runs, by the binary's short name, each list ordered by run number."""
    out: dict[str, list[BinaryRun]] = {}
    for log in sorted(results.glob("*.log")):
        match = re.fullmatch(r"(.+)\.(\d+)\.log", log.name)
        if not match:
            continue
        name, number = match.group(1), int(match.group(2))
        stem = results / f"{name}.{number}"
        status_file = stem.with_name(stem.name + ".status")
        status = int(status_file.read_text().strip()) if status_file.exists() else None
        run = BinaryRun(name, number, status, log)
        _read_benchmark_json(stem.with_name(stem.name + ".benchmark.json"), run)
        summary_file = stem.with_name(stem.name + ".summary.json")
        if summary_file.exists():
            try:
                run.summary = json.loads(summary_file.read_text())["rows"]
            except (OSError, ValueError, KeyError):
                run.summary = None
        out.setdefault(name, []).append(run)
    for runs in out.values():
        runs.sort(key=lambda r: r.run)
    return out


def number(value) -> float:
    """A summary field as a float: None (JSON null) becomes NaN."""
    return math.nan if value is None else float(value)


def ratio(a, b) -> float:
    a, b = number(a), number(b)
    return a / b if b and not math.isnan(a) and not math.isnan(b) else math.nan


def median(values) -> float:
    values = [v for v in values if not math.isnan(v)]
    return statistics.median(values) if values else math.nan


def met(values: list[float], target: float, at_most: bool = True) -> str:
    """'met' if every run's figure is on the right side of the target (at most, or at least, it),
    'missed' if none is, 'mixed' otherwise; 'n/a' without figures or target."""
    verdicts = {(v <= target) if at_most else (v >= target) for v in values if not math.isnan(v)}
    if not verdicts or math.isnan(target):
        return "n/a"
    return "met" if verdicts == {True} else "missed" if verdicts == {False} else "mixed"


KERNEL_ROW = re.compile(r"([a-z])_([a-z0-9_]+)/([A-Za-z0-9_]+)$")
ANY_KERNEL_ROW = re.compile(r"([A-Za-z])_([A-Za-z0-9_]+)/([A-Za-z0-9_]+)$")  # also vector_nodes' 'L_...'


def kernel_rows(run: BinaryRun, pattern: re.Pattern = KERNEL_ROW) -> dict[str, dict[str, float]]:
    """Benchmark rows named like gradient_cost's, '<id>_<kernel>/<row>': kernel id -> row -> median
    ns. This is how the report reads binaries it does not know, and the kernels of replay and
    vector nodes. The default pattern takes kernels a-g only (lower-case ids)."""
    out: dict[str, dict[str, float]] = {}
    for name, ns in run.medians.items():
        match = pattern.match(name)
        if match:
            out.setdefault(match.group(1), {})[match.group(3)] = ns
    return out


def kernel_names(run: BinaryRun, pattern: re.Pattern = KERNEL_ROW) -> dict[str, str]:
    """Kernel id -> kernel name, from the rows' names."""
    out = {}
    for name in run.medians:
        match = pattern.match(name)
        if match:
            out[match.group(1)] = match.group(2)
    return out
