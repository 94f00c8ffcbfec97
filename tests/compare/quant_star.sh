#!/usr/bin/env bash
# STAR --quantMode GeneCounts files (issue 20, acceptance c), made by STAR 2.7.10b (Debian's rna-star) from reads
# of forward, reverse and unstranded libraries on a small seeded genome (quant_make_star_reads.py). The column
# ifnsig picks from each ReadsPerGene.out.tab (inferred from columns 3 and 4) must be the strandedness
# `ifnsig count -s auto` finds on STAR's BAM, and its counts those of featureCounts with that -s on the BAM.
# Also: --strand forces a column, per-sample inference in one run, the choice recorded in the reference, and the
# errors for mixed quantifiers, transcripts missing from the GTF, an undecidable strand and options STAR lacks.
source "$SRC/tests/lib.sh"
need_packages rna-star subread
cd "$WORK"
python3 "$SRC/tests/compare/quant_make_star_reads.py" reads
STAR --runMode genomeGenerate --genomeDir idx --genomeFastaFiles reads/genome.fa --sjdbGTFfile reads/genes.gtf \
  --sjdbOverhang 74 --genomeSAindexNbases 8 --runThreadN 2 --outFileNamePrefix idx_ >star_index.log 2>&1 ||
  fail "STAR genomeGenerate failed (see $WORK/star_index.log)"
declare -A expected=([forward]=1 [reverse]=2 [unstranded]=0)
declare -A word=([0]=unstranded [1]=forward [2]=reverse)
for protocol in forward reverse unstranded; do
  for k in 1 2; do
    s=$protocol$k
    mkdir -p "star/$s"
    STAR --genomeDir idx --readFilesIn "reads/${s}_R1.fq" "reads/${s}_R2.fq" --quantMode GeneCounts \
      --outSAMtype BAM Unsorted --runThreadN 2 --outFileNamePrefix "star/$s/" >"star/$s.log" 2>&1 ||
      fail "STAR failed on $s (see $WORK/star/$s.log)"
    "$IFNSIG" count -p --countReadPairs -s auto -a reads/genes.gtf -o "star/$s/ifnsig.txt" "star/$s/Aligned.out.bam" \
      2>"star/$s/count.log"
    grep -q "strandedness ${word[${expected[$protocol]}]}" "star/$s/count.log" ||
      fail "count -s auto did not find $protocol on $s: $(cat "star/$s/count.log")"
    "$IFNSIG" normalize --quant "star/$s/ReadsPerGene.out.tab" --method none --transform none --txi-out "star/$s/txi" \
      -o "star/$s/counts.tsv" 2>"star/$s/normalize.log"
    s_opt=${expected[$protocol]}
    grep -q "STAR $s: ${word[$s_opt]} (column $((s_opt + 2)), -s $s_opt) inferred" "star/$s/normalize.log" ||
      fail "ifnsig did not pick column $((s_opt + 2)) for $s: $(cat "star/$s/normalize.log")"
    featureCounts -p --countReadPairs -s "$s_opt" -a reads/genes.gtf -o "star/$s/fc.txt" "star/$s/Aligned.out.bam" \
      >"star/$s/fc.log" 2>&1 || fail "featureCounts failed on $s"
    python3 - "star/$s/fc.txt" "star/$s/txi/counts.tsv" <<'PY' || fail "the picked column of $s differs from featureCounts"
import sys
fc = {}
for line in open(sys.argv[1]):
    if not line.startswith(("#", "Geneid")):
        fields = line.rstrip("\n").split("\t")
        fc[fields[0]] = float(fields[-1])
ours = {}
for line in list(open(sys.argv[2]))[1:]:
    gene, value = line.rstrip("\n").split("\t")
    ours[gene] = float(value)
assert ours == fc and sum(fc.values()) > 1000, (len(ours), len(fc))
PY
  done
done

# All six in one run: a column per sample, recorded in the reference.
"$IFNSIG" normalize --quant-dir star --save-reference ref.json -o all.tsv 2>all.log
[ "$(grep -c 'inferred from' all.log)" -eq 6 ] || fail "not one inference per sample: $(cat all.log)"
grep -q '"inputs": "STAR files .*column per sample: forward1 3 forward2 3 reverse1 4 reverse2 4 unstranded1 2 unstranded2 2"' ref.json ||
  fail "the reference does not record the STAR columns: $(grep inputs ref.json)"
# --strand 2: column 4 for every sample, as featureCounts -s 2.
"$IFNSIG" -q normalize --quant star/forward1/ReadsPerGene.out.tab --strand 2 --method none --transform none \
  --txi-out forced -o forced.tsv
awk 'NR > 4 { print $1 "\t" $4 }' star/forward1/ReadsPerGene.out.tab >col4.txt
diff <(tail -n +2 forced/counts.tsv) col4.txt >/dev/null || fail "--strand 2 did not take column 4"

# Errors, each naming the file and what to do.
awk 'BEGIN { OFS = "\t" } NR <= 4 { print; next } { print $1, $2, int($2 * 0.7), $2 - int($2 * 0.7) }' \
  star/forward1/ReadsPerGene.out.tab >mixed_ReadsPerGene.out.tab
expect_failure 1 "mixed_ReadsPerGene.out.tab: cannot tell the strandedness: 69.7% of 6339 reads in column 3" \
  "$IFNSIG" normalize --quant mixed_ReadsPerGene.out.tab -o x.tsv
mkdir -p salmon/S1
printf 'Name\tLength\tEffectiveLength\tTPM\tNumReads\nG001.t1\t900\t700.000\t500000.000000\t10.000\nG001.t9\t900\t700.000\t500000.000000\t10.000\n' \
  >salmon/S1/quant.sf
expect_failure 1 "salmon/S1/quant.sf: 1 of its 2 transcripts are not in reads/genes.gtf: .G001.t9." \
  "$IFNSIG" normalize --quant salmon/S1/quant.sf --gtf reads/genes.gtf -o x.tsv
expect_failure 1 "salmon/S1/quant.sf: is salmon output but star/forward1/ReadsPerGene.out.tab is STAR's" \
  "$IFNSIG" normalize --quant star/forward1/ReadsPerGene.out.tab salmon/S1/quant.sf --gtf reads/genes.gtf -o x.tsv
expect_failure 2 "counts-from-abundance lengthScaledTPM needs transcript-level files" \
  "$IFNSIG" normalize --quant star/forward1/ReadsPerGene.out.tab --counts-from-abundance lengthScaledTPM -o x.tsv
expect_failure 2 "salmon files hold transcripts: give --gtf GTF or --tx2gene TSV" \
  "$IFNSIG" normalize --quant salmon/S1/quant.sf -o x.tsv
expect_failure 1 "reads/genes.gtf:line 1: not a quantifier output" "$IFNSIG" normalize --quant reads/genes.gtf -o x.tsv
[ ! -e x.tsv ] || fail "an output was left after an error"
echo "quant_star: ok"
