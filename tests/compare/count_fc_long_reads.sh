# featureCounts 2.0.3's (Debian package subread) long-read mode, -L, beside `ifnsig count`: every section of a
# CIGAR is read (its --maxMOp of 10 lifted), on a BAM of long spliced reads generated here (up to 120 sections,
# with insertions and deletions) and on the real BAMs of r-bioc-degnorm (-p: reads) and r-bioc-dupradar.
# Counts and summaries must be identical; -L with --countReadPairs is refused, as featureCounts refuses it.
source "$SRC/tests/lib.sh"
need_packages subread samtools
checked=0
cd "$WORK"

# Genes G1..G8, each of 15 exons of 100 bases 200 apart (G1 at 1001, G2 5501, ...), and T covering G8's last
# exons. Reads start at an exon of G1..G8 and splice across 5 to 120 exon-sized blocks with an insertion or a
# deletion in some, so they reach 1 to 8 genes; later sections reach genes featureCounts drops without -L.
awk 'BEGIN {
  OFS = "\t"; print "GeneID", "Chr", "Start", "End", "Strand"
  for (g = 1; g <= 8; g++) for (e = 0; e < 15; e++) { s = 1001 + (g - 1) * 4500 + e * 300; print "G" g, "chr1", s, s + 99, "+" }
  print "T", "chr1", 33000, 34500, "-"
}' >genes.saf
awk 'BEGIN {
  OFS = "\t"; print "@HD", "VN:1.6", "SO:coordinate"; print "@SQ", "SN:chr1", "LN:100000"
  srand(19)
  for (r = 1; r <= 300; r++) {
    g = int(rand() * 8); e = int(rand() * 15); start = 1001 + g * 4500 + e * 300 + int(rand() * 40)
    blocks = 5 + int(rand() * 116); cigar = ""; bases = 0
    for (b = 0; b < blocks; b++) {
      m = 60 + int(rand() * 40); k = rand()
      if (k < 0.1) { cigar = cigar int(m / 2) "M2I" (m - int(m / 2)) "M"; bases += m + 2 }
      else if (k < 0.2) { cigar = cigar int(m / 2) "M3D" (m - int(m / 2) - 3) "M"; bases += m - 3 }
      else { cigar = cigar m "M"; bases += m }
      if (b + 1 < blocks) cigar = cigar (300 - m) "N"
    }
    seq = ""; qual = ""
    for (i = 0; i < bases; i++) { seq = seq "A"; qual = qual "I" }
    print "long" r, (rand() < 0.5 ? 0 : 16), "chr1", start, 60, cigar, "*", 0, 0, seq, qual
  }
}' | samtools sort -o long.bam - 2>/dev/null || fail "samtools could not write the long reads"
for opts in "-L" "-L -O" "-L --largestOverlap" "-L -f" "-L --fracOverlap 0.5" "-L --maxMOp 3" "-L -s 1" \
  "-L --nonOverlap 100 -O" "-L --fracOverlapFeature 0.9 -O" "--maxMOp 65536" ""; do
  same_as_featurecounts genes.saf "$opts" long.bam
done

degnorm="$(debian_data r-bioc-degnorm)/usr/lib/R/site-library/DegNorm/extdata"
dupradar="$(debian_data r-bioc-dupradar)/usr/lib/R/site-library/dupRadar/extdata"
same_as_featurecounts "$degnorm/genes_chr21.gtf" "-L -p" "$degnorm"/SRR*.bam
same_as_featurecounts "$dupradar/genes.gtf" "-L" "$dupradar"/wgEncode*.bam

expect_failure 2 "-L .*countReadPairs|countReadPairs" "$IFNSIG" count -q -F SAF -a genes.saf -o out.txt -L -p --countReadPairs long.bam
[ ! -e out.txt ] || fail "a refused -L left an output behind"
echo "identical to featureCounts in $checked runs"
