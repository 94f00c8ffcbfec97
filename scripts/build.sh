#!/usr/bin/env bash
# Configures and builds ifnsig: `scripts/build.sh [DIR] [cmake options...]` (default DIR: build, Release).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}; shift || true
cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
cmake --build "$dir" -j "$(nproc)"
