#!/usr/bin/env bash
# Installs the Debian 12 packages ifnsig needs and that are missing: `build` (compile and run),
# `test` (build + the reference tools the tests compare against), `fuzz` (build + clang and libFuzzer).
# Uses sudo when not root.
set -euo pipefail
build_packages=(g++ cmake ninja-build pkg-config libhts-dev libtbb-dev libeigen3-dev libcli11-dev
  nlohmann-json3-dev libdeflate-dev libcurl4-gnutls-dev libisal-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev samtools)
test_packages=(subread python3-htseq r-base-core libblas3 liblapack3 r-bioc-deseq2 r-bioc-edger r-bioc-sva r-bioc-gsva
  r-bioc-tximport rna-star
  snakemake munge slurmctld slurmd slurm-client multiqc chromium time)
# The browser test drives Chromium with playwright-core from npm; use the machine's Node.js when it has one.
command -v npm >/dev/null 2>&1 || test_packages+=(nodejs npm)

case "${1:-build}" in
  build) wanted=("${build_packages[@]}") ;;
  test) wanted=("${build_packages[@]}" "${test_packages[@]}") ;;
  fuzz) wanted=("${build_packages[@]}" clang libclang-rt-14-dev) ;;
  *) echo "usage: $0 [build|test|fuzz]" >&2; exit 2 ;;
esac
missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y --no-install-recommends "${missing[@]}" ||
  { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends "${missing[@]}"; }
