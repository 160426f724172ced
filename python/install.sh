#!/usr/bin/env bash
# Builds the `slope` Python module and installs it for Debian's /usr/bin/python3, so that
# `/usr/bin/python3 -c "import slope"` works from any folder. Installs the missing Debian packages
# first (as .ci/install-deps.sh does). Run as root, or as a user with sudo, from anywhere:
#   bash python/install.sh
# SLOPE_PYTHON_BUILD_DIR (default build/python) and SLOPE_JOBS (default: all cores) adjust the build.
set -euo pipefail
cd "$(dirname "$0")/.."
python=/usr/bin/python3
bash .ci/install-deps.sh pybind11-dev python3-dev python3-pybind11 python3-numpy python3-pytest
build=${SLOPE_PYTHON_BUILD_DIR:-build/python}
# Debian's python3 looks in /usr/local/lib/python3.X/dist-packages, which apt leaves alone.
site=$("$python" -c 'import site; print(site.getsitepackages()[0])')
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DPython_EXECUTABLE="$python" -DSLOPE_BUILD_PYTHON=ON \
      -DSLOPE_BUILD_TESTS=OFF -DSLOPE_BUILD_EXAMPLES=OFF -DSLOPE_BUILD_BENCHMARKS=OFF \
      -DSLOPE_PYTHON_INSTALL_DIR="$site"
cmake --build "$build" --target slope_python -j"${SLOPE_JOBS:-$(nproc)}"
if [ "$(id -u)" -eq 0 ] || [ -w "$site" ]; then sudo=(); else sudo=(sudo); fi
"${sudo[@]}" cmake --install "$build" --component python
cd /
"$python" -c 'import slope; print("installed", slope.__name__, "in", slope.__path__[0])'
