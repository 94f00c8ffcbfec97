#!/usr/bin/env bash
# ifnsig normalize: input formats (featureCounts, htseq-count, CSV) and bad input. Every error has its
# exit status, a message naming the rows/samples, and leaves no output file behind.
source "$SRC/tests/lib.sh"
F="$SRC/tests/fixtures/norm"
OUT="$WORK/out.tsv"

# featureCounts (path columns -> basenames, gene_name/gene_type kept as annotation) + two htseq files.
"$IFNSIG" -q normalize -i "$F/featurecounts.txt" -i "$F/C.counts.txt" -i "$F/D.counts.txt" \
  --method none --transform tpm -o "$OUT" --factors "$WORK/factors.tsv"
[ "$(head -1 "$OUT")" = "$(printf 'gene_id\tA\tB.sorted\tC.counts\tD.counts')" ] || fail "header: $(head -1 "$OUT")"
[ "$(wc -l <"$OUT")" -eq 5 ] || fail "expected 4 genes (htseq __ rows dropped)"
[ "$(head -1 "$WORK/factors.tsv")" = "$(printf 'sample\tlib_size\tfactor')" ] || fail "factors header"
grep -q "^C.counts	23	1$" "$WORK/factors.tsv" || fail "htseq library size: $(cat "$WORK/factors.tsv")"
# TPM of A: (10/202, 5/1000, 7/100, 30/400) scaled to 1e6.
python3 - "$OUT" <<'PY' || fail "TPM values"
import sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().split("\n")[1:] if l]
rate = [10 / 202, 5 / 1000, 7 / 100, 30 / 400]
for row, r in zip(rows, rate):
    assert abs(float(row[1]) - 1e6 * r / sum(rate)) < 1e-6 * float(row[1]), row
PY
"$IFNSIG" -q normalize -i "$F/plain.csv" --method tmm --transform logcpm -o "$OUT" -T 2
[ "$(head -1 "$OUT")" = "$(printf 'gene_id\tA\tB')" ] || fail "CSV header"

expect_error() {  # status regex args...
  local status=$1 pattern=$2; shift 2
  rm -f "$OUT" "$WORK/f.tsv" "$WORK/ref.json"
  expect_failure "$status" "$pattern" "$IFNSIG" normalize "$@" -o "$OUT" --factors "$WORK/f.tsv" --save-reference "$WORK/ref.json"
  [ ! -e "$OUT" ] && [ ! -e "$WORK/f.tsv" ] && [ ! -e "$WORK/ref.json" ] || fail "output left behind after: $*"
  ! ls "$WORK"/*.tmp.* >/dev/null 2>&1 || fail "temporary file left behind after: $*"
}
expect_error 1 "negative.tsv: [0-9]+ negative values: gene 'G2' in sample 'B' \(-1\)" -i "$F/negative.tsv" --method ratio --transform counts
expect_error 1 "fractional.tsv: [0-9]+ non-integer counts: gene 'G1' in sample 'B' \(20.5\)" -i "$F/fractional.tsv" --method tmm --transform cpm
# A field echoed in a message is cut after 60 characters, with its length.
printf 'gene_id\tA\tB\nG1\t1\t%s\n' "$(head -c 100000 /dev/zero | tr '\0' x)" >"$WORK/huge_field.tsv"
expect_error 1 "line 2: not a finite number in column 'B': 'x{60}…' \(100000 bytes\)" -i "$WORK/huge_field.tsv" \
  --method ratio --transform counts
[ "$(wc -c <"$WORK/stderr.txt")" -lt 1000 ] || fail "a 100,000-byte field was echoed whole"
# A count table whose gzip CRC fails (a tab turned into 'x' in a stored block): the damage, not the column count.
python3 - "$WORK/damaged.tsv.gz" <<'PY'
import sys, zlib
text = "gene_id\tA\tB\n" + "".join("G%d\t%d\t%d\n" % (i, i % 7 + 1, i % 5 + 2) for i in range(1, 2001))
compressor = zlib.compressobj(0, zlib.DEFLATED, 31)  # gzip, stored blocks
data = bytearray(compressor.compress(text.encode()) + compressor.flush())
data[data.index(b"G100\t") + 4] = ord("x")
open(sys.argv[1], "wb").write(data)
PY
expect_error 1 "damaged.tsv.gz:line 101: the file is corrupt \(gzip CRC mismatch\)" -i "$WORK/damaged.tsv.gz" \
  --method ratio --transform counts
# Ids go into the JSON reference and name files in `ifnsig run`: checked as the table is read.
printf 'gene_id\tA\tB\nG1\t1\t2\ncaf\xE9\t3\t4\n' >"$WORK/latin1.tsv"
expect_error 1 "latin1.tsv:line 3: gene id 'caf\\\\xE9' is not valid UTF-8" -i "$WORK/latin1.tsv" --method ratio --transform counts
printf 'gene_id\tA\trun1/B\nG1\t1\t2\n' >"$WORK/slash.tsv"
expect_error 1 "slash.tsv:line 1: sample id 'run1/B' has a '/'" -i "$WORK/slash.tsv" --method ratio --transform counts
expect_error 1 "line 4: duplicated gene id 'G1'" -i "$F/duplicated_gene.tsv" --method ratio --transform counts
expect_error 1 "duplicated sample id 'A'" -i "$F/duplicated_sample.tsv" --method ratio --transform counts
expect_error 1 "zero_sample.tsv: 1 samples have only zero counts: B" -i "$F/zero_sample.tsv" --method poscounts --transform counts
expect_error 1 "every gene has a zero count.*" -i "$F/zero_in_every_gene.tsv" --method ratio --transform counts
grep -q "poscounts" "$WORK/stderr.txt" || fail "the ratio error should suggest poscounts"
expect_error 1 "3 samples of the count tables are not in the sheet: B.sorted, C.counts, D.counts" \
  -i "$F/featurecounts.txt" -i "$F/C.counts.txt" -i "$F/D.counts.txt" --samples "$F/sheet_mismatch.tsv"
grep -q "the sheet's samples not in the count tables: B, E; renamed?" "$WORK/stderr.txt" ||
  fail "the sheet-mismatch hint should list the sheet's unmatched samples"
expect_error 2 "--batch needs --samples" -i "$F/plain.csv" --method tmm --transform logcpm --batch batch
expect_error 2 "ComBat \(--batch\) works on log-scale data" -i "$F/zero_in_every_gene.tsv" --samples "$F/sheet.tsv" \
  --method tmm --transform cpm --batch batch
expect_error 2 "unknown normalization method 'deseq'" -i "$F/plain.csv" --method deseq
# A value of the wrong type in a frozen reference: the error names the key and the type expected.
"$IFNSIG" -q normalize -i "$F/plain.csv" --method tmm --transform logcpm -o "$OUT" --save-reference "$WORK/good_ref.json"
python3 - "$WORK/good_ref.json" "$WORK/bad_ref.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["factors"]["centering"] = "x"; del d["checksum"]  # an edit on purpose
json.dump(d, open(sys.argv[2], "w"))
PY
rm -f "$OUT"
expect_failure 1 "bad_ref.json:key '/factors/centering': expected a number, found a string" \
  "$IFNSIG" normalize -i "$F/plain.csv" --reference "$WORK/bad_ref.json" -o "$OUT"
[ ! -e "$OUT" ] || fail "output left behind"
rm -f "$OUT"
expect_failure 2 "exclude each other" "$IFNSIG" normalize -i "$F/plain.csv" --reference x.json --save-reference y.json -o "$OUT"
[ ! -e "$OUT" ] || fail "output left behind"
echo "normalize input formats and errors behave"
