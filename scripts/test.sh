#!/usr/bin/env bash
# The second command of the README: installs what is missing (the reference tools too), builds, and runs
# the whole test suite. `--sanitize` builds with ASan+UBSan in build-asan and runs the unit tests and the
# count CLI tests (the slow end-to-end and reference tests run once, in the Release build). `--fuzz [SECONDS]`
# builds the libFuzzer harnesses with clang in build-fuzz and runs each from seeds (tests/fuzz/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--fuzz" ]; then
  scripts/install-deps.sh fuzz
  scripts/build.sh build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIFNSIG_FUZZ=ON \
    -DIFNSIG_BUILD_TESTS=OFF -DIFNSIG_BUILD_BENCHMARKS=OFF
  exec tests/fuzz/run.sh build-fuzz "${2:-60}"
fi
scripts/install-deps.sh test
if [ "${1:-}" = "--sanitize" ]; then
  scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DIFNSIG_SANITIZE=ON -DIFNSIG_BUILD_BENCHMARKS=OFF
  cd build-asan
  ctest -L unit --output-on-failure -j 2
  ctest -R '^cli[.]count_' --output-on-failure -j 2
else
  scripts/build.sh build
  cd build && ctest --output-on-failure -j 2
fi
