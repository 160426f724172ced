#!/usr/bin/env bash
# Builds the `slope` command and runs the main demo: a logistic regression written in the
# .slope language, fitted from its CSV by L-BFGS; then the C++ differentiate example (a
# gradient by Slope next to the one derived by hand). Installs missing Debian packages first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-deps.sh
build=${SLOPE_BUILD_DIR:-build/demo}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSLOPE_BUILD_TESTS=OFF -DSLOPE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" -j2 --target slope differentiate >/dev/null
models=examples/models
echo "\$ slope optimize $models/logistic.slope --data X=$models/logistic.csv:x1-x3 --data y=$models/logistic.csv:label"
"$build/cli/slope" optimize "$models/logistic.slope" \
  --data X="$models/logistic.csv:x1-x3" --data y="$models/logistic.csv:label"
echo
"$build/examples/differentiate"
