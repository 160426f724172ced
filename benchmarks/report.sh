#!/usr/bin/env bash
# The benchmark report in one command: installs the peers (ADOL-C, libtorch, LBFGSpp, liblbfgs)
# and gnuplot when missing and run as root, builds the benchmarks in Release for this machine
# (build/report) and gradient_cost.cpp against the library installed from a default Release build
# (benchmarks/installed.sh, into build/report/installed), runs every benchmark binary that was
# built, and writes docs/benchmarks.md
# with its plots in docs/benchmarks/.
#
#   benchmarks/report.sh                 # the full report (tens of minutes on a busy machine)
#   benchmarks/report.sh --smoke         # every binary briefly; report in build/report/smoke
#
# Options: --smoke; --runs N (full runs of each binary, default 2: timings on a shared machine
# move between runs, so the report shows both); --build-dir DIR; --out DIR (where the .md and
# the plots go); --no-install; --no-build (use the binaries already in --build-dir).
# Environment: SLOPE_REPORT_ONLY="gradient_cost adolc" runs only those binaries.
# Exit status 1 when a binary failed (a gradient check, say); the report then says which.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build/report"
out=""
smoke=0
runs=2
install=1
compile=1
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1 ;;
    --runs) runs="$2"; shift ;;
    --build-dir) build="$2"; shift ;;
    --out) out="$2"; shift ;;
    --no-install) install=0 ;;
    --no-build) compile=0 ;;
    *) echo "error: unknown option $1 (see the comment at the top of $0)" >&2; exit 2 ;;
  esac
  shift
done
if [ $smoke -eq 1 ]; then
  runs=1
  out="${out:-$build/smoke}"
fi
out="${out:-$root/docs}"
results="$build/results"  # raw outputs: logs, Google Benchmark JSON, summaries
if [ $smoke -eq 1 ]; then results="$out/results"; fi

# The peers and the plotting tool. Only the report needs them, never the test suite, so they are
# not in .ci/install-deps.sh's default list.
if [ $install -eq 1 ]; then
  peers=(libadolc-dev libtorch-dev liblbfgspp-dev liblbfgs-dev libeigen3-dev gnuplot-nox)
  command -v python3 >/dev/null || peers+=(python3)
  if [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null; then
    bash "$root/.ci/install-deps.sh" "${peers[@]}"
  else
    echo "note: not root: peers that are missing will be skipped (${peers[*]})" >&2
  fi
fi

if [ $compile -eq 1 ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSLOPE_NATIVE=ON -DSLOPE_DEBUG_CHECKS=OFF \
    -DSLOPE_BUILD_TESTS=OFF -DSLOPE_BUILD_BENCHMARKS=ON -DSLOPE_BUILD_EXAMPLES=OFF >/dev/null
  # slope_bench_mpi_all_reduce is left out: it is run by hand under mpirun and prints absolute
  # times for docs/scaling.md, not Google Benchmark rows the report could divide.
  mapfile -t targets < <(cmake --build "$build" --target help | grep -o 'slope_bench_[a-z0-9_]*' | sort -u |
    grep -vx 'slope_bench_mpi_all_reduce')
  # One target at a time, so that one benchmark that does not compile costs only its own section.
  binaries=()
  for target in "${targets[@]}"; do
    if cmake --build "$build" --parallel "${SLOPE_REPORT_JOBS:-2}" --target "$target" >"$build/$target.build.log" 2>&1; then
      binaries+=("$build/benchmarks/$target")
    else
      echo "warning: $target did not build (see $build/$target.build.log); the report skips it" >&2
    fi
  done
  # What users get: the library installed from a default Release build and gradient_cost.cpp built
  # against it via find_package(slope) (benchmarks/installed.sh), beside the in-tree rows.
  if installed="$(SLOPE_REPORT_JOBS="${SLOPE_REPORT_JOBS:-2}" bash "$root/benchmarks/installed.sh" "$build/installed" 2>"$build/installed.log")"; then
    mapfile -t -O "${#binaries[@]}" binaries <<<"$installed"
  else
    echo "warning: the installed-library consumer did not build (see $build/installed.log and $build/installed/*.log); the report skips it" >&2
  fi
else
  mapfile -t binaries < <(find "$build/benchmarks" "$build/installed/consumer" -maxdepth 1 -type f -executable \
    -name 'slope_bench_*' ! -name 'slope_bench_mpi_all_reduce' 2>/dev/null | sort)
fi
[ ${#binaries[@]} -gt 0 ] || { echo "error: no benchmark binaries in $build/benchmarks" >&2; exit 2; }

# All of run 1, then all of run 2: the runs are minutes apart.
rm -rf "$results"
mkdir -p "$results"
failed=0
for run in $(seq 1 "$runs"); do
  for binary in "${binaries[@]}"; do
    name="${binary##*/slope_bench_}"
    if [ -n "${SLOPE_REPORT_ONLY:-}" ] && [[ " $SLOPE_REPORT_ONLY " != *" $name "* ]]; then continue; fi
    stem="$results/$name.$run"
    args=(--benchmark_out="$stem.benchmark.json" --benchmark_out_format=json)
    [ $smoke -eq 1 ] && args+=(--smoke)
    # Binaries that know --summary_out write their summary rows as JSON; the others' timings still
    # come from Google Benchmark's own JSON.
    grep -qa -- '--summary_out=' "$binary" && args+=(--summary_out="$stem.summary.json")
    echo "== $name (run $run of $runs)" >&2
    status=0
    "$binary" "${args[@]}" >"$stem.log" 2>&1 || status=$?
    echo "$status" >"$stem.status"
    if [ "$status" -ne 0 ]; then
      failed=1
      echo "FAILED: $name exited with $status; the end of its output:" >&2
      tail -n 5 "$stem.log" >&2
    fi
  done
done

mkdir -p "$out/benchmarks"
generate=(--results "$results" --build "$build" --markdown "$out/benchmarks.md" --plots "$out/benchmarks" --runs "$runs")
[ $smoke -eq 1 ] && generate+=(--smoke)
python3 "$root/benchmarks/report/make_report.py" "${generate[@]}"
echo "report: $out/benchmarks.md" >&2
exit $failed
