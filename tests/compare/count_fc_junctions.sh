# featureCounts 2.0.3's (Debian package subread) junction counts (-J, OUT.jcounts) and splice-site strands
# (-G FASTA), beside `ifnsig count`: SAM fixtures written here (single-end and paired reads with one or two
# junctions, inside a gene, between genes, outside any, on the minus strand, filtered reads) and the real
# paired-end BAMs shipped by r-bioc-degnorm. The .jcounts files, counts and summaries must be identical at
# -T 1 and -T 2.
source "$SRC/tests/lib.sh"
need_packages subread samtools
checked=0
cd "$WORK"

# NAME FLAG CONTIG POS MAPQ CIGAR [MATE_POS TLEN [TAG]]: one SAM line with a sequence of the CIGAR's length.
record() {
  local name=$1 flag=$2 contig=$3 pos=$4 mapq=$5 cigar=$6 mate_pos=${7:-0} tlen=${8:-0} tag=${9:-} length=0 rest=$6
  while [[ $rest =~ ^([0-9]+)([MIDNSHP=X])(.*)$ ]]; do
    [[ ${BASH_REMATCH[2]} == [MIS=X] ]] && length=$((length + BASH_REMATCH[1]))
    rest=${BASH_REMATCH[3]}
  done
  local mate_contig='*'
  ((mate_pos > 0)) && mate_contig='='
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s%s\n' "$name" "$flag" "$contig" "$pos" "$mapq" "$cigar" \
    "$mate_contig" "$mate_pos" "$tlen" "$(printf 'A%.0s' $(seq "$length"))" "$(printf 'I%.0s' $(seq "$length"))" \
    "${tag:+	$tag}"
}

# Runs featureCounts and ifnsig count (-T 1 and -T 2) with the same options; the .jcounts, counts and
# summaries must be identical. Usage: same_junctions ANNOTATION "OPTIONS" INPUT...
same_junctions() {
  local annotation=$1 opts=$2; shift 2
  local format=()
  [[ $annotation == *.saf ]] && format=(-F SAF)
  featureCounts "${format[@]}" -a "$annotation" -o fc.txt $opts "$@" >fc.log 2>&1 ||
    fail "featureCounts $opts failed: $(tail -5 fc.log)"
  [ -f fc.txt.jcounts ] || fail "featureCounts $opts wrote no .jcounts"
  for threads in 1 2; do
    rm -f if.txt.jcounts
    "$IFNSIG" count -q "${format[@]}" -a "$annotation" -o if.txt -T $threads $opts "$@" 2>if.log ||
      fail "ifnsig count $opts failed: $(cat if.log)"
    diff fc.txt.jcounts if.txt.jcounts >diff.txt ||
      fail ".jcounts differs from featureCounts with '$opts' (-T $threads) on $*: $(head -8 diff.txt)"
    diff <(tail -n +2 fc.txt | cut -f1,6-) <(tail -n +2 if.txt | cut -f1,6-) >diff.txt ||
      fail "counts differ from featureCounts with '$opts' (-T $threads) on $*: $(head -8 diff.txt)"
    diff fc.txt.summary if.txt.summary >diff.txt ||
      fail "summary differs from featureCounts with '$opts' (-T $threads) on $*: $(head -8 diff.txt)"
  done
  checked=$((checked + 1))
}

# Genes: A (+) has exons 101-200 and 301-400; B (-) 351-600 overlaps A's second exon; C (-) 1001-1100 and
# 1201-1300; on chr1 Z, Y and X overlap at 1041-1050, W and V overlap C's end. D on chr2. Nothing on chr10.
cat >genes.saf <<'EOF'
GeneID	Chr	Start	End	Strand
Z	chr1	1001	1100	-
A	chr1	101	200	+
A	chr1	301	400	+
B	chr1	351	600	-
Y	chr1	1001	1050	+
X	chr1	1041	1060	+
C	chr1	1001	1100	-
C	chr1	1201	1300	-
W	chr1	1251	1400	+
V	chr1	1290	1295	+
D	chr2	101	300	+
EOF
awk -F'\t' 'NR > 1 { printf "%s\ttest\texon\t%s\t%s\t.\t%s\t.\tgene_id \"%s\"; transcript_id \"t%s\";\n", $2, $3, $4, $5, $1, $1 }' \
  genes.saf >genes.gtf

header() { printf '@HD\tVN:1.6\tSO:unsorted\n@SQ\tSN:chr1\tLN:5000\n@SQ\tSN:chr10\tLN:5000\n@SQ\tSN:chr2\tLN:5000\n'; }
{
  header
  record in_gene 0 chr1 181 60 20M100N20M         # A's two exons: 200/301
  record in_gene_minus 16 chr1 181 60 20M100N20M
  record two_junctions 0 chr1 181 60 20M100N10M50N10M  # 200/301 and 310/361 (A, and B at 361)
  record low_mapq 0 chr1 181 3 20M100N20M          # out with -Q 10
  record secondary 256 chr1 181 60 20M100N20M      # out with --primary
  record duplicate 1024 chr1 181 60 20M100N20M     # out with --ignoreDup
  record multi 0 chr1 181 60 20M100N20M 0 0 NH:i:2 # out without -M
  record between 0 chr1 381 60 20M500N20M          # 400/901: A and B, then nothing
  record c_gene 16 chr1 1081 60 20M100N20M         # C: 1100/1201
  record insertion 0 chr1 1191 60 5S5M1I5M100N10M  # 1200/1301
  record deletion 0 chr1 181 60 20M2D5M100N10M     # 207/308
  record nowhere 0 chr1 2001 60 10M100N10M
  record nowhere_two 0 chr1 3001 60 10M100N10M100N10M
  record left_only 0 chr1 141 60 10M1039N10M       # 150/1190
  record both 0 chr1 141 60 10M899N10M             # 150/1050: A, then Z, Y, X
  record intron 0 chr1 241 60 10M59N10M            # 250/310: A's intron
  record overlaps 0 chr1 1041 60 10M1240N10M       # 1050/2291
  record c_end 0 chr1 1291 60 5M400N10M            # 1295/1696: C, W, V
  record tiny 0 chr1 2041 60 10M1N10M
  record z_to_c 0 chr1 1041 60 10M189N10M          # 1050/1240
  record z_to_v 0 chr1 1041 60 10M239N10M          # 1050/1290
  record b_to_z 0 chr1 591 60 10M440N10M           # 600/1041
  record b_to_z2 0 chr1 591 60 10M440N10M
  record order 0 chr1 181 60 20M1100N20M           # 200/1301 sorts before 200/301
  record chr10 0 chr10 591 60 10M440N10M           # no genes
  record chr2 0 chr2 191 60 10M20N10M              # D: 200/221
  record many 0 chr1 1 60 5M10N5M10N5M10N5M10N5M10N5M10N5M10N5M10N5M10N5M10N5M10N5M  # beyond --maxMOp 10
  record unspliced 0 chr1 101 60 40M
  record ins_skip 0 chr1 181 60 10M1I100N10M        # sections that end with I, D or N, some empty
  record skip_del 0 chr1 181 60 10M100N5D10M
  record del_skip 0 chr1 181 60 10M5D100N10M
  record skip_ins 0 chr1 181 60 10M100N1I10M
  record skip_skip 0 chr1 181 60 10M100N100N10M
  record del_ins_skip 0 chr1 181 60 10M1D1I100N10M
  record clipped 0 chr1 181 60 5S10=100N10X5S
  record skip_last 0 chr1 181 60 10M100N
  record unmapped 4 '*' 0 0 '*'
} >se.sam
for opts in "-J" "-J -M" "-J -Q 10 --primary --ignoreDup" "-J -O" "-J -M -O --fraction" "-J -f" "-J -s 1" \
  "-J -s 2" "-J --splitOnly" "-J --nonSplitOnly" "-J --maxMOp 3" "-J --minOverlap 30" "-J --largestOverlap"; do
  same_junctions genes.saf "$opts" se.sam
done
same_junctions genes.gtf "-J -M" se.sam

# Pairs: mates with different junctions, the same junction (once per fragment), one spliced mate, a mate
# unmapped, a mate of low quality, a pair whose mates wait for each other across the file.
{
  header
  record different 99 chr1 181 60 20M100N20M 321 180; record different 147 chr1 321 60 20M100N20M 181 -180
  record same 99 chr1 181 60 20M100N20M 191 150; record same 147 chr1 191 60 10M100N20M 181 -150
  record one 99 chr1 181 60 20M100N20M 1000 850; record one 147 chr1 1000 60 30M 181 -850
  record lone 73 chr1 181 60 20M100N20M 181 0; record lone 133 chr1 181 0 '*' 181 0
  record low 99 chr1 181 3 20M100N20M 500 350; record low 147 chr1 500 60 20M 181 -350
  record far 99 chr1 181 60 20M1100N20M 2000 1850
  record minus 163 chr1 1081 60 20M100N20M 1181 120; record minus 83 chr1 1181 60 20M100N20M 1081 -120
  record far 147 chr1 2000 60 20M 181 -1850
  record two 99 chr1 141 60 10M899N10M 1041 940; record two 147 chr1 1041 60 10M189N10M 141 -940
} >pe.sam
for opts in "-J -p" "-J -p --countReadPairs" "-J -p --countReadPairs -Q 10" "-J -p --countReadPairs -B" \
  "-J -p --countReadPairs -P -B" "-J -p --countReadPairs -C" "-J -p -Q 10" "-J -p --countReadPairs -M -O"; do
  same_junctions genes.saf "$opts" pe.sam
done
# Several files: 0 where a file lacks a junction.
{
  header
  record different 99 chr1 181 60 20M100N20M 321 180; record different 147 chr1 321 60 20M100N20M 181 -180
  record new 99 chr1 2001 60 10M100N10M 2301 320; record new 147 chr1 2301 60 20M 2001 -320
} >pe2.sam
same_junctions genes.saf "-J -p --countReadPairs" pe.sam pe2.sam
{ header; record new 0 chr1 2001 60 10M100N10M; record chr2 0 chr2 191 60 10M20N10M; } >se2.sam
same_junctions genes.saf "-J" se2.sam se.sam

# -G: the strand from the splice-site motif (GT..AG +, CT..AC -, lower case too). featureCounts 2.0.3 does not
# read the last sequence of a FASTA (docs/count.md): a last sequence no read is on keeps both tools alike.
python3 - <<'EOF'
import random
random.seed(19)
contigs = {name: [random.choice("ACGT") for _ in range(5000)] for name in ("chr1", "chr10", "chr2")}
def put(name, position, bases):
    contigs[name][position - 1:position - 1 + len(bases)] = list(bases)
put("chr1", 201, "GT"); put("chr1", 299, "AG")     # 200/301 +
put("chr1", 1101, "ct"); put("chr1", 1199, "ac")   # 1100/1201 -
put("chr1", 151, "GT"); put("chr1", 1048, "AA")    # 150/1050: NA
put("chr2", 201, "CT"); put("chr2", 219, "AC")     # 200/221 -
with open("genome.fa", "w") as out:
    for name in ("chr2", "chr1", "chr10", "unused"):
        sequence = "".join(contigs.get(name, ["A"] * 100))
        out.write(f">{name} test sequence\n")
        out.write("\n".join(sequence[i:i + 60] for i in range(0, len(sequence), 60)) + "\n")
EOF
same_junctions genes.saf "-J -G genome.fa" se.sam
same_junctions genes.saf "-J -G genome.fa -p --countReadPairs" pe.sam
gzip -c genome.fa >genome.fa.gz
same_junctions genes.saf "-J -G genome.fa.gz -p" pe.sam

# What featureCounts does not check, and --genes (which reads part of a file).
awk '/^>/ { n = 0 } n++ < 3' genome.fa >short.fa
expect_failure 1 "short.fa.*sequence 'chr1' is shorter than the reads" "$IFNSIG" count -q -F SAF -a genes.saf -o bad.txt -J -G short.fa se.sam
awk '/^>/ { keep = $1 != ">chr10" } keep' genome.fa >no_chr10.fa
expect_failure 1 "no_chr10.fa.*no sequence named 'chr10'" \
  "$IFNSIG" count -q -F SAF -a genes.saf -o bad.txt -J -G no_chr10.fa se.sam
[ ! -e bad.txt ] && [ ! -e bad.txt.jcounts ] || fail "a failed -G run left outputs"
expect_failure 2 "missing.fa" "$IFNSIG" count -q -F SAF -a genes.saf -o bad.txt -J -G missing.fa se.sam
samtools sort -o se.bam se.sam 2>/dev/null && samtools index se.bam
expect_failure 2 "-J.*--genes" "$IFNSIG" count -q -F SAF -a genes.saf -o bad.txt -J --genes A se.bam

degnorm="$(debian_data r-bioc-degnorm)/usr/lib/R/site-library/DegNorm/extdata"
same_junctions "$degnorm/genes_chr21.gtf" "-J -p --countReadPairs" "$degnorm"/SRR*.bam
same_junctions "$degnorm/genes_chr21.gtf" "-J -p -M -O" "$degnorm"/SRR*.bam
echo "identical to featureCounts in $checked runs"
