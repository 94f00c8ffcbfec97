# --max-memory bounds what hostile inputs make ifnsig hold, measured with /usr/bin/time -v (the peaks are
# printed to this test's log):
#   - a coordinate-sorted BAM whose every mate lies on another contig: all first mates wait for their
#     partner; the waiting-mate table stays within half of the budget and the rest is spilled to --tmp-dir,
#     with the same counts as an unbounded run;
#   - a gene of a million exons; a 100 MB field in a count table (a clear error); a sample sheet of 5,000 rows
#     naming missing files (one error listing them).
# Not named count_*: scripts/test.sh --sanitize runs those, and a sanitizer build's memory (shadow, quarantine)
# is not the program's.
source "$SRC/tests/lib.sh"
need_packages samtools time
peak_mb() { awk -F': ' '/Maximum resident set size/ {printf "%d", $2 / 1024}' "$1"; }
within() {  # LABEL TIME_LOG LIMIT_MB
  local peak; peak=$(peak_mb "$2")
  echo "$1: peak $peak MB (budget $3 MB)"
  [ "$peak" -le "$3" ] || fail "$1 peaked at $peak MB, above its budget of $3 MB"
}

# 300,000 pairs, first mates on chr1, second mates on chr2.
python3 - "$WORK/far.sam" <<'PY'
import sys
n = 300_000
with open(sys.argv[1], "w") as out:
    out.write("@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:chr1\tLN:100000000\n@SQ\tSN:chr2\tLN:100000000\n")
    seq, qual = "A" * 50, "I" * 50
    for i in range(n):
        out.write(f"r{i:07d}\t97\tchr1\t{100 + i * 50}\t60\t50M\tchr2\t{100 + i * 50}\t0\t{seq}\t{qual}\tNH:i:1\n")
    for i in range(n):
        out.write(f"r{i:07d}\t145\tchr2\t{100 + i * 50}\t60\t50M\tchr1\t{100 + i * 50}\t0\t{seq}\t{qual}\tNH:i:1\n")
PY
samtools view -b -o "$WORK/far.bam" "$WORK/far.sam" && rm "$WORK/far.sam"
printf 'chr1\tt\texon\t1\t20000000\t.\t+\t.\tgene_id "g1";\nchr2\tt\texon\t1\t20000000\t.\t+\t.\tgene_id "g2";\n' >"$WORK/far.gtf"
count() { /usr/bin/time -v -o "$1" "$IFNSIG" count -p --countReadPairs -T 2 -a "$WORK/far.gtf" --tmp-dir "$WORK" "${@:2}" "$WORK/far.bam"; }
count "$WORK/free.time" -o "$WORK/free.tsv" --max-memory 64G 2>"$WORK/free.err" || fail "unbounded count failed: $(cat "$WORK/free.err")"
echo "mates on another contig, budget 64G: peak $(peak_mb "$WORK/free.time") MB"
count "$WORK/bounded.time" -o "$WORK/bounded.tsv" --max-memory 64M 2>"$WORK/bounded.err" ||
  fail "bounded count failed: $(cat "$WORK/bounded.err")"
within "mates on another contig, --max-memory 64M" "$WORK/bounded.time" 64
grep -q "writing them to" "$WORK/bounded.err" || fail "the bounded count spilled nothing: $(cat "$WORK/bounded.err")"
cmp <(tail -n +2 "$WORK/free.tsv") <(tail -n +2 "$WORK/bounded.tsv") || fail "the bounded count differs"
cmp "$WORK/free.tsv.summary" "$WORK/bounded.tsv.summary" || fail "the bounded summary differs"
[ -z "$(find "$WORK" -maxdepth 1 -name '*spill*' -print -quit)" ] || fail "spill files left in --tmp-dir"

# A gene of a million exons.
awk 'BEGIN { for (e = 0; e < 1000000; ++e) printf "chr1\tt\texon\t%d\t%d\t.\t+\t.\tgene_id \"big\";\n", 1 + e * 90, 60 + e * 90 }' \
  >"$WORK/big.gtf"
/usr/bin/time -v -o "$WORK/big.time" "$IFNSIG" -q count -p --countReadPairs -T 2 -a "$WORK/big.gtf" \
  -o "$WORK/big.tsv" --max-memory 1G "$WORK/far.bam" || fail "the million-exon gene failed"
within "a gene of 1,000,000 exons, --max-memory 1G" "$WORK/big.time" 1024

# A 100 MB field in a count table: a clear error naming the file and line, the field not echoed whole.
python3 -c "
import sys
with open(sys.argv[1], 'w') as f:
    f.write('gene\ts1\ts2\ng1\t1\t2\ng2\t' + 'x' * 100_000_000 + '\t3\n')" "$WORK/long.tsv"
/usr/bin/time -v -o "$WORK/long.time" "$IFNSIG" normalize -i "$WORK/long.tsv" -o "$WORK/long.out" 2>"$WORK/long.err" &&
  fail "a 100 MB field was accepted"
grep -q "long.tsv:line 3" "$WORK/long.err" && [ "$(wc -c <"$WORK/long.err")" -lt 2000 ] ||
  fail "unclear error for a 100 MB field: $(head -c 500 "$WORK/long.err")"
within "a 100 MB field in a count table" "$WORK/long.time" 512

# A sheet of 5,000 rows whose BAMs do not exist: one error, listing them (the first few and how many).
python3 -c "
import sys
with open(sys.argv[1], 'w') as f:
    f.write('sample\tbam\tgroup\n')
    for i in range(5000): f.write(f's{i}\tmissing/s{i}.bam\t{\"control\" if i % 2 else \"case\"}\n')" "$WORK/sheet.tsv"
/usr/bin/time -v -o "$WORK/sheet.time" "$IFNSIG" run --samples "$WORK/sheet.tsv" -a "$WORK/far.gtf" -o "$WORK/run" \
  --max-memory 256M 2>"$WORK/sheet.err" && fail "a sheet of missing files was accepted"
grep -q "5000" "$WORK/sheet.err" || fail "the error does not count the missing files: $(head -c 800 "$WORK/sheet.err")"
within "a sheet of 5,000 rows" "$WORK/sheet.time" 256
[ ! -e "$WORK/run" ] || fail "the failed run created its output directory"
