# -R CORE: `ifnsig count` writes featureCounts 2.0.3's per-read assignment file (Debian package subread),
# <input file name>.featureCounts in --Rpath (else beside -o), a line per read or pair: name, status, the number
# of targets (0 for reads rejected before features are looked up, -1 for the other unassigned ones) and the
# targets. Lines in featureCounts' order on the fixtures and the single-end BAM (the paired-end BAM's mates
# never meet: featureCounts' order of lone mates is its own, so those lines are compared sorted); the targets
# of a line with several are compared as a set (ifnsig lists them in annotation order). The file is the
# same at -T 1 and -T 2.
source "$SRC/tests/lib.sh"
need_packages subread
cd "$WORK"
checked=0

# Targets of each line sorted, so that only their set is compared.
normalized() {
  awk 'BEGIN { FS = OFS = "\t" }
       { n = split($4, t, ","); asort(t); $4 = t[1]; for (i = 2; i <= n; i++) $4 = $4 "," t[i]; print }' "$1"
}
# ANNOTATION "OPTIONS" INPUT [sorted]: featureCounts' and ifnsig's -R CORE files are the same.
same_details() {
  local annotation=$1 opts=$2 input=$3 order=${4:-} name format=()
  name=$(basename "$input").featureCounts
  [[ $annotation == *.saf ]] && format=(-F SAF)
  mkdir -p fc if1 if2
  featureCounts "${format[@]}" -a "$annotation" -o fc/out.txt -R CORE $opts "$input" >fc.log 2>&1 ||
    fail "featureCounts -R CORE $opts failed: $(tail -5 fc.log)"
  for threads in 1 2; do
    "$IFNSIG" count -q "${format[@]}" -a "$annotation" -o if$threads/out.txt -R CORE -T $threads $opts "$input" \
      2>if.log || fail "ifnsig count -R CORE $opts failed: $(cat if.log)"
    diff <(tail -n +2 fc/out.txt | cut -f1,6-) <(tail -n +2 if$threads/out.txt | cut -f1,6-) >diff.txt ||
      fail "counts differ from featureCounts with -R CORE $opts on $input: $(head -5 diff.txt)"
  done
  cmp -s if1/"$name" if2/"$name" || fail "-R CORE $opts: $name differs between -T 1 and -T 2"
  if [ "$order" = sorted ]; then
    diff <(normalized fc/"$name" | sort) <(normalized if1/"$name" | sort) >diff.txt
  else
    diff <(normalized fc/"$name") <(normalized if1/"$name") >diff.txt
  fi || fail "-R CORE $opts on $input differs from featureCounts': $(head -8 diff.txt)"
  checked=$((checked + 1))
}

printf 'GeneID\tChr\tStart\tEnd\tStrand\nG1\tchr1\t100\t500\t+\nG2\tchr1\t1000\t1500\t+\nG3\tchr1\t400\t1100\t-\n' \
  >genes.saf
# NAME FLAG POS [MAPQ [TAGS]]: a single-end record of 50 bases.
single() {
  printf '%s\t%s\tchr1\t%s\t%s\t50M\t*\t0\t0\t%s\t%s%s\n' "$1" "$2" "$3" "${4:-60}" "$(printf 'A%.0s' {1..50})" \
    "$(printf 'I%.0s' {1..50})" "${5:+$'\t'$5}"
}
# NAME FLAG POS MATE_POS TLEN: a paired record of 50 bases.
mate() {
  printf '%s\t%s\tchr1\t%s\t60\t50M\t=\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$(printf 'A%.0s' {1..50})" \
    "$(printf 'I%.0s' {1..50})"
}
{
  printf '@HD\tVN:1.6\tSO:unsorted\n@SQ\tSN:chr1\tLN:5000\n'
  single r1 0 150; single r2 0 160 5; single r3 0 1100; single r4 1024 1200; single r5 0 3000
  printf 'r6\t4\t*\t0\t0\t*\t*\t0\t0\t*\t*\n'
  single r7 0 460; single r8 256 170
  single r9 0 1050 60 NH:i:2; single r9 256 200 60 NH:i:2
  printf 'r10\t0\tchr1\t300\t60\t20M100N30M\t*\t0\t0\t*\t*\n'
} >single.sam
for opts in "" "-O" "-M" "-M -O --fraction" "--primary -M" "-Q 10 --ignoreDup" "--splitOnly" "--nonSplitOnly" \
  "--minOverlap 60" "-f -O" "--largestOverlap -O"; do
  same_details genes.saf "$opts" single.sam
done

{
  printf '@HD\tVN:1.6\tSO:unsorted\n@SQ\tSN:chr1\tLN:5000\n'
  mate p1 99 150 200 100; mate p1 147 200 150 -100
  mate p2 163 1100 1150 100; mate p2 83 1150 1100 -100
  mate chimera 65 150 200 100; mate chimera 129 200 150 -100
  mate long 99 150 400 300; mate long 147 400 150 -300
  printf 'both_unmapped\t77\t*\t0\t0\t*\t*\t0\t0\t*\t*\nboth_unmapped\t141\t*\t0\t0\t*\t*\t0\t0\t*\t*\n'
  mate half 73 150 150 0; printf 'half\t133\tchr1\t150\t0\t*\t=\t150\t0\t*\t*\n'
  mate alone 73 1200 1200 0
} >pairs.sam
# Coordinate-sorted: 200 pairs whose first records all come before their mates (pairs across batches).
{
  printf '@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:chr1\tLN:5000\n'
  for i in $(seq 200); do mate "q$i" 99 $((100 + i)) $((1300 + i)) 1250; done
  for i in $(seq 200); do mate "q$i" 147 $((1300 + i)) $((100 + i)) -1250; done
} >sorted.sam
for opts in "-p" "-p --countReadPairs" "-p --countReadPairs -O" "-p --countReadPairs -B -C -P -D 200"; do
  same_details genes.saf "$opts" pairs.sam
  same_details genes.saf "$opts" sorted.sam
done

# With --byReadGroup: a read without a group has no line, one of a group no @RG line names has its line.
{
  printf '@HD\tVN:1.6\tSO:unsorted\n@SQ\tSN:chr1\tLN:5000\n@RG\tID:zeta\n@RG\tID:alpha\n'
  single g1 0 150 60 RG:Z:zeta; single g2 0 1100 60 RG:Z:alpha; single g3 0 160; single g4 0 1200 60 RG:Z:other
  single g5 4 0 60 RG:Z:zeta
} >groups.sam
same_details genes.saf "--byReadGroup" groups.sam

# --Rpath, and beside -o without it.
mkdir -p details out
"$IFNSIG" count -q -F SAF -a genes.saf -o out/x.txt -R CORE --Rpath details single.sam 2>if.log ||
  fail "ifnsig count --Rpath failed: $(cat if.log)"
[ -s details/single.sam.featureCounts ] || fail "--Rpath: no details/single.sam.featureCounts"
"$IFNSIG" count -q -F SAF -a genes.saf -o out/x.txt -R CORE single.sam 2>if.log || fail "-R CORE failed: $(cat if.log)"
[ -s out/single.sam.featureCounts ] || fail "-R CORE: no out/single.sam.featureCounts beside -o"
expect_failure 2 "-R SAM is not supported" "$IFNSIG" count -q -F SAF -a genes.saf -o y.txt -R SAM single.sam
expect_failure 2 "standard input" "$IFNSIG" count -q -F SAF -a genes.saf -o y.txt -R CORE - <single.sam
[ ! -e y.txt ] || fail "a refused -R left an output behind"

degnorm="$(debian_data r-bioc-degnorm)/usr/lib/R/site-library/DegNorm/extdata"
dupradar="$(debian_data r-bioc-dupradar)/usr/lib/R/site-library/dupRadar/extdata"
for bam in "$degnorm"/SRR*.bam; do
  for opts in "-p" "-p --countReadPairs" "-p --countReadPairs -O -M"; do
    same_details "$degnorm/genes_chr21.gtf" "$opts" "$bam" sorted
  done
done
for bam in "$dupradar"/wgEncode*.bam; do
  for opts in "" "-M -O --fraction" "-s 2 -Q 5"; do
    same_details "$dupradar/genes.gtf" "$opts" "$bam"
  done
done
echo "$checked -R CORE files compared with featureCounts'"
