# Annotation lines as featureCounts 2.0.3 reads them (Debian package subread): GTF/GFF3 attribute columns and
# SAF lines. Where featureCounts writes a table, `ifnsig count` must write the same counts and summary; where
# it stops, ifnsig must stop too, naming the file and the line; the few lines featureCounts reads as garbage
# are errors in ifnsig (docs/count.md, "Annotation lines").
source "$SRC/tests/lib.sh"
need_packages subread
checked=0
cd "$WORK"

write_reads_sam reads.sam chr1 chr1:110 chr1:310 chr1:510 chr1:710 chr1:910

# Counts and summary equal featureCounts' (the first line, featureCounts' command, aside).
same_table() {
  local annotation=$1; shift
  featureCounts -a "$annotation" -o fc.txt "$@" >fc.log 2>&1 || fail "featureCounts failed on $annotation: $(grep -i error fc.log)"
  "$IFNSIG" count -q -a "$annotation" -o if.txt "$@" 2>if.log || fail "ifnsig count failed on $annotation: $(cat if.log)"
  diff <(tail -n +2 fc.txt) <(tail -n +2 if.txt) >diff.txt || fail "counts differ on $annotation ($*): $(cat diff.txt)"
  diff fc.txt.summary if.txt.summary >diff.txt || fail "summary differs on $annotation ($*): $(cat diff.txt)"
  checked=$((checked + 1))
}

# featureCounts stops; ifnsig stops with exit 1 and a message matching $2 (which names the file and line).
both_stop() {
  local annotation=$1 pattern=$2; shift 2
  if featureCounts -a "$annotation" -o fc.txt "$@" >fc.log 2>&1; then fail "featureCounts read $annotation"; fi
  expect_failure 1 "$pattern" "$IFNSIG" count -q -a "$annotation" -o if.txt "$@"
  checked=$((checked + 1))
}

# featureCounts writes a table from a line it misreads; ifnsig stops at that line.
ifnsig_stops() {
  local annotation=$1 pattern=$2; shift 2
  featureCounts -a "$annotation" -o fc.txt "$@" >fc.log 2>&1 || fail "featureCounts failed on $annotation"
  expect_failure 1 "$pattern" "$IFNSIG" count -q -a "$annotation" -o if.txt "$@"
  checked=$((checked + 1))
}

# GTF with one exon per attribute column given, at 100-200, 300-400, ...
gtf() {
  local out=$1 start=100 attributes; shift
  : >"$out"
  for attributes in "$@"; do
    printf 'chr1\tt\texon\t%d\t%d\t.\t+\t.\t%s\n' $start $((start + 100)) "$attributes" >>"$out"
    start=$((start + 200))
  done
}

# --- GTF attribute columns ---
gtf quote.gtf 'gene_id "B";' 'gene_id "A; transcript_id "T1";'
both_stop quote.gtf "quote.gtf:line 2: cannot read the attribute column \(the quoted value of 'gene_id', 'A; transcript_id', is followed by 'T1\";', not by ';' \(is a quote or a ';' missing\?\)\)" reads.sam
gtf quote_end.gtf 'gene_id "B";' 'gene_id "A'
both_stop quote_end.gtf "quote_end.gtf:line 2: .*no closing quote" reads.sam
gtf missing.gtf 'gene_id "B";' 'transcript_id "T";'
both_stop missing.gtf "missing.gtf:line 2: the 'exon' feature has no 'gene_id' attribute" reads.sam
gtf empty.gtf 'gene_id "B";' 'gene_id "";'
both_stop empty.gtf "empty.gtf:line 2: the 'exon' feature has no 'gene_id' attribute" reads.sam
gtf nosemi.gtf 'gene_id "B";' 'gene_id "A" transcript_id "T";'
both_stop nosemi.gtf "nosemi.gtf:line 2: .*the quoted value of 'gene_id', 'A', is followed by 'transcript_i', not by ';'" reads.sam
gtf doublesemi.gtf 'gene_id "B";;'
both_stop doublesemi.gtf "doublesemi.gtf:line 1: .*an empty item" reads.sam
gtf dash.gtf 'gene_id "B"; transcript-id "T";'
both_stop dash.gtf "dash.gtf:line 1: .*'transcript-' has a character" reads.sam
gtf novalue.gtf 'gene_id "B"; tag;'
both_stop novalue.gtf "novalue.gtf:line 1: .*'tag' has no value" reads.sam
# featureCounts reads `gene_id B transcript_id T` as the gene "B transcript_id T".
gtf bare.gtf 'gene_id "A";' 'gene_id B transcript_id T'
ifnsig_stops bare.gtf "bare.gtf:line 2: .*unquoted and with spaces \(is a ';' missing\?\)" reads.sam
# Read alike: ';' inside quotes, spaces inside quotes, key touching its quote, '=' and spaces, the last of two
# values, a bare value at the end, GFF3 values with spaces, spaces after the last ';'.
gtf values.gtf 'gene_id "B;C";' 'gene_id " D ";' 'gene_id"E";' 'gene_id = F ;' 'gene_id "X"; gene_id "G";' \
  'gene_id H' 'gene_id=I J;Note=some text' 'gene_id "K";  '
same_table values.gtf reads.sam
same_table values.gtf reads.sam --extraAttributes Note
# Strands by their first character. featureCounts skips lines with fewer than 9 columns and ignores columns
# after the ninth: ifnsig stops at both (in a GTF they are damage).
gtf columns.gtf 'gene_id "A";' 'gene_id "B";'
printf 'chr1\tt\texon\t700\t800\t.\tx\t.\tgene_id "C";\n' >>columns.gtf
same_table columns.gtf reads.sam
grep -q "columns.gtf: read 1 line whose strand is not '+', '-' or '.'" if.log || fail "no warning about the strand: $(cat if.log)"
cp columns.gtf short.gtf && printf 'chr1\tt\texon\t500\t600\n' >>short.gtf
ifnsig_stops short.gtf "short.gtf:line 4: expected 9 tab-separated columns, found 5" reads.sam
cp columns.gtf long.gtf && printf 'chr1\tt\texon\t500\t600\t.\t+\t.\tgene_id "D";\textra\n' >>long.gtf
ifnsig_stops long.gtf "long.gtf:line 4: expected 9 tab-separated columns, found 10" reads.sam

# --- SAF ---
saf() {
  local out=$1; shift
  printf '%b\n' "$@" >"$out"
}
A='A\tchr1\t100\t200\t+'
B='B\tchr1\t300\t400\t+'
for header in 'GeneID\tChr\tStart\tEnd\tStrand' 'geneid\tCHR\tstart\tend\tstrand' 'GeneID\tChr\tStart\tEnd' 'GeneID\tChr\tStart'; do
  saf header.saf "$header" "$A" "$B"
  same_table header.saf -F SAF reads.sam
done
saf middle.saf "$A" 'GeneID\tChr\tStart\tEnd\tStrand' "$B"
same_table middle.saf -F SAF reads.sam
# Unstranded features ('.'): under -s 1 featureCounts never counts a read on them, under -s 2 always,
# whichever strand the read is on.
{
  printf '@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:chr1\tLN:100000\n'
  for read in 150:0 160:16 170:0 1100:0 1110:16 2100:0 2110:16; do
    printf 'u%s\t%s\tchr1\t%s\t60\t50M\t*\t0\t0\t%s\t%s\n' "${read%%:*}" "${read##*:}" "${read%%:*}" \
      "$(printf 'A%.0s' {1..50})" "$(printf 'I%.0s' {1..50})"
  done
} >stranded.sam
printf 'GeneID\tChr\tStart\tEnd\tStrand\nG1\tchr1\t100\t400\t.\nG2\tchr1\t1000\t1400\t+\nG3\tchr1\t2000\t2400\t-\n' \
  >stranded.saf
for s in 0 1 2; do same_table stranded.saf -F SAF -s $s stranded.sam; done
saf comments.saf '# comment' "$A" '' '   ' "$B" '#x\ty\tz\tw\tv' 'C chr1 500 600 +' 'D\tchr1\t700\t800' \
  'E\tchr1\t900\t1000\t-\textra\tmore'
same_table comments.saf -F SAF reads.sam
grep -q "comments.saf: skipped 2 lines with fewer than 5 tab-separated columns, as featureCounts does (first: line 7)" if.log ||
  fail "no warning about the short SAF lines: $(cat if.log)"
saf loose.saf 'A\t\tchr1\t100\t200\t+' 'B\tchr1\t300\t400\t' 'C\tchr1\t\t500\t600' 'D\tchr1\t700\t800\tx' \
  'E\tchr1\t900\t1000\t+foo'
# (Unstranded features under -s 1 and -s 2 are counted differently by featureCounts: docs/count.md.)
same_table loose.saf -F SAF reads.sam
grep -q "loose.saf: read 3 lines with empty columns" if.log || fail "no warning about empty SAF columns: $(cat if.log)"
grep -q "loose.saf: read 2 lines whose strand is not" if.log || fail "no warning about SAF strands: $(cat if.log)"
saf other_header.saf 'Geneid\tChromosome\tStart\tEnd\tStrand' "$A"
both_stop other_header.saf "other_header.saf:line 1: start/end are not whole numbers: 'Start', 'End'" -F SAF reads.sam
saf letters.saf "$A" 'B\tchr1\tx\t400\t+'
both_stop letters.saf "letters.saf:line 2: start/end are not whole numbers" -F SAF reads.sam
saf negative.saf "$A" 'B\tchr1\t-5\t400\t+'
both_stop negative.saf "negative.saf:line 2: start/end are not whole numbers" -F SAF reads.sam
saf reversed.saf "$A" 'B\tchr1\t500\t400\t+'
both_stop reversed.saf "reversed.saf:line 2: end \(400\) is before start \(500\)" -F SAF reads.sam
# featureCounts reads "300abc" and "300.5" as 300, and a start of 0 as position 0.
for start in 300abc 300.5; do
  saf trailing.saf "$A" "B\tchr1\t$start\t400\t+"
  ifnsig_stops trailing.saf "trailing.saf:line 2: start/end are not whole numbers: '$start'" -F SAF reads.sam
done
saf zero.saf "$A" 'B\tchr1\t0\t400\t+'
ifnsig_stops zero.saf "zero.saf:line 2: start is 0" -F SAF reads.sam
echo "featureCounts and ifnsig agree on $checked annotations"
