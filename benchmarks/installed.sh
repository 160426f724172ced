#!/usr/bin/env bash
# Builds what users get: the library from a default Release build (no SLOPE_NATIVE, default debug
# checks), installed with `cmake --install` into a prefix, and benchmarks/installed (gradient_cost.cpp
# built against that prefix via find_package(slope), with CMake's default Release flags and again
# with -march=native). Prints the paths of the two consumer binaries, one a line.
#
#   benchmarks/installed.sh [WORK_DIR]   # default: a new temporary directory
# Environment: SLOPE_REPORT_JOBS (parallel build jobs, default 2).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$(mktemp -d -t slope-installed.XXXXXX)}"
jobs="${SLOPE_REPORT_JOBS:-2}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"

cmake -S "$root" -B "$work/library" -DCMAKE_BUILD_TYPE=Release -DSLOPE_BUILD_TESTS=OFF \
  -DSLOPE_BUILD_BENCHMARKS=OFF -DSLOPE_BUILD_EXAMPLES=OFF -DSLOPE_BUILD_PYTHON=OFF >"$work/library.configure.log"
cmake --build "$work/library" --parallel "$jobs" >"$work/library.build.log"
rm -rf "$work/prefix"
cmake --install "$work/library" --prefix "$work/prefix" >"$work/library.install.log"
cmake -S "$root/benchmarks/installed" -B "$work/consumer" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/consumer.configure.log"
cmake --build "$work/consumer" --parallel "$jobs" >"$work/consumer.build.log"
echo "$work/consumer/slope_bench_gradient_cost_installed"
echo "$work/consumer/slope_bench_gradient_cost_installed_native"
