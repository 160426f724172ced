"""What the report's header says about where and how it was measured: date, CPU, cores,
compiler and flags (from the build's CMakeCache), and the commit."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
from pathlib import Path


def _run(*command: str, cwd: Path | None = None) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False, cwd=cwd).stdout
    except OSError:
        return ""


def _cmake_cache(build: Path) -> dict[str, str]:
    cache = {}
    try:
        for line in (build / "CMakeCache.txt").read_text().splitlines():
            match = re.match(r"([A-Za-z0-9_]+):[A-Z]+=(.*)", line)
            if match:
                cache[match.group(1)] = match.group(2)
    except OSError:
        pass
    return cache


def describe(build: Path, root: Path) -> dict[str, str]:
    """Header fields, each a short string ("unknown" when it cannot be found)."""
    lscpu = _run("lscpu")
    model = re.search(r"^Model name:\s*(.+)$", lscpu, re.M)
    cpus = re.search(r"^CPU\(s\):\s*(\d+)$", lscpu, re.M)
    cache = _cmake_cache(build)
    compiler = cache.get("CMAKE_CXX_COMPILER", "c++")
    version = (_run(compiler, "--version").splitlines() or ["unknown"])[0]
    build_type = cache.get("CMAKE_BUILD_TYPE", "")
    flags = " ".join(
        f for f in [cache.get("CMAKE_CXX_FLAGS", ""), cache.get(f"CMAKE_CXX_FLAGS_{build_type.upper()}", "")] if f)
    if cache.get("SLOPE_NATIVE", "").upper() in ("ON", "TRUE", "1"):
        flags += " -march=native"
    debug_checks = cache.get("SLOPE_DEBUG_CHECKS", "unknown")
    commit = _run("git", "rev-parse", "--short", "HEAD", cwd=root).strip() or "unknown"
    # The report's own outputs are rewritten before this runs: they do not count as changes.
    if _run("git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs/benchmarks.md",
            ":!docs/benchmarks", cwd=root).strip():
        commit += " (with uncommitted changes)"
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": model.group(1).strip() if model else "unknown",
        "cores": f"{cpus.group(1) if cpus else '?'} logical CPUs ({len(os.sched_getaffinity(0))} usable by this process)",
        "compiler": version,
        "flags": f"{build_type} {flags.strip()}, SLOPE_DEBUG_CHECKS={debug_checks}".strip(),
        "commit": commit,
    }
