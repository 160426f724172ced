#!/usr/bin/env bash
# Installs the Debian packages Slope needs to build, test and run its demo, when missing.
# Usage: bash .ci/install-deps.sh [extra packages...]
set -euo pipefail
packages=(cmake g++ make libfmt-dev libboost-test-dev libbenchmark-dev liblbfgspp-dev liblbfgs-dev libeigen3-dev
          libcli11-dev nlohmann-json3-dev libopenmpi-dev openmpi-bin
          pybind11-dev python3-dev python3-pybind11 python3-numpy python3-pytest python3-scipy python3-sklearn
          python3-matplotlib "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
  echo "error: need root (or sudo) to install: ${missing[*]}" >&2; exit 2
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
