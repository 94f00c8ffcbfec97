# featureCounts 2.0.3's (Debian package subread) rules judged on each feature's (exon's) own bases,
# --fracOverlapFeature and --nonOverlapFeature, beside `ifnsig count`: alone and with the read's rules, -f, -O,
# --largestOverlap, --fraction (and -O with --largestOverlap: every target of the largest overlap), reads and
# fragments (mates that overlap each other count their shared bases
# once), on SAM fixtures written here and on the real BAMs of r-bioc-degnorm (paired-end) and r-bioc-dupradar
# (single-end). Counts and summaries must be identical.
source "$SRC/tests/lib.sh"
need_packages subread samtools
checked=0
cd "$WORK"

# A: 101-200 (100 bases). B: exons 301-340 and 361-460. C: 1001-1010 inside D: 901-1200. E: exons 2001-2100
# and 2051-2150 (overlapping: both judged, each on its own bases). F (-) on 3001-3100 overlaps G (+) 3051-3200.
{
  printf 'GeneID\tChr\tStart\tEnd\tStrand\nA\tchr1\t101\t200\t+\nB\tchr1\t301\t340\t+\nB\tchr1\t361\t460\t+\n'
  printf 'C\tchr1\t1001\t1010\t+\nD\tchr1\t901\t1200\t+\nE\tchr1\t2001\t2100\t+\nE\tchr1\t2051\t2150\t+\n'
  printf 'F\tchr1\t3001\t3100\t-\nG\tchr1\t3051\t3200\t+\n'
} >genes.saf
{
  printf '@HD\tVN:1.6\tSO:unsorted\n@SQ\tSN:chr1\tLN:10000\n'
  sam_record a30 0 101 30M                 # 30% of A: below 0.3 for featureCounts (its float 0.3 is above)
  sam_record a49 0 101 49M
  sam_record a50 0 101 50M
  sam_record a100 0 101 100M
  sam_record a_clip 0 151 40M20S
  sam_record a_deletion 0 101 40M20D40M    # 80 of A's bases, 100 of the read's reach
  sam_record a_out 0 61 80M                # 40 bases before A
  sam_record b_exon1 0 301 40M             # all of a 40-base exon
  sam_record b_part 0 311 30M
  sam_record b_both 0 311 30M20N50M        # 30/40 of B's first exon, 50/100 of its second
  sam_record b_split 0 331 10M30N90M
  sam_record cd 0 995 20M                  # all of C, 20/300 of D
  sam_record c_only 0 1001 10M
  sam_record e_two 0 2041 80M              # 60 of E's first exon, 70 of its second
  sam_record e_end 0 2101 50M
  sam_record fg 0 3041 60M                 # 60 of F, 10 of G
  sam_record fg_rev 16 3061 40M
  sam_record many 0 101 10M90N10M90N10M50N10M
} >se.sam
for opts in "--fracOverlapFeature 0.5" "--fracOverlapFeature 0.3" "--fracOverlapFeature 0.25" "--fracOverlapFeature 1" \
  "--fracOverlapFeature 0.1" "--nonOverlapFeature 0" "--nonOverlapFeature 50" "--nonOverlapFeature 60" \
  "--nonOverlapFeature 500" "--fracOverlapFeature 0.5 --nonOverlapFeature 20" "--fracOverlapFeature 0.5 -f" \
  "--nonOverlapFeature 40 -f" "--fracOverlapFeature 0.5 -O" "--nonOverlapFeature 60 -O" \
  "--fracOverlapFeature 0.3 -O --fraction" "--fracOverlapFeature 0.2 --largestOverlap" \
  "--fracOverlapFeature 0.4 --fracOverlap 0.9" "--fracOverlapFeature 0.4 --minOverlap 45" \
  "--nonOverlapFeature 60 --nonOverlap 10" "--fracOverlapFeature 0.3 -s 1" "--fracOverlapFeature 0.3 -s 2" \
  "--fracOverlapFeature 0.5 --readExtension3 30" "--nonOverlapFeature 90 --read2pos 5" \
  "--fracOverlapFeature 0.5 --maxMOp 2" "--fracOverlapFeature 0" "--fracOverlapFeature 0.05 -O --largestOverlap" \
  "-O --largestOverlap" "-O --largestOverlap --fraction" "-O --largestOverlap -f"; do
  same_as_featurecounts genes.saf "$opts" se.sam
done

# Pairs: mates that overlap each other (their shared bases count once), apart, and across two exons.
{
  printf '@HD\tVN:1.6\tSO:unsorted\n@SQ\tSN:chr1\tLN:10000\n'
  sam_record p_overlap 99 101 50M 131 80; sam_record p_overlap 147 131 50M 101 -80
  sam_record p_apart 99 101 30M 171 100; sam_record p_apart 147 171 30M 101 -100
  sam_record p_exons 99 311 30M 381 120; sam_record p_exons 147 381 50M 311 -120
  sam_record p_same 99 101 60M 101 60; sam_record p_same 147 101 60M 101 -60
  sam_record p_gap 99 101 20M10D20M 121 50; sam_record p_gap 147 121 30M 101 -50
  sam_record p_e 99 2001 60M 2091 150; sam_record p_e 147 2091 60M 2001 -150
  sam_record p_lone 73 151 50M 151 0
} >pe.sam
for opts in "--fracOverlapFeature 0.9" "--fracOverlapFeature 0.8" "--fracOverlapFeature 0.6" "--fracOverlapFeature 0.5" \
  "--nonOverlapFeature 20" "--nonOverlapFeature 19" "--nonOverlapFeature 40" "--fracOverlapFeature 0.8 -f" \
  "--fracOverlapFeature 0.5 -O" "--fracOverlapFeature 0.5 --largestOverlap" "--nonOverlapFeature 30 --minOverlap 70" \
  "--fracOverlapFeature 0.5 -B"; do
  same_as_featurecounts genes.saf "-p $opts" pe.sam
  same_as_featurecounts genes.saf "-p --countReadPairs $opts" pe.sam
done

degnorm="$(debian_data r-bioc-degnorm)/usr/lib/R/site-library/DegNorm/extdata"
dupradar="$(debian_data r-bioc-dupradar)/usr/lib/R/site-library/dupRadar/extdata"
for opts in "--fracOverlapFeature 0.5" "--nonOverlapFeature 30" "--fracOverlapFeature 0.2 -O --largestOverlap -f"; do
  same_as_featurecounts "$degnorm/genes_chr21.gtf" "-p --countReadPairs $opts" "$degnorm"/SRR*.bam
  same_as_featurecounts "$dupradar/genes.gtf" "$opts" "$dupradar"/wgEncode*.bam
done
same_as_featurecounts "$degnorm/genes_chr21.gtf" "-p --fracOverlapFeature 0.5" "$degnorm"/SRR*.bam

# Out of range: refused by name before any input is read.
expect_failure 2 "fracOverlapFeature" "$IFNSIG" count -q -F SAF -a genes.saf -o out.txt --fracOverlapFeature 1.5 se.sam
expect_failure 2 "nonOverlapFeature" "$IFNSIG" count -q -F SAF -a genes.saf -o out.txt --nonOverlapFeature -1 se.sam
[ ! -e out.txt ] || fail "a refused option left an output behind"
echo "identical to featureCounts in $checked runs"
