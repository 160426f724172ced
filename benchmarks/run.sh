#!/usr/bin/env bash
# Builds the benchmarks in Release without debug checks, for this machine (-march=native, as
# the peers' figures were measured; into build/bench), and runs the
# binaries; each prints its summary tables at the end. slope_bench_optimizer (against LBFGSpp
# and liblbfgs) runs when CMake found both peers. Extra arguments go to every binary, e.g.
# `benchmarks/run.sh --benchmark_filter=f_` (Google Benchmark flags replace the defaults).
# SLOPE_BENCH_ONLY picks binaries by short name, e.g. SLOPE_BENCH_ONLY=optimizer benchmarks/run.sh
# (names: gradient_cost scaling replay vector_nodes threads optimizer adolc). For the full report with tables and plots, see
# benchmarks/report.sh.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SLOPE_BENCH_BUILD_DIR:-$root/build/bench}"
only="${SLOPE_BENCH_ONLY:-gradient_cost scaling replay vector_nodes threads optimizer adolc}"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSLOPE_BUILD_TESTS=OFF -DSLOPE_DEBUG_CHECKS=OFF -DSLOPE_NATIVE=ON \
  -DSLOPE_BUILD_BENCHMARKS=ON -DSLOPE_BUILD_EXAMPLES=OFF >/dev/null

available="gradient_cost scaling replay vector_nodes threads"
targets="$(cmake --build "$build" --target help)"
if [[ "$targets" == *slope_bench_optimizer* ]]; then
  available+=" optimizer"
elif [[ " $only " == *" optimizer "* ]]; then
  echo "note: slope_bench_optimizer is not built (needs liblbfgspp-dev liblbfgs-dev libeigen3-dev)" >&2
fi
if [[ "$targets" == *slope_bench_adolc* ]]; then
  available+=" adolc"
elif [[ " $only " == *" adolc "* ]]; then
  echo "note: slope_bench_adolc is not built (needs libadolc-dev)" >&2
fi
names=()
for name in $only; do
  [[ " $available " == *" $name "* ]] && names+=("$name")
done
[ ${#names[@]} -gt 0 ] || { echo "error: nothing to run (SLOPE_BENCH_ONLY=$only)" >&2; exit 2; }

cmake --build "$build" --parallel 2 --target "${names[@]/#/slope_bench_}"
first=1
for name in "${names[@]}"; do
  [ $first -eq 1 ] || echo
  first=0
  "$build/benchmarks/slope_bench_$name" "$@"
done
