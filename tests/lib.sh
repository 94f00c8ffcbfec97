# Shared helpers for script tests (sourced). The CTest runner sets IFNSIG (binary), SRC (source tree),
# WORK (a scratch directory for this test) and DATA (downloaded third-party data, shared by tests).
set -euo pipefail
: "${IFNSIG:?run through ctest}" "${SRC:?}" "${WORK:?}" "${DATA:?}"
rm -rf "$WORK"; mkdir -p "$WORK" "$DATA"
SHARED_DATA="${SHARED_DATA:-$SRC/../shared/data}"

fail() { echo "FAIL: $*" >&2; exit 1; }

# Installs missing Debian packages (reference tools); the tests need them, so failing to install fails the test.
need_packages() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" >"$WORK/apt.log" 2>&1 ||
    { $sudo apt-get update >>"$WORK/apt.log" 2>&1 && $sudo apt-get install -y --no-install-recommends "${missing[@]}" >>"$WORK/apt.log" 2>&1; } ||
    fail "could not install ${missing[*]} (see $WORK/apt.log)"
}

# R for the reference side of a comparison, always on Debian's reference BLAS and LAPACK (libblas3,
# liblapack3), whichever implementation the machine's alternatives give R (a minimal install may pick
# OpenBLAS). sva's ComBat keeps genes that are constant up to rounding (all-zero genes on logCPM) and their
# rounding noise reaches every gene through the empirical Bayes priors, so its result depends on the BLAS's
# order of summation (docs/normalize.md, "ComBat and constant genes"); one fixed arithmetic keeps the
# references the same on every machine. Only this R process is affected: R's own R_LD_LIBRARY_PATH puts the
# reference libraries first. The test installs r-base-core libblas3 liblapack3 (need_packages) before.
# Usage as Rscript's.
reference_rscript() {
  local blas lapack r_home
  blas=$(dpkg -L libblas3 | grep -m1 '/blas/libblas[.]so[.]3$') || fail "libblas3 ships no blas/libblas.so.3"
  lapack=$(dpkg -L liblapack3 | grep -m1 '/lapack/liblapack[.]so[.]3$') || fail "liblapack3 ships no lapack/liblapack.so.3"
  r_home=$(R RHOME)
  local path="$(dirname "$blas"):$(dirname "$lapack"):$r_home/lib:$(dirname "$(dirname "$blas")")"
  local used
  used=$(R_LD_LIBRARY_PATH=$path Rscript -e 'cat(extSoftVersion()[["BLAS"]], La_library())') || fail "Rscript failed"
  case "$used" in
    "$(dirname "$blas")"/*" $(dirname "$lapack")"/*) ;;
    *) fail "R did not load the reference BLAS/LAPACK from $(dirname "$blas"), $(dirname "$lapack"): $used" ;;
  esac
  R_LD_LIBRARY_PATH=$path Rscript "$@"
}

# Unpacks a Debian package's files into $DATA/<package> once (apt-get download + dpkg -x); prints the path.
# Tests run in parallel and share $DATA: a lock per package makes the others wait for the one unpacking it.
debian_data() {
  local package=$1 dest="$DATA/$1"
  (
    flock 9
    if [ ! -f "$dest/.done" ]; then
      (cd "$DATA" && rm -f "${package}"_*.deb && apt-get download "$package" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get download "$package" >/dev/null; }) ||
        fail "apt-get download $package failed"
      rm -rf "$dest"; dpkg -x "$DATA/${package}"_*.deb "$dest"; touch "$dest/.done"
    fi
  ) 9>"$DATA/$package.lock" || exit 1  # `fail` above left the subshell only
  echo "$dest"
}

# Runs a command that must fail: expects exit status $1 and stderr matching regex $2.
expect_failure() {
  local status=$1 pattern=$2; shift 2
  set +e; "$@" 2>"$WORK/stderr.txt" >/dev/null; local got=$?; set -e
  [ "$got" -eq "$status" ] || fail "expected exit $status, got $got from: $* ($(cat "$WORK/stderr.txt"))"
  grep -Eq -- "$pattern" "$WORK/stderr.txt" || fail "stderr of '$*' lacks /$pattern/: $(cat "$WORK/stderr.txt")"
}

# Starts tests/compare/range_server.py on DIR (a web server on 127.0.0.1 that answers byte ranges and logs the
# bytes of each response to $WORK/served.log; further arguments are its faults) and stops it when the test
# exits. Sets PORT and SERVER. Usage: serve DIR [--no-ranges|--changing|--short]
serve() {
  rm -f "$WORK/port" "$WORK/served.log"
  python3 "$SRC/tests/compare/range_server.py" "$1" "$WORK/port" "$WORK/served.log" "${@:2}" &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
  PORT=$(cat "$WORK/port") || fail "the test web server did not start"
}
stop_serving() { kill "$SERVER" && wait "$SERVER" 2>/dev/null || true; }

# Writes a SAM of single-end 50-base reads (r1, r2, ...), one per "contig:position" argument, with a header of
# 100 kb contigs (comma list). Usage: write_reads_sam OUT CONTIGS CONTIG:POS...
write_reads_sam() {
  local out=$1 contigs=$2 i=0 read c; shift 2
  {
    printf '@HD\tVN:1.6\tSO:unsorted\n'
    for c in ${contigs//,/ }; do printf '@SQ\tSN:%s\tLN:100000\n' "$c"; done
    for read in "$@"; do
      i=$((i + 1))
      printf 'r%d\t0\t%s\t%s\t60\t50M\t*\t0\t0\t%s\t%s\n' $i "${read%%:*}" "${read##*:}" \
        "$(printf 'A%.0s' {1..50})" "$(printf 'I%.0s' {1..50})"
    done
  } >"$out"
}

# Counts and summary of `ifnsig count`, at -T 1 and -T 2, equal featureCounts' (Debian package subread) on the
# same annotation (SAF by its .saf suffix), options and inputs: Geneid, Length and every count column (Chr,
# Start and End list a gene's exons, which featureCounts orders arbitrarily when starts are equal) and the
# whole .summary. Counts the cases in `checked`. Usage: same_as_featurecounts ANNOTATION "OPTIONS" INPUT...
same_as_featurecounts() {
  local annotation=$1 opts=$2; shift 2
  local format=()
  [[ $annotation == *.saf ]] && format=(-F SAF)
  featureCounts "${format[@]}" -a "$annotation" -o "$WORK/fc.txt" $opts "$@" >"$WORK/fc.log" 2>&1 ||
    fail "featureCounts $opts failed: $(tail -5 "$WORK/fc.log")"
  for threads in 1 2; do
    "$IFNSIG" count -q "${format[@]}" -a "$annotation" -o "$WORK/if.txt" -T $threads $opts "$@" 2>"$WORK/if.log" ||
      fail "ifnsig count $opts failed: $(cat "$WORK/if.log")"
    diff <(tail -n +2 "$WORK/fc.txt" | cut -f1,6-) <(tail -n +2 "$WORK/if.txt" | cut -f1,6-) >"$WORK/diff.txt" ||
      fail "counts differ from featureCounts with '$opts' (-T $threads) on $*: $(head -8 "$WORK/diff.txt")"
    diff "$WORK/fc.txt.summary" "$WORK/if.txt.summary" >"$WORK/diff.txt" ||
      fail "summary differs from featureCounts with '$opts' (-T $threads) on $*: $(head -8 "$WORK/diff.txt")"
  done
  checked=$((checked + 1))
}

# One SAM record on chr1 whose sequence is as long as the CIGAR's query (M, I, S, =, X).
# Usage: sam_record NAME FLAG POS CIGAR [MATE_POS TLEN]
sam_record() {
  local name=$1 flag=$2 pos=$3 cigar=$4 mate_pos=${5:-0} tlen=${6:-0} length=0 rest=$4 number op
  while [[ $rest =~ ^([0-9]+)([MIDNSHP=X])(.*)$ ]]; do
    number=${BASH_REMATCH[1]} op=${BASH_REMATCH[2]} rest=${BASH_REMATCH[3]}
    [[ $op == [MIS=X] ]] && length=$((length + number))
  done
  local mate_contig='*'
  ((mate_pos > 0)) && mate_contig='='
  printf '%s\t%s\tchr1\t%s\t60\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$flag" "$pos" "$cigar" "$mate_contig" "$mate_pos" \
    "$tlen" "$(printf 'A%.0s' $(seq "$length"))" "$(printf 'I%.0s' $(seq "$length"))"
}
