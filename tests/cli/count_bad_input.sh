# Bad input to `ifnsig count`: one clear error naming the file and the line or record, a non-zero exit,
# and no output file left behind.
source "$SRC/tests/lib.sh"
need_packages samtools
FIX="$SRC/tests/fixtures/count"
out="$WORK/out/counts.txt"
mkdir -p "$WORK/out"

no_outputs() {
  local left
  left=$(ls -A "$WORK/out")
  [ -z "$left" ] || fail "output left behind after '$1': $left"
}
fails() {  # fails STATUS REGEX DESCRIPTION ARGS...
  local status=$1 pattern=$2 what=$3; shift 3
  expect_failure "$status" "$pattern" "$IFNSIG" count -q "$@"
  no_outputs "$what"
}

samtools view -b -o "$WORK/pairs.bam" "$FIX/pairs.sam"

fails 1 "missing.bam.*no such alignment file" "missing BAM" -a "$FIX/pairs.gtf" -o "$out" -p "$WORK/missing.bam"
fails 2 "missing.gtf" "missing annotation" -a "$WORK/missing.gtf" -o "$out" "$WORK/pairs.bam"
fails 2 "--nonOverlap: must not be negative" "negative --nonOverlap" -a "$FIX/pairs.gtf" -o "$out" --nonOverlap -1 "$WORK/pairs.bam"
fails 2 "--maxMOp must be between 1 and 65555" "--maxMOp 0" -a "$FIX/pairs.gtf" -o "$out" --maxMOp 0 "$WORK/pairs.bam"

size=$(stat -c %s "$WORK/pairs.bam")
head -c $((size / 2)) "$WORK/pairs.bam" >"$WORK/truncated.bam"
fails 1 "truncated.bam: no BGZF end-of-file marker: the file is truncated" "truncated BAM" -a "$FIX/pairs.gtf" -o "$out" -p "$WORK/truncated.bam"

# Cut at a block boundary, as a killed writer leaves a file: every record reads cleanly, only the 28-byte
# end-of-file block is missing. A file is refused when opened; standard input when it ends (BAM at any -T;
# CRAM at -T 1, the only case where HTSlib tells).
head -c -28 "$WORK/pairs.bam" >"$WORK/cut.bam"
from_pipe() {  # from_pipe FILE ARGS...: `ifnsig count -q ARGS... -` reading FILE from a pipe
  local file=$1; shift
  cat "$file" | "$IFNSIG" count -q "$@" -
}
eof_hint="hint: regenerate the BAM; check files with 'samtools quickcheck'"
fails 1 "cut.bam: no BGZF end-of-file marker: the file is truncated, e.g. by a killed writer" "BAM without its EOF block" \
  -a "$FIX/pairs.gtf" -o "$out" -p "$WORK/cut.bam"
grep -q "$eof_hint" "$WORK/stderr.txt" || fail "no hint for the missing EOF block: $(cat "$WORK/stderr.txt")"
for t in 1 2; do
  expect_failure 1 "error: -: no BGZF end-of-file marker" from_pipe "$WORK/cut.bam" -a "$FIX/pairs.gtf" -o "$out" -p -T $t
  no_outputs "BAM without its EOF block on a pipe at -T $t"
  from_pipe "$WORK/pairs.bam" -a "$FIX/pairs.gtf" -o "$out" -p -T $t || fail "intact BAM on a pipe refused at -T $t"
  rm -f "$WORK"/out/*
done

python3 - "$WORK/pairs.bam" "$WORK/corrupt.bam" <<'PY'
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
for i in range(200, 260): data[i] ^= 0x5A   # damage the deflate stream of the first block after the header
open(sys.argv[2], 'wb').write(data)
PY
fails 1 "corrupt.bam:(record [0-9]+|header|compressed block at byte [0-9]+)" "corrupt BGZF block" -a "$FIX/pairs.gtf" -o "$out" -p "$WORK/corrupt.bam"

{ head -5 "$FIX/pairs.sam"; printf 'bad\t0\tchr1\t100\t60\t10Z\t*\t0\t0\tAAAAAAAAAA\tIIIIIIIIII\n'; } >"$WORK/syntax.sam"
fails 1 "syntax.sam:line 6: invalid SAM record" "SAM syntax error" -a "$FIX/pairs.gtf" -o "$out" -p "$WORK/syntax.sam"

printf 'chr1\tt\texon\t100\t200\t.\t+\t.\tgene_id "A";\nchr1\tt\texon\t300\t400\t.\t+\t.\ttranscript_id "T";\n' >"$WORK/no_gene_id.gtf"
fails 1 "no_gene_id.gtf:line 2: .*gene_id" "GTF without gene_id" -a "$WORK/no_gene_id.gtf" -o "$out" -p "$WORK/pairs.bam"
printf 'chr1\tt\texon\t100\t200\t.\t+\t.\tgene_id "A";\nchr1\tt\texon\t300\t400\t.\t+\t.\tgene_id "caf\xE9";\n' >"$WORK/latin1.gtf"
fails 1 "latin1.gtf:line 2: gene id 'caf\\\\xE9' is not valid UTF-8" "GTF gene id not UTF-8" -a "$WORK/latin1.gtf" -o "$out" -p "$WORK/pairs.bam"
# A gzip member's CRC is checked at its end: damage that still inflates (a tab turned into a space in a stored
# block) first shows as a wrong column count, and is reported as the damage it is.
python3 - "$FIX/pairs.gtf" "$WORK/damaged.gtf.gz" <<'PY'
import sys, zlib
text = open(sys.argv[1], 'rb').read()
compressor = zlib.compressobj(0, zlib.DEFLATED, 31)  # gzip, stored blocks
data = bytearray(compressor.compress(text) + compressor.flush())
data[data.index(b'\texon\t', data.index(b'\n') + 1)] = ord(' ')  # on line 2
open(sys.argv[2], 'wb').write(data)
PY
fails 1 "damaged.gtf.gz:line 2: the file is corrupt \(gzip CRC mismatch\); the error on this line likely comes from the damage: expected 9" \
  "GTF with a bad gzip CRC" -a "$WORK/damaged.gtf.gz" -o "$out" -p "$WORK/pairs.bam"
printf 'chr1\tt\texon\t100\t200\t.\t+\t.\tgene_id "A";\nchr1\tt\texon\t300\t250\t.\t+\t.\tgene_id "B";\n' >"$WORK/backwards.gtf"
fails 1 "backwards.gtf:line 2: end \(250\) is before start \(300\)" "GTF end < start" -a "$WORK/backwards.gtf" -o "$out" -p "$WORK/pairs.bam"

cp "$FIX/pairs.fa" "$WORK/pairs.fa" && samtools faidx "$WORK/pairs.fa"
samtools view -C -T "$WORK/pairs.fa" -o "$WORK/pairs.cram" "$WORK/pairs.bam"
fails 1 "pairs.cram: CRAM input needs the reference" "CRAM without reference" -a "$FIX/pairs.gtf" -o "$out" -p "$WORK/pairs.cram"
head -c -38 "$WORK/pairs.cram" >"$WORK/cut.cram"  # CRAM 3's EOF container is 38 bytes
fails 1 "cut.cram: no CRAM end-of-file container: the file is truncated" "CRAM without its EOF container" \
  -a "$FIX/pairs.gtf" -o "$out" -p --cram-reference "$WORK/pairs.fa" "$WORK/cut.cram"
expect_failure 1 "error: -: no CRAM end-of-file container" \
  from_pipe "$WORK/cut.cram" -a "$FIX/pairs.gtf" -o "$out" -p --cram-reference "$WORK/pairs.fa" -T 1
no_outputs "CRAM without its EOF container on a pipe"
from_pipe "$WORK/pairs.cram" -a "$FIX/pairs.gtf" -o "$out" -p --cram-reference "$WORK/pairs.fa" -T 1 ||
  fail "intact CRAM on a pipe refused"
rm -f "$WORK"/out/*

fails 1 "pairs.bam:read 'p10': .*never met their mate" "mate never appears (--strict-pairs)" \
  -a "$FIX/pairs.gtf" -o "$out" -p --countReadPairs --strict-pairs "$WORK/pairs.bam"

sed 's/^chr/Chr/' "$FIX/pairs.gtf" >"$WORK/renamed.gtf"
fails 1 "no contig name is shared with the annotation" "contig names do not match" -a "$WORK/renamed.gtf" -o "$out" -p "$WORK/pairs.bam"
printf 'Chr1,chr1\nChr2,chr2\n' >"$WORK/aliases.csv"
"$IFNSIG" count -q -a "$WORK/renamed.gtf" -A "$WORK/aliases.csv" -o "$out" -p "$WORK/pairs.bam" || fail "alias file not applied"
rm -f "$WORK"/out/*

fails 1 "paired-end reads found, but -p was not given" "paired input without -p" -a "$FIX/pairs.gtf" -o "$out" "$WORK/pairs.bam"
fails 2 "--fraction needs -M" "--fraction alone" -a "$FIX/pairs.gtf" -o "$out" --fraction -p "$WORK/pairs.bam"
fails 1 "output directory does not exist" "missing output directory" -a "$FIX/pairs.gtf" -o "$WORK/nodir/x.txt" -p "$WORK/pairs.bam"
fails 1 "out: is a directory, not an output file" "output is a directory" -a "$FIX/pairs.gtf" -o "$WORK/out" -p "$WORK/pairs.bam"

# An output (the table or a side file) that is an input is refused before anything is written.
cp "$WORK/pairs.bam" "$WORK/in.bam"
fails 2 "the output .*in.bam is the input .*in.bam: writing it would replace the input" "-o the input" \
  -a "$FIX/pairs.gtf" -o "$WORK/in.bam" -p "$WORK/in.bam"
cmp "$WORK/in.bam" "$WORK/pairs.bam" || fail "-o the input changed the input"
ln -s in.bam "$WORK/link.bam"
fails 2 "the output .*link.bam is the input" "-o a link to the input" -a "$FIX/pairs.gtf" -o "$WORK/link.bam" -p "$WORK/in.bam"
mkdir -p "$WORK/side" && cp "$FIX/pairs.gtf" "$WORK/side/t.txt.genes.tsv"
fails 2 "the output .*t.txt.genes.tsv is the input" "a side file is the annotation" \
  -a "$WORK/side/t.txt.genes.tsv" -o "$WORK/side/t.txt" -p "$WORK/pairs.bam"
cmp "$WORK/side/t.txt.genes.tsv" "$FIX/pairs.gtf" || fail "a side file replaced the annotation"
[ "$(ls "$WORK/side")" = t.txt.genes.tsv ] || fail "output left behind in $WORK/side: $(ls "$WORK/side")"

# An output directory that cannot be written is found before the annotation is read: as root, in sysfs,
# which takes no new files from anyone.
if [ "$(id -u)" -eq 0 ]; then read_only=/sys; else read_only=$WORK/read_only; mkdir -p "$read_only"; chmod 555 "$read_only"; fi
expect_failure 1 "ifnsig-counts.txt: cannot create the output file: " "$IFNSIG" count -a "$FIX/pairs.gtf" \
  -o "$read_only/ifnsig-counts.txt" -p "$WORK/pairs.bam"
! grep -q "reading annotation" "$WORK/stderr.txt" || fail "an unwritable -o was found only after reading the annotation"
fails 2 "-R SAM is not supported by ifnsig count" "featureCounts -R SAM" \
  -a "$FIX/pairs.gtf" -o "$out" -p -R SAM "$WORK/pairs.bam"
fails 2 "-R 'core' is not a format" "-R core" -a "$FIX/pairs.gtf" -o "$out" -p -R core "$WORK/pairs.bam"
"$IFNSIG" count -q -a "$FIX/pairs.gtf" -o "$out" -p --donotsort --tmpDir "$WORK" "$WORK/pairs.bam" ||
  fail "featureCounts' --donotsort and --tmpDir not accepted"
rm -f "$WORK"/out/*

# A path need not be UTF-8 (only the text read from files must): it goes into the provenance JSON as U+FFFD.
cp "$FIX/pairs.gtf" "$WORK/genes_$(printf '\xE9').gtf"
"$IFNSIG" count -q -a "$WORK/genes_$(printf '\xE9').gtf" -o "$out" -p "$WORK/pairs.bam" || fail "a path that is not UTF-8"
grep -q "genes_$(printf '\xEF\xBF\xBD').gtf" "$out.json" || fail "the path is not in $out.json with U+FFFD"
rm -f "$WORK"/out/*
echo "every bad input gave a clear error and left no output"
