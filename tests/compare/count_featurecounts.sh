# Counts and summaries of `ifnsig count` must equal featureCounts 2.0.3's (Debian package subread):
# on hand-made SAM fixtures (one read per rule) and on the real BAMs shipped by r-bioc-degnorm
# (paired-end) and r-bioc-dupradar (single-end), over featureCounts' option matrix.
source "$SRC/tests/lib.sh"
need_packages subread
FIX="$SRC/tests/fixtures/count"
checked=0

single_end_options=("" "-s 1" "-s 2" "-M" "-M --fraction" "-O" "-M -O --fraction" "--largestOverlap" "-Q 10"
  "--primary" "-M --primary" "--ignoreDup" "-f" "-f -O" "--minOverlap 25" "--fracOverlap 0.8" "--splitOnly"
  "--nonSplitOnly" "--read2pos 5" "--read2pos 3" "--readExtension5 20" "--readExtension3 30")
for opts in "${single_end_options[@]}"; do
  same_as_featurecounts "$FIX/overlaps.gtf" "$opts" "$FIX/overlaps_se.sam"
  same_as_featurecounts "$FIX/splice.gtf" "$opts" "$FIX/splice_se.sam"
done
same_as_featurecounts "$FIX/multi_contig.gtf" "" "$FIX/multi_contig.sam"

pair_options=("" "-s 1" "-s 2" "-M" "-M --fraction" "-O" "--largestOverlap" "-Q 10" "--primary" "--ignoreDup"
  "--countReadPairs" "--countReadPairs -s 1" "--countReadPairs -s 2" "--countReadPairs -M"
  "--countReadPairs -M --fraction" "--countReadPairs -O" "--countReadPairs -M -O --fraction"
  "--countReadPairs --largestOverlap" "--countReadPairs -Q 10" "--countReadPairs --primary"
  "--countReadPairs --ignoreDup" "--countReadPairs -B" "--countReadPairs -C" "--countReadPairs -B -C"
  "--countReadPairs -B -P" "--countReadPairs -B -C -P -d 80 -D 300" "--countReadPairs --splitOnly"
  "--countReadPairs --fracOverlap 0.6" "--countReadPairs --minOverlap 40" "-B -C -P")
for opts in "${pair_options[@]}"; do
  same_as_featurecounts "$FIX/pairs.gtf" "-p $opts" "$FIX/pairs.sam"
done

degnorm="$(debian_data r-bioc-degnorm)/usr/lib/R/site-library/DegNorm/extdata"
# In these BAMs the mates' names differ (".1"/".2"), so every record is a lone mate: they test featureCounts'
# rules for mates judged from their own flags (-B, -C, -P with multi-mapping and secondary records).
for opts in "${pair_options[@]}"; do
  same_as_featurecounts "$degnorm/genes_chr21.gtf" "-p $opts" "$degnorm"/SRR*.bam
done
dupradar="$(debian_data r-bioc-dupradar)/usr/lib/R/site-library/dupRadar/extdata"
for opts in "${single_end_options[@]}"; do
  same_as_featurecounts "$dupradar/genes.gtf" "$opts" "$dupradar"/wgEncode*.bam
done
# --extraAttributes: a gene's column holds one value when its exons agree (gene_name here), each exon's with -f;
# "NA" where a line lacks the attribute (overlaps.gtf has exons without gene_name).
same_as_featurecounts "$FIX/overlaps.gtf" "--extraAttributes gene_name,gene_type" "$FIX/overlaps_se.sam"
same_as_featurecounts "$FIX/overlaps.gtf" "-f --extraAttributes gene_name" "$FIX/overlaps_se.sam"
same_as_featurecounts "$dupradar/genes.gtf" "--extraAttributes gene_name" "$dupradar"/wgEncode*.bam
same_as_featurecounts "$dupradar/genes.gtf" "-f --extraAttributes gene_name,transcript_id" "$dupradar"/wgEncode*.bam
echo "identical to featureCounts in $checked runs"
