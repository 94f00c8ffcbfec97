#!/usr/bin/env bash
# ifnsig simulate: the same seed gives byte-identical BAMs, indexes and truth tables at 1 and 2 threads;
# another seed gives different BAMs; bad options fail with a usage error.
source "$SRC/tests/lib.sh"
need_packages samtools
ANN=$SRC/examples/data/annotation.gtf
common=(-a "$ANN" --samples 3 --ifn-high 1 --pairs 30000 --seed 11 --supplementary 0.02 --unmapped-mates 0.02)
"$IFNSIG" simulate -q "${common[@]}" -o "$WORK/t1" -T 1
"$IFNSIG" simulate -q "${common[@]}" -o "$WORK/t2" -T 2
for f in sample01.bam sample01.bam.bai sample02.bam sample03.bam samples.tsv truth_counts.tsv truth_expression.tsv; do
  cmp "$WORK/t1/$f" "$WORK/t2/$f" || fail "$f differs between -T 1 and -T 2"
done
"$IFNSIG" simulate -q -a "$ANN" --samples 1 --ifn-high 0 --pairs 30000 --seed 12 -o "$WORK/other" -T 2
cmp -s "$WORK/t1/sample01.bam" "$WORK/other/sample01.bam" && fail "seeds 11 and 12 gave the same BAM"

# Valid, sorted, indexed BAMs with the features the simulator promises.
samtools quickcheck "$WORK"/t1/*.bam || fail "samtools quickcheck"
samtools view -H "$WORK/t1/sample01.bam" | grep -q "SO:coordinate" || fail "header lacks SO:coordinate"
samtools view "$WORK/t1/sample01.bam" | awk '$3 == prev_chr && $4 < prev_pos {bad = 1} {prev_chr = $3; prev_pos = $4} END {exit bad}' ||
  fail "records are not in coordinate order"
stats=$(samtools flagstat "$WORK/t1/sample01.bam")
for what in secondary supplementary duplicates singletons; do
  n=$(echo "$stats" | awk -v w="$what" '$0 ~ w {print $1; exit}')
  [ "${n:-0}" -gt 0 ] || fail "no $what records"
done
samtools view "$WORK/t1/sample01.bam" | awk '$6 ~ /N/ {s++} $6 ~ /[ID]/ {i++} $6 ~ /S/ {c++} END {exit !(s > 0 && i > 0 && c > 0)}' ||
  fail "expected spliced, indel and soft-clipped alignments"
head -1 "$WORK/t1/samples.tsv" | grep -qx $'sample\tbam\tgroup\tpaired\tstrand' || fail "sample sheet header"
[ "$(grep -c patient "$WORK/t1/samples.tsv")" -eq 1 ] || fail "expected one patient"

expect_failure 2 "ifn-high" "$IFNSIG" simulate -a "$ANN" -o "$WORK/bad" --samples 2 --ifn-high 3
expect_failure 2 "strand" "$IFNSIG" simulate -a "$ANN" -o "$WORK/bad" --strand sideways
echo "simulate determinism: ok"
