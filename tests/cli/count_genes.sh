# count --genes (reading only the reads that can count for the chosen genes, through the index) gives each
# chosen gene the count a whole-file count gives it: on the hand-made fixtures (one read per rule), for each
# gene alone and for all of them, over featureCounts' option matrix; from BAM and CRAM; with a mate that lies
# outside the chosen gene and one that is unmapped without a position (found among the unplaced reads). Bad
# input (no index, a stale one, a name-sorted file, SAM text, standard input, an unknown gene) stops with a
# clear error and writes nothing. Small enough to run under the sanitizers too (named count_*).
source "$SRC/tests/lib.sh"
FIX="$SRC/tests/fixtures/count"
checked=0

bam_of() {  # SAM fixture -> coordinate-sorted, indexed BAM in $WORK
  local bam="$WORK/$(basename "$1" .sam).bam"
  samtools sort -o "$bam" "$1" 2>/dev/null && samtools index "$bam"
  echo "$bam"
}

# The chosen genes' rows of a targeted count equal the whole-file count's rows (every column but the
# program line); the summary says NA.
same_as_full() {
  local annotation=$1 opts=$2 genes=$3; shift 3
  "$IFNSIG" -q count -a "$annotation" -o "$WORK/full.txt" $opts "$@" || fail "count $opts failed"
  "$IFNSIG" -q count -a "$annotation" -o "$WORK/genes.txt" --genes "$genes" $opts "$@" || fail "count --genes $genes $opts failed"
  local ids
  ids=$(tail -n +3 "$WORK/genes.txt" | cut -f1 | sort -u | tr '\n' ' ')
  [ -n "$ids" ] || fail "no rows for --genes $genes"
  diff <(tail -n +2 "$WORK/full.txt" | awk -F'\t' -v ids=" $ids" 'NR == 1 || index(ids, " " $1 " ")') \
    <(tail -n +2 "$WORK/genes.txt") >"$WORK/diff.txt" ||
    fail "--genes $genes differs from the whole-file count with '$opts' on $*: $(head -6 "$WORK/diff.txt")"
  if grep -qv -e '^Status' -e $'\tNA' "$WORK/genes.txt.summary"; then fail "targeted summary is not NA"; fi
  checked=$((checked + 1))
}

# Each gene alone, then all of them together.
each_gene() {
  local annotation=$1 opts=$2; shift 2
  local genes
  genes=$(grep -o 'gene_id "[^"]*"' "$annotation" | sed 's/gene_id "//; s/"//' | sort -u)
  for g in $genes; do same_as_full "$annotation" "$opts" "$g" "$@"; done
  same_as_full "$annotation" "$opts" "$(echo $genes | tr ' ' ',')" "$@"
}

single_end_options=("" "-s 1" "-s 2" "-M" "-M --fraction" "-O" "-M -O --fraction" "--largestOverlap" "-Q 10"
  "--primary" "--ignoreDup" "-f -O" "--minOverlap 25" "--fracOverlap 0.8" "--read2pos 3" "--readExtension5 20"
  "--readExtension3 300" "--nonOverlap 10" "--maxMOp 1")
overlaps=$(bam_of "$FIX/overlaps_se.sam")
splice=$(bam_of "$FIX/splice_se.sam")
for opts in "${single_end_options[@]}"; do
  same_as_full "$FIX/overlaps.gtf" "$opts" A,C "$overlaps"
  same_as_full "$FIX/splice.gtf" "$opts" E,G "$splice"
done
each_gene "$FIX/overlaps.gtf" "-O" "$overlaps"
each_gene "$FIX/splice.gtf" "--readExtension3 300" "$splice"
each_gene "$FIX/multi_contig.gtf" "" "$(bam_of "$FIX/multi_contig.sam")"

pairs=$(bam_of "$FIX/pairs.sam")
pair_options=("" "-s 2" "-O" "--countReadPairs" "--countReadPairs -s 1" "--countReadPairs -s 2"
  "--countReadPairs -M --fraction" "--countReadPairs -O" "--countReadPairs --largestOverlap" "--countReadPairs -Q 10"
  "--countReadPairs --primary" "--countReadPairs --ignoreDup" "--countReadPairs -B" "--countReadPairs -C"
  "--countReadPairs -B -C -P -d 80 -D 300" "--countReadPairs --splitOnly" "--countReadPairs --minOverlap 40"
  "--countReadPairs --nonOverlap 20" "--countReadPairs --maxMOp 1")
for opts in "${pair_options[@]}"; do each_gene "$FIX/pairs.gtf" "-p $opts" "$pairs"; done

# CRAM (.crai), against its whole-file count.
cp "$FIX/pairs.fa" "$WORK/pairs.fa"  # samtools writes its .fai beside it
samtools view -C -T "$WORK/pairs.fa" -o "$WORK/pairs.cram" "$pairs" && samtools index "$WORK/pairs.cram"
each_gene "$FIX/pairs.gtf" "-p --countReadPairs --cram-reference $WORK/pairs.fa" "$WORK/pairs.cram"

# A mate outside the chosen gene (its partner's record says where), and a duplicate-marked mate that is
# unmapped without a position (at the end of the file): with --ignoreDup the whole fragment is a duplicate,
# which only reading that mate tells.
printf 'chr1\tsrc\texon\t101\t200\t.\t+\t.\tgene_id "G";\nchr1\tsrc\texon\t3001\t3100\t.\t+\t.\tgene_id "H";\n' \
  >"$WORK/far.gtf"
seq30=$(printf 'A%.0s' {1..30}); qual30=$(printf 'I%.0s' {1..30})
{
  printf '@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:chr1\tLN:5000\n'
  printf 'far\t99\tchr1\t120\t60\t30M\t=\t3020\t2930\t%s\t%s\n' "$seq30" "$qual30"
  printf 'lone\t73\tchr1\t150\t60\t30M\t*\t0\t0\t%s\t%s\n' "$seq30" "$qual30"
  printf 'far\t1171\tchr1\t3020\t60\t30M\t=\t120\t-2930\t%s\t%s\n' "$seq30" "$qual30"
  printf 'lone\t1157\t*\t0\t0\t*\tchr1\t150\t0\t%s\t%s\n' "$seq30" "$qual30"
} >"$WORK/far.sam"
far=$(bam_of "$WORK/far.sam")
for opts in "" "--ignoreDup" "-O" "-B"; do
  same_as_full "$WORK/far.gtf" "-p --countReadPairs $opts" G "$far"
done
"$IFNSIG" -q count -a "$WORK/far.gtf" -o "$WORK/g.txt" -p --countReadPairs --ignoreDup --genes G "$far"
[ "$(tail -n 1 "$WORK/g.txt" | cut -f7)" = 0 ] || fail "the duplicate fragments were counted: $(tail -n 1 "$WORK/g.txt")"
grep -Eq '"mate_records": 1,?$' "$WORK/g.txt.json" || fail "the distant mate was not read by position: $(grep mate_ "$WORK/g.txt.json")"
grep -Eq '"unplaced_records": 1,?$' "$WORK/g.txt.json" || fail "the unplaced mate was not read: $(grep unplaced "$WORK/g.txt.json")"

# Remote (http): the same counts as from disk, the distant and the unplaced mate included, with only closed
# byte ranges asked for; OUT.json counts the bytes fetched as the server's log does.
mkdir -p "$WORK/www" && cp "$far" "$far.bai" "$pairs" "$pairs.bai" "$WORK/www/"
serve "$WORK/www"
for opts in "--ignoreDup" "-O"; do
  "$IFNSIG" -q count -a "$WORK/far.gtf" -o "$WORK/local.txt" -p --countReadPairs $opts --genes G "$far"
  "$IFNSIG" -q count -a "$WORK/far.gtf" -o "$WORK/remote.txt" -p --countReadPairs $opts --genes G \
    "http://127.0.0.1:$PORT/far.bam" || fail "count --genes over http failed"
  diff <(tail -n +3 "$WORK/local.txt") <(tail -n +3 "$WORK/remote.txt") || fail "remote counts differ ($opts)"
  grep -Eq '"unplaced_records": 1,?$' "$WORK/remote.txt.json" || fail "the unplaced mate was not read over http"
  checked=$((checked + 1))
done
stop_serving
serve "$WORK/www"
"$IFNSIG" -q count -a "$FIX/pairs.gtf" -o "$WORK/local.txt" -p --countReadPairs --genes A,B "$pairs"
"$IFNSIG" -q count -a "$FIX/pairs.gtf" -o "$WORK/remote.txt" -p --countReadPairs --genes A,B \
  "http://127.0.0.1:$PORT/pairs.bam" || fail "count --genes over http failed"
diff <(tail -n +3 "$WORK/local.txt") <(tail -n +3 "$WORK/remote.txt") || fail "remote counts differ (pairs)"
served=$(awk '{n += $2} END {print n + 0}' "$WORK/served.log")
grep -Eq "\"remote_bytes\": $served,?\$" "$WORK/remote.txt.json" ||
  fail "OUT.json's remote_bytes differ from the $served bytes served: $(grep remote_ "$WORK/remote.txt.json")"
stop_serving

# Bad input: a clear error naming the file, exit 1 (2 for a usage error), nothing written.
out="$WORK/bad.txt"
fails() {
  local pattern=$1; shift
  rm -f "$out"*
  expect_failure "${status:-1}" "$pattern" "$IFNSIG" count -a "$FIX/pairs.gtf" -o "$out" -p "$@"
  if ls "$out"* >/dev/null 2>&1; then fail "output written despite the error ($pattern)"; fi
}
cp "$pairs" "$WORK/unindexed.bam"
fails "unindexed.bam: no index \(.bai or .csi\)" --genes A "$WORK/unindexed.bam"
grep -q "hint: make it with: samtools index .*unindexed.bam" "$WORK/stderr.txt" || fail "no hint: $(cat "$WORK/stderr.txt")"
grep -q "reading annotation" "$WORK/stderr.txt" && fail "the index was checked only after reading the annotation"
cp "$pairs" "$WORK/stale.bam" && samtools index "$WORK/stale.bam" && touch -d '1 hour ago' "$WORK/stale.bam.bai"
fails "stale.bam.bai: the index is older than .*stale.bam" --genes A "$WORK/stale.bam"
samtools sort -n -o "$WORK/byname.bam" "$pairs" 2>/dev/null
fails "byname.bam:header: not coordinate-sorted \(@HD SO:queryname\)" --genes A "$WORK/byname.bam"
fails "pairs.sam: SAM text cannot be read by region" --genes A "$FIX/pairs.sam"
fails "1 gene\(s\) given to --genes are not in the annotation: 'NOPE'" --genes A,NOPE "$pairs"
status=2 fails "--genes reads by region, which standard input cannot do" --genes A - <"$pairs"
status=2 fails "none of its genes is in the annotation" --genes panel:rice6 "$pairs"
cp "$pairs" "$WORK/www/unindexed.bam"
serve "$WORK/www"
fails "unindexed.bam: no index beside the remote file" --genes A "http://127.0.0.1:$PORT/unindexed.bam"
fails "missing.bam: the server answered HTTP 404" --genes A "http://127.0.0.1:$PORT/missing.bam"
stop_serving
for fault in --no-ranges --changing --short; do
  serve "$WORK/www" "$fault"
  case $fault in
    --no-ranges) problem="the server does not serve byte ranges" ;;
    --changing) problem="the file changed on the server" ;;
    --short) problem="a short response" ;;
  esac
  fails "http://127.0.0.1:$PORT/pairs.bam: $problem" --genes A "http://127.0.0.1:$PORT/pairs.bam"
  stop_serving
done

echo "--genes equal to the whole-file count in $checked runs"
