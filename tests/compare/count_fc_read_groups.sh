# --byReadGroup: `ifnsig count` writes featureCounts 2.0.3's table and summary (Debian package subread), a
# column 'FILE:ID' per @RG line of each file in header order, at -T 1 and -T 2: records without an RG tag or
# with one no @RG line names are counted nowhere, a file without @RG lines has no column, a pair counts for
# its first record's group (in file order, also when its mates wait in spilled runs), and on the real BAMs of
# r-bioc-degnorm (paired-end) and r-bioc-dupradar (single-end) given two read groups with samtools.
source "$SRC/tests/lib.sh"
need_packages subread samtools
cd "$WORK"
checked=0

printf 'GeneID\tChr\tStart\tEnd\tStrand\nG1\tchr1\t100\t500\t+\nG2\tchr1\t1000\t1500\t+\nG3\tchr1\t400\t1100\t-\n' \
  >genes.saf
header() {
  printf '@HD\tVN:1.6\tSO:%s\n@SQ\tSN:chr1\tLN:5000\n@RG\tID:zeta\tSM:a\n@RG\tID:alpha\tSM:b\n' "$1"
}
# NAME FLAG POS [TAG]: a single-end record of 50 bases.
single() {
  printf '%s\t%s\tchr1\t%s\t60\t50M\t*\t0\t0\t%s\t%s%s\n' "$1" "$2" "$3" "$(printf 'A%.0s' {1..50})" \
    "$(printf 'I%.0s' {1..50})" "${4:+$'\t'$4}"
}
# NAME FLAG POS MATE_POS TLEN [TAG]: a paired record of 50 bases.
mate() {
  printf '%s\t%s\tchr1\t%s\t60\t50M\t=\t%s\t%s\t%s\t%s%s\n' "$1" "$2" "$3" "$4" "$5" "$(printf 'A%.0s' {1..50})" \
    "$(printf 'I%.0s' {1..50})" "${6:+$'\t'$6}"
}

{
  header unsorted
  single r1 0 150 RG:Z:zeta
  single r2 0 160 RG:Z:alpha
  single r3 0 1100        # no read group: counted nowhere
  single r4 0 1200 RG:Z:other  # a group the header does not name: counted nowhere
  single r5 0 3000 RG:Z:alpha
  single r6 4 0 RG:Z:zeta
  single r7 0 460 RG:Z:zeta  # G1 and G3
  single r8 256 170 RG:Z:alpha
  printf 'r9\t0\tchr1\t1050\t60\t50M\t*\t0\t0\t*\t*\tNH:i:2\tRG:Z:alpha\n'
  printf 'r9\t256\tchr1\t200\t60\t50M\t*\t0\t0\t*\t*\tNH:i:2\tRG:Z:zeta\n'
} >single.sam
grep -v '^@RG' single.sam >no_groups.sam
for opts in "" "-O" "-M" "-M -O --fraction" "--primary"; do
  same_as_featurecounts genes.saf "--byReadGroup $opts" single.sam
done
same_as_featurecounts genes.saf "--byReadGroup" no_groups.sam single.sam

# Pairs next to each other, each mate of another group (or none).
{
  header unsorted
  mate p1 99 150 200 100 RG:Z:zeta; mate p1 147 200 150 -100 RG:Z:alpha
  mate p2 163 1100 1150 100 RG:Z:alpha; mate p2 83 1150 1100 -100 RG:Z:zeta
  mate p3 99 150 200 100; mate p3 147 200 150 -100 RG:Z:zeta
  mate p4 99 300 350 100 RG:Z:zeta; mate p4 147 350 300 -100
  mate p5 73 1200 1200 0 RG:Z:alpha
} >pairs.sam
# Coordinate-sorted: 300 pairs whose first records all come before their mates, the first record of every
# third pair read 2, the first record of every fifth pair in group zeta and its mate in alpha, the other way
# round for the others; with --max-waiting-mates 1 the waiting mates spill into many runs, which ulimit -n 40
# makes merge in two rounds.
{
  header coordinate
  for i in $(seq 300); do
    groups=(RG:Z:zeta RG:Z:alpha); ((i % 5)) && groups=(RG:Z:alpha RG:Z:zeta)
    flag=99; ((i % 3 == 0)) && flag=163
    mate "q$i" $flag $((100 + i)) $((1100 + i)) 1050 "${groups[0]}"
  done
  for i in $(seq 300); do
    groups=(RG:Z:zeta RG:Z:alpha); ((i % 5)) && groups=(RG:Z:alpha RG:Z:zeta)
    flag=147; ((i % 3 == 0)) && flag=83
    mate "q$i" $flag $((1100 + i)) $((100 + i)) -1050 "${groups[1]}"
  done
} >sorted.sam
for opts in "" "--countReadPairs" "--countReadPairs -O" "--countReadPairs -B"; do
  same_as_featurecounts genes.saf "-p --byReadGroup $opts" pairs.sam sorted.sam
done
# featureCounts has no --max-waiting-mates: ifnsig's spilled count must equal featureCounts' own.
featureCounts -F SAF -a genes.saf -o fc_sorted.txt -p --countReadPairs --byReadGroup sorted.sam >/dev/null 2>&1 ||
  fail "featureCounts failed on sorted.sam"
for threads in 1 2; do
  (
    ulimit -n 40
    "$IFNSIG" count -q -F SAF -a genes.saf -o if_sorted.txt -T $threads -p --countReadPairs --byReadGroup \
      --max-waiting-mates 1 sorted.sam
  ) 2>if.log || fail "ifnsig count with spilled mates failed: $(cat if.log)"
  diff <(tail -n +2 fc_sorted.txt | cut -f1,6-) <(tail -n +2 if_sorted.txt | cut -f1,6-) >diff.txt ||
    fail "spilled mates: counts differ from featureCounts (-T $threads): $(head -8 diff.txt)"
  diff fc_sorted.txt.summary if_sorted.txt.summary >diff.txt ||
    fail "spilled mates: summary differs from featureCounts (-T $threads): $(head -8 diff.txt)"
  checked=$((checked + 1))
done

# The real BAMs, given two read groups: records alternate between them, every seventh has none.
two_groups() {
  {
    samtools view -H "$1"
    printf '@RG\tID:left\tSM:x\n@RG\tID:right\tSM:y\n'
    samtools view "$1" |
      awk 'BEGIN { OFS = "\t" } { n++; if (n % 7 == 0) print; else print $0, (n % 2 ? "RG:Z:left" : "RG:Z:right") }'
  } | samtools view -b -o "$2" - || fail "samtools could not give $1 read groups"
}
degnorm="$(debian_data r-bioc-degnorm)/usr/lib/R/site-library/DegNorm/extdata"
dupradar="$(debian_data r-bioc-dupradar)/usr/lib/R/site-library/dupRadar/extdata"
degnorm_bam=$(ls "$degnorm"/SRR*.bam | head -1)
dupradar_bam=$(ls "$dupradar"/wgEncode*.bam | head -1)
two_groups "$degnorm_bam" degnorm_rg.bam
two_groups "$dupradar_bam" dupradar_rg.bam
[ "$(samtools view -H degnorm_rg.bam | grep -c '^@RG')" = 2 ] || fail "degnorm_rg.bam has no two @RG lines"
for opts in "-p" "-p --countReadPairs" "-p --countReadPairs -O -M"; do
  same_as_featurecounts "$degnorm/genes_chr21.gtf" "--byReadGroup $opts" degnorm_rg.bam
done
for opts in "" "-M -O --fraction" "-s 2"; do
  same_as_featurecounts "$dupradar/genes.gtf" "--byReadGroup $opts" dupradar_rg.bam
done

# Not with --genes, which reads part of a file.
samtools sort -o sorted_rg.bam dupradar_rg.bam 2>/dev/null && samtools index sorted_rg.bam
expect_failure 2 "--genes and --byReadGroup" "$IFNSIG" count -a "$dupradar/genes.gtf" -o genes_rg.txt --byReadGroup \
  --genes "$(awk -F'"' '$3 == "exon" || /exon/ { print $2; exit }' "$dupradar/genes.gtf")" sorted_rg.bam
[ ! -e genes_rg.txt ] || fail "--genes --byReadGroup left an output behind"
echo "$checked comparisons with featureCounts --byReadGroup"
