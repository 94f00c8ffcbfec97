#!/usr/bin/env bash
# The first command of the README: installs what is missing, builds, and runs `ifnsig run` on the bundled
# example cohort (examples/), printing where the report is.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
scripts/build.sh build
out=${1:-example-output}
# Prints "Report: <out>/report.html" as its last line.
build/ifnsig run --samples examples/samples.tsv -a examples/data/annotation.gtf -o "$out" -T "$(nproc)"
