#!/usr/bin/env bash
# Builds the benchmarks in Release without debug checks (into build/bench) and runs both
# binaries; each prints its summary table at the end. Extra arguments go to both binaries,
# e.g. `benchmarks/run.sh --benchmark_filter=f_` (Google Benchmark flags replace the defaults).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SLOPE_BENCH_BUILD_DIR:-$root/build/bench}"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSLOPE_BUILD_TESTS=OFF -DSLOPE_DEBUG_CHECKS=OFF \
  -DSLOPE_BUILD_BENCHMARKS=ON -DSLOPE_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" --target slope_bench_gradient_cost slope_bench_scaling --parallel 2

"$build/benchmarks/slope_bench_gradient_cost" "$@"
echo
"$build/benchmarks/slope_bench_scaling" "$@"
