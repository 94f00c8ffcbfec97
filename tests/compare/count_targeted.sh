# count --genes on real and generated BAMs: every chosen gene's count equals the whole-file count's, over the
# option matrix. Real: the degnorm BAMs (paired-end; their mates' names end in .1/.2, renamed here so that
# they pair, as the reads of one fragment should) and the dupRadar BAM (single-end). Generated: 1M pairs on
# the hg38 RefSeq annotation (subread-data) with long fragments (mates outside the chosen genes), multi-
# mappers, duplicates, unmapped mates and chimeras; the chosen genes are panels (rice6, Hallmark IFN-alpha),
# every 40th gene and genes whose exons overlap another gene's; and 1M single-end reads; BAM and CRAM.
source "$SRC/tests/lib.sh"
checked=0

# The chosen genes' rows equal the whole-file count's rows; prints nothing.
same_as_full() {
  local annotation=$1 opts=$2 genes=$3; shift 3
  "$IFNSIG" -q count -T 2 -a "$annotation" -o "$WORK/full.txt" $opts "$@" || fail "count $opts failed"
  "$IFNSIG" -q count -T 2 -a "$annotation" -o "$WORK/genes.txt" --genes "$genes" $opts "$@" ||
    fail "count --genes $opts failed"
  tail -n +3 "$WORK/genes.txt" | cut -f1 | sort -u >"$WORK/chosen.txt"
  [ -s "$WORK/chosen.txt" ] || fail "no rows for --genes with '$opts'"
  diff <(tail -n +2 "$WORK/full.txt" | awk -F'\t' 'NR == FNR {chosen[$1]; next} FNR == 1 || $1 in chosen' "$WORK/chosen.txt" -) \
    <(tail -n +2 "$WORK/genes.txt") >"$WORK/diff.txt" ||
    fail "--genes differs from the whole-file count with '$opts' on $*: $(head -6 "$WORK/diff.txt")"
  checked=$((checked + 1))
}

genes_of_gtf() {  # every gene id of a GTF, comma-separated
  grep -o 'gene_id "[^"]*"' "$1" | sed 's/gene_id "//; s/"//' | sort -u | paste -sd, -
}

degnorm="$(debian_data r-bioc-degnorm)/usr/lib/R/site-library/DegNorm/extdata"
for bam in "$degnorm"/SRR*.bam; do
  paired="$WORK/$(basename "$bam" .bam).paired.bam"
  samtools view -h "$bam" | awk 'BEGIN {OFS = "\t"} !/^@/ {sub(/[.][12]$/, "", $1)} {print}' |
    samtools sort -o "$paired" - 2>/dev/null
  samtools index "$paired"
done
every_second=$(grep -o 'gene_id "[^"]*"' "$degnorm/genes_chr21.gtf" | sed 's/gene_id "//; s/"//' | sort -u | awk 'NR % 2' | paste -sd, -)
pair_options=("-s 0" "-s 1" "-s 2" "-M" "-M --fraction" "-O" "--largestOverlap" "-B -C" "-P -d 50 -D 600" "-Q 10"
  "--primary" "--ignoreDup" "-M -O --fraction -B -C -P -d 50 -D 600")
for opts in "${pair_options[@]}"; do
  same_as_full "$degnorm/genes_chr21.gtf" "-p --countReadPairs $opts" "$every_second" "$WORK"/SRR*.paired.bam
done
same_as_full "$degnorm/genes_chr21.gtf" "-p -O" "$every_second" "$WORK"/SRR*.paired.bam

dupradar="$(debian_data r-bioc-dupradar)/usr/lib/R/site-library/dupRadar/extdata"
cp "$dupradar/wgEncodeCaltechRnaSeqGm12878R1x75dAlignsRep2V2.bam" "$WORK/dupradar.bam" && samtools index "$WORK/dupradar.bam"
for opts in "" "-s 1" "-M --fraction -O" "--ignoreDup" "--primary -Q 10" "--largestOverlap" "-f"; do
  for gene in WASH7P OR4F5 "$(genes_of_gtf "$dupradar/genes.gtf")"; do
    same_as_full "$dupradar/genes.gtf" "$opts" "$gene" "$WORK/dupradar.bam"
  done
done

# Generated: the hg38 RefSeq exons (SAF, Entrez ids; the panels are matched by their Entrez ids).
saf="$WORK/hg38.saf"
zcat "$(debian_data subread-data)/usr/share/doc/subread/examples/annotation/hg38_RefSeq_exon.txt.gz" >"$saf"
overlapping=$(awk -F'\t' 'NR > 1 {print $2 "\t" $3 "\t" $4 "\t" $1}' "$saf" | sort -k1,1 -k2,2n |
  awk -F'\t' '$1 == chr && $2 <= end && $4 != gene {print gene; print $4}
              $1 != chr || $3 > end {chr = $1; end = $3; gene = $4}' | sort -u | awk 'NR <= 300' | paste -sd, -)
every_40th=$(awk -F'\t' 'NR > 1 {print $1}' "$saf" | awk '!seen[$1]++' | awk 'NR % 40 == 0' | paste -sd, -)
chosen="panel:rice6,panel:hallmark_ifna,$every_40th,$overlapping"
"$IFNSIG" -q simulate -a "$saf" -o "$WORK/sim" --samples 1 --ifn-high 1 --pairs 1000000 --fragment-mean 400 \
  --fragment-sd 300 --seed 7 -T 2
"$IFNSIG" -q simulate -a "$saf" -o "$WORK/sim_se" --samples 1 --ifn-high 1 --pairs 1000000 --single-end --seed 8 -T 2
generated_options=("-s 0" "-s 2" "-s auto" "-M --fraction" "-O" "--largestOverlap" "-B -C" "-P -d 50 -D 600"
  "-Q 10 --primary" "--ignoreDup" "-M -O --fraction")
for opts in "${generated_options[@]}"; do
  same_as_full "$saf" "-p --countReadPairs $opts" "$chosen" "$WORK/sim/sample01.bam"
done
mates=$(grep -Eo '"mate_records": [0-9]+' "$WORK/genes.txt.json" | grep -Eo '[0-9]+$')
[ "$mates" -gt 1000 ] || fail "the generated BAM has too few mates outside the chosen genes' reads ($mates)"
same_as_full "$saf" "-p -O" "$chosen" "$WORK/sim/sample01.bam"
for opts in "-s 2" "-M -O --fraction" "--ignoreDup --primary"; do
  same_as_full "$saf" "$opts" "$chosen" "$WORK/sim_se/sample01.bam"
done
# CRAM without reference (sequences stored as they are), read with a stand-in FASTA that is never consulted.
samtools view -C --output-fmt-option no_ref=1 -o "$WORK/sim.cram" "$WORK/sim/sample01.bam" && samtools index "$WORK/sim.cram"
printf '>none\nN\n' >"$WORK/none.fa" && samtools faidx "$WORK/none.fa"
same_as_full "$saf" "-p --countReadPairs -s 2 --cram-reference $WORK/none.fa" "$chosen" "$WORK/sim.cram"

# Remote input: the generated BAM served over HTTP by a server on 127.0.0.1 that answers byte-range requests
# and logs the bytes it sends. The counts equal the local ones, and the bytes served (the index, the header,
# the end-of-file block and the blocks the index's chunks span, fetched with closed ranges) stay below 5% of
# the file; OUT.json's remote_bytes and remote_requests say the same as the server's log.
mkdir -p "$WORK/www" && ln -sf "$WORK/sim/sample01.bam" "$WORK/sim/sample01.bam.bai" "$WORK/www/"
serve "$WORK/www"
remote="http://127.0.0.1:$PORT/sample01.bam"
opts=(-p --countReadPairs -s 2 --genes panel:rice6,panel:hallmark_ifna)
"$IFNSIG" -q count -a "$saf" -o "$WORK/local.txt" "${opts[@]}" "$WORK/sim/sample01.bam"
"$IFNSIG" -q count -a "$saf" -o "$WORK/remote.txt" "${opts[@]}" "$remote" || fail "count --genes of $remote failed"
diff <(tail -n +3 "$WORK/local.txt") <(tail -n +3 "$WORK/remote.txt") >"$WORK/diff.txt" ||
  fail "remote counts differ from local ones: $(head -4 "$WORK/diff.txt")"
served=$(awk '{n += $2} END {print n + 0}' "$WORK/served.log")
requests=$(wc -l <"$WORK/served.log")
size=$(stat -c %s "$WORK/sim/sample01.bam")
awk -v s="$served" -v z="$size" 'BEGIN {exit !(s < 0.05 * z)}' ||
  fail "fetched $served bytes of a $size-byte BAM (5% or more)"
grep -Eq "\"remote_bytes\": $served,?\$" "$WORK/remote.txt.json" ||
  fail "OUT.json's remote_bytes differ from the $served bytes served: $(grep remote_ "$WORK/remote.txt.json")"
grep -Eq "\"remote_requests\": $requests,?\$" "$WORK/remote.txt.json" ||
  fail "OUT.json's remote_requests differ from the $requests responses: $(grep remote_ "$WORK/remote.txt.json")"
decoded=$(grep -Eo '"compressed_bytes": [0-9]+' "$WORK/local.txt.json" | grep -Eo '[0-9]+$')
remote_share=$(awk -v s="$served" -v z="$size" 'BEGIN {printf "%.2f", 100 * s / z}')
stop_serving
# A server that ignores byte ranges: one clear error, nothing written.
serve "$WORK/www" --no-ranges
expect_failure 1 "sample01.bam.*(byte ranges|Range)" "$IFNSIG" count -a "$saf" -o "$WORK/norange.txt" "${opts[@]}" \
  "http://127.0.0.1:$PORT/sample01.bam"
if ls "$WORK"/norange.txt* >/dev/null 2>&1; then fail "output written although the server ignores ranges"; fi

echo "--genes equal to the whole-file count in $checked runs (last: $mates mates read by position);" \
  "remote: $served bytes served in $requests responses of a $size-byte BAM ($remote_share%; the index's chunks" \
  "span $decoded bytes, $(awk -v s="$decoded" -v z="$size" 'BEGIN {printf "%.2f", 100 * s / z}')%)"
