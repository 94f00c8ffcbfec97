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
