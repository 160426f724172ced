#!/usr/bin/env bash
# Builds Slope's examples and runs the main demo (installs missing Debian packages first).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-deps.sh
build=${SLOPE_BUILD_DIR:-build/demo}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSLOPE_BUILD_TESTS=OFF -DSLOPE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" -j2 --target differentiate >/dev/null
"$build/examples/differentiate"
