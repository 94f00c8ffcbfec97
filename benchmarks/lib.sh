# Shared by benchmarks/run and the scripts in benchmarks/count (sourced): the cached inputs, timed runs with
# medians, and the side-by-side counting comparison. The caller sets CACHE, WORK, REPS, IFNSIG and (for
# compare_counting) SAF, or calls counting_script_setup; and empties $WORK/runs.tsv and $WORK/times.tsv.
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# counting_script_setup WORK_NAME: the settings of a script in benchmarks/count run on its own (ROOT set):
# IFNSIG (default build/ifnsig), REPS (default 3), CACHE and WORK (CACHE/WORK_NAME), made; featureCounts,
# samtools and GNU time installed when missing.
counting_script_setup() {
  IFNSIG=${IFNSIG:-$ROOT/build/ifnsig}
  REPS=${REPS:-3}
  CACHE=$ROOT/benchmarks/cache
  WORK=$CACHE/$1
  mkdir -p "$CACHE" "$WORK"
  [ -x "$IFNSIG" ] || { echo "no ifnsig binary at $IFNSIG (set IFNSIG)" >&2; exit 1; }
  install_missing featureCounts:subread samtools:samtools /usr/bin/time:time
}

# install_missing [command:package ...] [--packages package ...]: installs from Debian the packages whose
# command is not on the PATH and the listed packages not installed (through sudo when not root).
install_missing() {
  local need=() packages=0 item
  for item in "$@"; do
    if [ "$item" = --packages ]; then packages=1
    elif [ $packages -eq 1 ]; then
      dpkg-query -W -f='${Status}' "$item" 2>/dev/null | grep -q "ok installed" || need+=("$item")
    else
      command -v "${item%%:*}" >/dev/null 2>&1 || need+=("${item##*:}")
    fi
  done
  [ ${#need[@]} -gt 0 ] || return 0
  log "installing ${need[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
    { $sudo apt-get update >/dev/null 2>&1 && $sudo apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
}

# fetch_saf: the hg38 RefSeq exon annotation of Debian's subread-data, as an uncompressed SAF in the cache.
fetch_saf() {
  local saf=$CACHE/hg38_RefSeq_exon.saf
  if [ ! -s "$saf" ]; then
    (cd "$CACHE" && rm -f subread-data_*.deb && apt-get download subread-data >/dev/null)
    rm -rf "$CACHE/subread-data" && dpkg -x "$CACHE"/subread-data_*.deb "$CACHE/subread-data"
    zcat "$CACHE/subread-data/usr/share/doc/subread/examples/annotation/hg38_RefSeq_exon.txt.gz" >"$saf.tmp" && mv "$saf.tmp" "$saf"
  fi
  echo "$saf"
}

simulate() {  # pairs_in_thousands -> cache/sim_<k>k/sample01.bam
  local k=$1 dir=$CACHE/sim_${1}k
  if [ ! -s "$dir/sample01.bam" ]; then
    log "simulating ${k}k read pairs"
    "$IFNSIG" simulate -q -a "$(fetch_saf)" -o "$dir.tmp" --samples 1 --ifn-high 0 --pairs $((k * 1000)) --depth-sd 0 \
      --seed 2026 -T 2 && rm -rf "$dir" && mv "$dir.tmp" "$dir"
  fi
  echo "$dir/sample01.bam"
}

# name_sorted BAM: its name-sorted copy (samtools sort -n), made once.
name_sorted() {
  local sorted=${1%.bam}.name.bam
  [ -s "$sorted" ] || { log "name-sorting $1"; samtools sort -n -@ 2 -m 700M -o "$sorted.tmp.bam" "$1" && mv "$sorted.tmp.bam" "$sorted"; }
  echo "$sorted"
}

# run_once NAME CMD...: one timed run, appended as "name wall cpu rss_kb" to $WORK/runs.tsv
run_once() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$@" >"$WORK/last.out" 2>"$WORK/last.err" ||
    { log "FAILED: $*"; tail -3 "$WORK/last.err" >&2; return 1; }
  read -r wall user sys rss <"$WORK/time.txt"
  printf '%s\t%s\t%s\t%s\n' "$name" "$wall" "$(echo "$user $sys" | awk '{print $1 + $2}')" "$rss" >>"$WORK/runs.tsv"
}
# summarize NAME: appends "name wall cpu rss_mb", the medians of NAME's runs, to $WORK/times.tsv
summarize() {
  printf '%s\t%s\t%s\t%s\n' "$1" "$(median $(runs_of "$1" 2))" "$(median $(runs_of "$1" 3))" \
    "$(median $(runs_of "$1" 4) | awk '{printf "%.0f", $1 / 1024}')" >>"$WORK/times.tsv"
}
runs_of() { awk -F'\t' -v n="$1" -v c="$2" '$1 == n {print $c}' "$WORK/runs.tsv"; }  # NAME COLUMN
# measure NAME CMD...: REPS runs in a row, then their medians
measure() {
  local r
  for ((r = 0; r < REPS; r++)); do run_once "$@" || return 1; done
  summarize "$1"
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
get() { awk -F'\t' -v n="$1" -v c="$2" '$1 == n {print $c}' "$WORK/times.tsv" | tail -1; }

COUNT_OPTS=(-p --countReadPairs -s 2)
agree() {  # fc_out if_out -> "yes|no<TAB>largest relative difference"
  python3 - "$1" "$2" <<'PY'
import sys
def table(path):
    rows = {}
    for line in open(path).read().splitlines()[2:]:
        f = line.split("\t")
        rows[f[0]] = (f[5], [float(x) for x in f[6:]])
    return rows
a, b = table(sys.argv[1]), table(sys.argv[2])
same = [l.split("\t")[1:] for l in open(sys.argv[1] + ".summary").read().splitlines()[1:]] == \
       [l.split("\t")[1:] for l in open(sys.argv[2] + ".summary").read().splitlines()[1:]]
worst = 0.0
for gene, (length, counts) in a.items():
    other = b.get(gene)
    if other is None or other[0] != length:
        worst = float("inf"); continue
    for x, y in zip(counts, other[1]):
        if x != y:
            worst = max(worst, abs(x - y) / max(abs(x), abs(y)))
identical = same and worst == 0 and len(a) == len(b)
print(("yes" if identical else "no") + "\t" + ("%.3g" % worst))
PY
}

# compare_counting BAM ORDER THREADS: ifnsig count, featureCounts and samtools view -c take turns, REPS rounds,
# so that a drift in the machine's speed (it is shared) hits them alike; medians to times.tsv as
# "<tool>/<order>/<threads>", and ifnsig's agreement with featureCounts to agree_<order>_<threads>.txt.
compare_counting() {
  local input=$1 order=$2 t=$3 r tool at=()
  [ "$t" -gt 1 ] && at=(-@ "$t")
  for ((r = 0; r < REPS; r++)); do
    run_once "ifnsig/$order/$t" "$IFNSIG" count -q -a "$SAF" -F SAF "${COUNT_OPTS[@]}" -T "$t" -o "$WORK/if_${order}_$t.txt" "$input"
    run_once "featureCounts/$order/$t" featureCounts -a "$SAF" -F SAF "${COUNT_OPTS[@]}" -T "$t" -o "$WORK/fc_${order}_$t.txt" "$input"
    run_once "samtools/$order/$t" samtools view -c "${at[@]}" "$input"
  done
  for tool in ifnsig featureCounts samtools; do summarize "$tool/$order/$t"; done
  agree "$WORK/fc_${order}_$t.txt" "$WORK/if_${order}_$t.txt" >"$WORK/agree_${order}_$t.txt"
}
