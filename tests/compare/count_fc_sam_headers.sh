# SAM text headers that featureCounts 2.0.3 (Debian package subread) reads but HTSlib refuses: featureCounts reads
# the records whatever the '@' lines before them say. `ifnsig count` must write the same counts and summary,
# leaving the lines out with one warning naming the file and the first such line (docs/count.md, "SAM headers").
# A header HTSlib reads gives no warning; a BAM header stays HTSlib's to judge. A record on an undeclared contig
# stops both.
source "$SRC/tests/lib.sh"
need_packages subread samtools
checked=0
cd "$WORK"

printf 'GeneID\tChr\tStart\tEnd\tStrand\nA\tchr1\t100\t200\t+\nB\tchr1\t300\t400\t-\nC\tchr2\t100\t200\t+\n' >genes.saf

# A SAM whose header is @HD, @SQ chr1, @SQ chr2 and then each argument (printf %b) as one or more lines; reads
# on both contigs, a pair among them (so counted with -p: featureCounts stops at a pair without it).
write_sam() {
  local out=$1 line; shift
  {
    printf '@HD\tVN:1.6\tSO:unsorted\n@SQ\tSN:chr1\tLN:100000\n@SQ\tSN:chr2\tLN:100000\n'
    for line in "$@"; do printf '%b\n' "$line"; done
    sam_record r1 0 110 50M
    sam_record r2 16 310 50M
    sam_record r3 0 150 30M100N20M
    sam_record p1 99 120 50M 330 260
    sam_record p1 147 330 50M 120 -260
    sam_record r4 4 0 '*'
    sam_record r5 0 130 50M | sed 's/\tchr1\t/\tchr2\t/'
  } >"$out"
}

# featureCounts and ifnsig count alike; ifnsig warns once, naming the file and the line given.
same_with_warning() {
  local sam=$1 line=$2 text=$3
  same_as_featurecounts genes.saf "-p" "$sam"
  same_as_featurecounts genes.saf "-p --countReadPairs" "$sam"
  "$IFNSIG" count -F SAF -a genes.saf -o if.txt -p "$sam" 2>if.log || fail "ifnsig count failed on $sam: $(cat if.log)"
  [[ $(grep -c "warning: $sam: left out" if.log) == 1 ]] || fail "not one warning about $sam's header: $(cat if.log)"
  grep -qF "(first: line $line, '$text')" if.log || fail "the warning does not name line $line ('$text'): $(cat if.log)"
}

write_sam clean.sam '@PG\tID:bwa\tPN:bwa' '@CO\tfree text'
same_as_featurecounts genes.saf "-p" clean.sam
"$IFNSIG" count -F SAF -a genes.saf -o if.txt -p clean.sam 2>if.log || fail "ifnsig count failed on clean.sam"
if grep -q "header" if.log; then fail "a warning about a header HTSlib reads: $(cat if.log)"; fi

write_sam bare_pg.sam '@PG'
same_with_warning bare_pg.sam 4 '@PG'
write_sam pg_without_id.sam '@PG\tPN:bwa\tVN:0.7'
same_with_warning pg_without_id.sam 4 $'@PG\tPN:bwa\tVN:0.7'
write_sam rg_without_id.sam '@RG\tSM:sample1'
same_with_warning rg_without_id.sam 4 $'@RG\tSM:sample1'
write_sam unknown_type.sam '@PG\tID:bwa' '@XY\tAB:cd'
same_with_warning unknown_type.sam 5 $'@XY\tAB:cd'
write_sam lower_case.sam '@pg\tID:bwa'
same_with_warning lower_case.sam 4 $'@pg\tID:bwa'
write_sam duplicate_sq.sam '@SQ\tSN:chr1\tLN:100000'
same_with_warning duplicate_sq.sam 4 $'@SQ\tSN:chr1\tLN:100000'
write_sam duplicate_sq_length.sam '@SQ\tSN:chr2\tLN:5000'
same_with_warning duplicate_sq_length.sam 4 $'@SQ\tSN:chr2\tLN:5000'
write_sam tag_without_colon.sam '@PG\tID:bwa\tfoo'
same_with_warning tag_without_colon.sam 4 $'@PG\tID:bwa\tfoo'
write_sam spaces.sam '@PG ID:bwa'
same_with_warning spaces.sam 4 '@PG ID:bwa'
write_sam at_sign.sam '@'
same_with_warning at_sign.sam 4 '@'
# Several refused lines: one warning, counting them, naming the first.
write_sam several.sam '@CO\tkept' '@RG\tSM:x' '@PG' '@XY'
same_with_warning several.sam 5 $'@RG\tSM:x'
grep -q "left out 3 header lines" if.log || fail "the warning does not count 3 lines: $(cat if.log)"
# The only @SQ of a contig left out (no LN): featureCounts counts its reads, HTSlib would read them as unmapped;
# ifnsig stops, naming the contig.
write_sam no_length.sam '@SQ\tSN:chr3'
sed -i '/^r5/s/\tchr2\t/\tchr3\t/' no_length.sam
featureCounts -F SAF -a genes.saf -o fc.txt -p no_length.sam >fc.log 2>&1 || fail "featureCounts failed on no_length.sam"
expect_failure 1 "no_length.sam:header: contig 'chr3' is declared only by a header line HTSlib cannot read" \
  "$IFNSIG" count -F SAF -a genes.saf -o if.txt -p no_length.sam
checked=$((checked + 1))
# A record on a contig no @SQ line declares: featureCounts stops ("Unable to find chromosome"), HTSlib would read it
# as unmapped; ifnsig stops, naming the line and the contig. (r4, unmapped with RNAME chr1 and POS 0, is read.)
write_sam undeclared.sam
sed -i '/^r5/s/\tchr2\t/\tchr9\t/' undeclared.sam
# (featureCounts aborts after its message: the subshell keeps the shell's report of it out of the log.)
if (featureCounts -F SAF -a genes.saf -o fc.txt -p undeclared.sam >fc.log 2>&1) 2>/dev/null; then
  fail "featureCounts read undeclared.sam"
fi
grep -q "Unable to find chromosome 'chr9'" fc.log || fail "featureCounts stopped otherwise on undeclared.sam: $(tail -3 fc.log)"
expect_failure 1 "undeclared.sam:line 10: the record's contig 'chr9' is not declared by an @SQ header line" \
  "$IFNSIG" count -F SAF -a genes.saf -o if.txt -p undeclared.sam
checked=$((checked + 1))
# gzip-compressed SAM text (which featureCounts does not read) is read alike: the counts of the plain file.
gzip -c bare_pg.sam >bare_pg.sam.gz
featureCounts -F SAF -a genes.saf -o fc.txt -p bare_pg.sam >fc.log 2>&1 || fail "featureCounts failed on bare_pg.sam"
"$IFNSIG" count -F SAF -a genes.saf -o if.txt -p bare_pg.sam.gz 2>if.log || fail "ifnsig failed on bare_pg.sam.gz: $(cat if.log)"
diff <(tail -n +3 fc.txt | cut -f1,6) <(tail -n +3 if.txt | cut -f1,6) >diff.txt || fail "bare_pg.sam.gz: $(cat diff.txt)"
grep -qF "bare_pg.sam.gz: left out 1 header line that HTSlib cannot read, and read the records as featureCounts does (first: line 4, '@PG')" if.log ||
  fail "no warning for bare_pg.sam.gz: $(cat if.log)"
checked=$((checked + 1))

# A BAM's header is HTSlib's to judge, unchanged: HTSlib takes a BAM header's text without parsing it, so a bare
# @PG there is read as featureCounts reads it, without a warning.
samtools view -b -o clean.bam clean.sam 2>/dev/null
python3 - clean.bam bare_pg.bam <<'EOF'
import gzip, struct, sys, zlib
data = gzip.decompress(open(sys.argv[1], 'rb').read())
l_text = struct.unpack('<i', data[4:8])[0]
text = data[8:8 + l_text].rstrip(b'\0') + b'@PG\n'
raw = data[:4] + struct.pack('<i', len(text)) + text + data[8 + l_text:]
def block(payload):
    deflated = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = deflated.compress(payload) + deflated.flush()
    head = b'\x1f\x8b\x08\x04\0\0\0\0\0\xff\x06\0BC\x02\0' + struct.pack('<H', len(body) + 25)
    return head + body + struct.pack('<II', zlib.crc32(payload), len(payload))
out = b''.join(block(raw[start:start + 60000]) for start in range(0, len(raw), 60000)) + block(b'')
open(sys.argv[2], 'wb').write(out)
EOF
[[ $(samtools view --no-PG -H bare_pg.bam | tail -1) == '@PG' ]] || fail "bare_pg.bam's header does not end with '@PG' (test is wrong)"
same_as_featurecounts genes.saf "-p" bare_pg.bam
if grep -q "header" "$WORK/if.log"; then fail "a warning about a BAM header: $(cat "$WORK/if.log")"; fi

echo "checked $checked SAM header cases against featureCounts"
