#!/usr/bin/env bash
# run.sh - sets up, builds and starts the kiosk on the default hall.
# Extra arguments go to metahall, e.g. toolchains/run.sh --fullscreen
set -euo pipefail
cd "$(dirname "$0")/.."
toolchains/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
exec build/release/metahall "$@"
