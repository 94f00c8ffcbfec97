# featureCounts 2.0.3's (Debian package subread) rules on a read's overlap and CIGAR, beside `ifnsig count`:
# --nonOverlap and --maxMOp, on SAM fixtures written here (one read per case) and on the real BAMs shipped by
# r-bioc-degnorm (paired-end) and r-bioc-dupradar (single-end). Counts and summaries must be identical.
source "$SRC/tests/lib.sh"
need_packages subread samtools
checked=0
cd "$WORK"

# Genes: A 101-200, B 301-400, C 1001-5000; D has two exons, 601-650 and 701-900.
printf 'GeneID\tChr\tStart\tEnd\tStrand\nA\tchr1\t101\t200\t+\nB\tchr1\t301\t400\t+\nC\tchr1\t1001\t5000\t+\n' >genes.saf
printf 'D\tchr1\t601\t650\t+\nD\tchr1\t701\t900\t+\n' >>genes.saf
{
  printf '@HD\tVN:1.6\tSO:unsorted\n@SQ\tSN:chr1\tLN:10000\n'
  sam_record inside 0 101 50M                 # no base outside A
  sam_record left_10 0 91 50M                 # 10 bases before A
  sam_record right_30 0 181 50M               # 30 bases after A
  sam_record clipped_5 0 96 5S45M             # soft clips count as bases outside
  sam_record clipped_end 0 151 40M10S
  sam_record insertion 0 101 20M10I20M        # insertions too
  sam_record deletion 0 101 20M10D30M         # deletions do not
  sam_record spliced 0 101 10M100N10M         # the second block outside A
  sam_record two_exons 0 631 20M50N30M        # both blocks in D's exons
  sam_record section_2 0 1 10M290N10M         # reaches B with its second section
  sam_record section_4 0 291 5M1I5M1I5M1I5M   # reaches B with its third section
  sam_record empty_section 0 96 4M1I1D10M     # its second section is empty (I then D); A from the third
  sam_record ins_del 0 101 10M1I1D10M
  sam_record trailing_clip 0 291 5M1I5M1I5M5S # the clip after a section ended by I
  sam_record long_spliced 0 81 10M10N10M10N10M10N10M10N10M10N10M10N10M10N10M10N10M10N10M10N10M10N10M10N10M
  sam_record many_sections 0 1001 5M1D5M1D5M1D5M1D5M1D5M1D5M1D5M1D5M1D5M1D5M1D5M1D5M
} >se.sam
for opts in "--nonOverlap 0" "--nonOverlap 5" "--nonOverlap 10" "--nonOverlap 30" "--nonOverlap 5 -f" \
  "--nonOverlap 10 --fracOverlap 0.9" "--nonOverlap 10 --minOverlap 45" "--nonOverlap 10 -O" \
  "--maxMOp 1" "--maxMOp 2" "--maxMOp 3" "--maxMOp 4" "--maxMOp 12" "--maxMOp 100" "" \
  "--maxMOp 2 --nonOverlap 3" "--maxMOp 3 --fracOverlap 0.5" "--maxMOp 2 --splitOnly" "--maxMOp 1 --read2pos 3" \
  "--maxMOp 3 --readExtension3 100"; do
  same_as_featurecounts genes.saf "$opts" se.sam
done

# Pairs: mates apart, so their bases add up in both tools.
{
  printf '@HD\tVN:1.6\tSO:unsorted\n@SQ\tSN:chr1\tLN:10000\n'
  sam_record pair_in 99 101 40M 151 90; sam_record pair_in 147 151 40M 101 -90
  sam_record pair_out 99 81 40M 161 120; sam_record pair_out 147 161 40M 81 -120
  sam_record pair_split 99 301 10M300N10M 2001 1720; sam_record pair_split 147 2001 20M 301 -1720
  sam_record pair_exons 99 611 30M 721 140; sam_record pair_exons 147 721 30M 611 -140
} >pe.sam
for opts in "--nonOverlap 0" "--nonOverlap 20" "--maxMOp 1" "--maxMOp 1 --nonOverlap 0"; do
  same_as_featurecounts genes.saf "-p $opts" pe.sam
  same_as_featurecounts genes.saf "-p --countReadPairs $opts" pe.sam
done

degnorm="$(debian_data r-bioc-degnorm)/usr/lib/R/site-library/DegNorm/extdata"
dupradar="$(debian_data r-bioc-dupradar)/usr/lib/R/site-library/dupRadar/extdata"
for opts in "--maxMOp 2" "--nonOverlap 0" "--nonOverlap 10"; do
  same_as_featurecounts "$degnorm/genes_chr21.gtf" "-p --countReadPairs $opts" "$degnorm"/SRR*.bam
  same_as_featurecounts "$dupradar/genes.gtf" "$opts" "$dupradar"/wgEncode*.bam
done
echo "identical to featureCounts in $checked runs"
