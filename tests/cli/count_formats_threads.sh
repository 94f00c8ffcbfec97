# `ifnsig count` gives byte-identical tables and summaries at -T 1, 2 and 8, and identical counts from the
# SAM, BAM and CRAM of the same reads, from a coordinate-sorted and a name-sorted file, and from stdin; and the
# same table from a plain and a gzipped annotation.
source "$SRC/tests/lib.sh"
need_packages samtools
dupradar="$(debian_data r-bioc-dupradar)/usr/lib/R/site-library/dupRadar/extdata"
degnorm="$(debian_data r-bioc-degnorm)/usr/lib/R/site-library/DegNorm/extdata"
FIX="$SRC/tests/fixtures/count"

count() { "$IFNSIG" count -q "$@"; }
body() { tail -n +2 "$1"; }  # everything but the program/command line

# Thread counts: fixtures, single-end and paired real data; several files (counted at once from -T 4 on).
for case in "se:$dupradar/genes.gtf::$dupradar/wgEncodeCaltechRnaSeqGm12878R1x75dAlignsRep2V2.bam" \
            "pe:$degnorm/genes_chr21.gtf:-p --countReadPairs -M -O --fraction:$degnorm/SRR873822_chr21_9900000-10000000.bam" \
            "files:$degnorm/genes_chr21.gtf:-p --countReadPairs:$(echo "$degnorm"/SRR*.bam)" \
            "fixture:$FIX/pairs.gtf:-p --countReadPairs -M:$FIX/pairs.sam"; do
  IFS=: read -r name annotation opts input <<<"$case"
  for t in 1 2 8; do count -a "$annotation" -o "$WORK/$name.T$t.txt" $opts -T $t $input 2>/dev/null; done
  for t in 2 8; do
    cmp <(body "$WORK/$name.T1.txt") <(body "$WORK/$name.T$t.txt") || fail "$name: table differs at -T $t"
    cmp "$WORK/$name.T1.txt.summary" "$WORK/$name.T$t.txt.summary" || fail "$name: summary differs at -T $t"
  done
done

# Formats: SAM, BAM and CRAM (with its reference) of the fixture pairs; name-sorted BAM; stdin.
cp "$FIX/pairs.fa" "$WORK/pairs.fa" && samtools faidx "$WORK/pairs.fa"
samtools sort -o "$WORK/pairs.bam" "$FIX/pairs.sam" 2>/dev/null
samtools sort -n -o "$WORK/pairs.name.bam" "$FIX/pairs.sam" 2>/dev/null
samtools view -C -T "$WORK/pairs.fa" -o "$WORK/pairs.cram" "$WORK/pairs.bam"
opts="-p --countReadPairs -M"
count -a "$FIX/pairs.gtf" -o "$WORK/sam.txt" $opts "$FIX/pairs.sam" 2>/dev/null
count -a "$FIX/pairs.gtf" -o "$WORK/bam.txt" $opts "$WORK/pairs.bam" 2>/dev/null
count -a "$FIX/pairs.gtf" -o "$WORK/name.txt" $opts "$WORK/pairs.name.bam" 2>/dev/null
count -a "$FIX/pairs.gtf" -o "$WORK/cram.txt" $opts --cram-reference "$WORK/pairs.fa" "$WORK/pairs.cram" 2>/dev/null
# --reference, count's old name of --cram-reference, still works and says so.
count -a "$FIX/pairs.gtf" -o "$WORK/cram_old.txt" $opts --reference "$WORK/pairs.fa" "$WORK/pairs.cram" 2>"$WORK/old.err"
grep -q "deprecated.*--cram-reference" "$WORK/old.err" || fail "count --reference FASTA does not warn: $(cat "$WORK/old.err")"
cmp <(tail -n +2 "$WORK/cram.txt") <(tail -n +2 "$WORK/cram_old.txt") || fail "count --reference FASTA counts differently"
count -a "$FIX/pairs.gtf" -o "$WORK/stdin.txt" $opts - <"$WORK/pairs.bam" 2>/dev/null
for other in bam name cram stdin; do
  cmp <(tail -n +3 "$WORK/sam.txt" | cut -f1,6-) <(tail -n +3 "$WORK/$other.txt" | cut -f1,6-) ||
    fail "counts from $other differ from SAM"
  cmp <(tail -n +2 "$WORK/sam.txt.summary" | cut -f2) <(tail -n +2 "$WORK/$other.txt.summary" | cut -f2) ||
    fail "summary from $other differs from SAM"
done
grep -q $'^Status\tSTDIN$' "$WORK/stdin.txt.summary" || fail "stdin column is not named STDIN"

# -T 1 is one thread throughout, though TBB's default arena has one per core (a worker, once started, stays
# until the process ends): counted while the process waits on a pipe, once after the annotation's MD5 and
# index (the "annotation:" line comes after both), once while counting waits for the rest of the input.
if [ "$(nproc)" -ge 2 ]; then
  mkfifo "$WORK/bam.fifo"
  exec 3<>"$WORK/bam.fifo"  # a writer that stays open: ifnsig waits for more input instead of ending
  "$IFNSIG" count -T 1 -a "$FIX/pairs.gtf" -o "$WORK/T1.txt" $opts - <"$WORK/bam.fifo" 2>"$WORK/T1.log" 3>&- &
  pid=$!
  for _ in $(seq 600); do grep -q "annotation:" "$WORK/T1.log" && break; sleep 0.1; done
  after_annotation=$(ls "/proc/$pid/task" | wc -l)
  cat "$WORK/pairs.bam" >&3
  sleep 1
  while_counting=$(ls "/proc/$pid/task" | wc -l)
  exec 3>&-
  wait "$pid" || fail "-T 1 from a pipe failed: $(cat "$WORK/T1.log")"
  [ "$after_annotation" -eq 1 ] && [ "$while_counting" -eq 1 ] ||
    fail "-T 1 ran $after_annotation threads after reading the annotation and $while_counting while counting"
  cmp "$WORK/stdin.txt.summary" "$WORK/T1.txt.summary" || fail "-T 1 from a pipe: another summary"
fi

# A gzipped annotation (of two members, as `cat a.gz b.gz` makes) gives the table of the plain GTF.
gtf=$dupradar/genes.gtf
half=$(($(wc -l <"$gtf") / 2))
{ head -n "$half" "$gtf" | gzip -c; tail -n +"$((half + 1))" "$gtf" | gzip -c; } >"$WORK/genes.gtf.gz"
count -a "$WORK/genes.gtf.gz" -o "$WORK/gzip.txt" "$dupradar/wgEncodeCaltechRnaSeqGm12878R1x75dAlignsRep2V2.bam" 2>/dev/null
cmp <(body "$WORK/se.T1.txt") <(body "$WORK/gzip.txt") || fail "counts from the gzipped GTF differ from the plain GTF"
# Through a pipe, gzipped (cat) or plain (zcat): read once, with no content sniffing and no MD5 pass of its own.
for decode in cat zcat; do
  count -a <($decode "$WORK/genes.gtf.gz") -o "$WORK/pipe.txt" \
    "$dupradar/wgEncodeCaltechRnaSeqGm12878R1x75dAlignsRep2V2.bam" 2>/dev/null
  cmp <(body "$WORK/se.T1.txt") <(body "$WORK/pipe.txt") || fail "counts from a pipe ($decode) differ from the plain GTF"
done

# Bounded memory: with at most one waiting mate in memory, mates are spilled to disk and merged at the end.
mkdir -p "$WORK/tmp"
count -a "$FIX/pairs.gtf" -o "$WORK/spill.txt" $opts --max-waiting-mates 1 --tmp-dir "$WORK/tmp" "$WORK/pairs.bam" 2>/dev/null
cmp <(tail -n +3 "$WORK/bam.txt") <(tail -n +3 "$WORK/spill.txt") || fail "counts differ when waiting mates are spilled"
cmp "$WORK/bam.txt.summary" "$WORK/spill.txt.summary" || fail "summary differs when spilled"
[ -z "$(ls -A "$WORK/tmp")" ] || fail "spill files left in --tmp-dir"
# More run files than may be open at once (`ulimit -n 32`): 100 fragments whose mates are 2 kb apart wait
# and are spilled one run each, about 200 runs; they are merged in passes and none is lost.
seq 0 99 | awk -v OFS='\t' 'BEGIN { print "@HD", "VN:1.6", "SO:coordinate"; print "@SQ", "SN:chr1", "LN:5000"
    s = sprintf("%30s", ""); q = s; gsub(/ /, "A", s); gsub(/ /, "I", q) }
  { p = 2000 + $1 % 60; print "f" $1, 99, "chr1", p, 60, "30M", "=", p + 2000, 2030, s, q
    print "f" $1, 147, "chr1", p + 2000, 60, "30M", "=", p, -2030, s, q }' |
  samtools sort -o "$WORK/far.bam" - 2>/dev/null
count -a "$FIX/pairs.gtf" -o "$WORK/far.txt" $opts "$WORK/far.bam"
grep -q $'^Assigned\t100$' "$WORK/far.txt.summary" || fail "far-apart mates: not 100 fragments assigned"
(ulimit -n 32 && count -a "$FIX/pairs.gtf" -o "$WORK/far.spill.txt" $opts --max-waiting-mates 1 --tmp-dir "$WORK/tmp" \
  "$WORK/far.bam") || fail "spilling with ulimit -n 32 failed"
cmp <(body "$WORK/far.txt") <(body "$WORK/far.spill.txt") || fail "counts differ when more runs than open files"
cmp "$WORK/far.txt.summary" "$WORK/far.spill.txt.summary" || fail "summary differs when more runs than open files"
[ -z "$(ls -A "$WORK/tmp")" ] || fail "spill files left in --tmp-dir after merging in passes"
echo "byte-identical across threads; identical across SAM/BAM/CRAM/name-sorted/stdin"
