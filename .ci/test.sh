#!/usr/bin/env bash
# Builds Slope and runs the whole test suite (installs missing Debian packages first).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-deps.sh
build=${SLOPE_BUILD_DIR:-build/test}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSLOPE_DEBUG_CHECKS=ON
cmake --build "$build" -j2
ctest --test-dir "$build" --output-on-failure -j2
