# ifnsig run: restarts count only what is missing or stale (checked from run.json), adding sheet rows counts
# only the new samples (and times the cohort step it redoes), results do not depend on -T, layouts are
# detected and reported, and a bad sheet gives one error listing every problem before anything is counted.
source "$SRC/tests/lib.sh"
python3 "$SRC/tests/report/make_cohort.py" "$WORK/c" --controls 4 --high 2 --low 1
run() { "$IFNSIG" run --samples "$1" -a "$WORK/c/annotation.gtf" -o "$2" "${@:3}" >"$WORK/stdout.txt" 2>"$WORK/stderr.txt" ||
          fail "ifnsig run failed: $(cat "$WORK/stderr.txt")"; }
counted() { python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["samples_counted"]))' "$1/run.json"; }
TABLES="counts.tsv counts.tsv.summary normalized.tsv scores.tsv calls.tsv signature_genes.tsv ifnsig_scores_mqc.tsv"

run "$WORK/c/samples.tsv" "$WORK/out" -T 2
[ "$(counted "$WORK/out")" = "S01 S02 S03 S04 S05 S06 S07" ] || fail "first run: $(counted "$WORK/out")"
mkdir "$WORK/first" && for t in $TABLES; do cp "$WORK/out/$t" "$WORK/first/"; done

run "$WORK/c/samples.tsv" "$WORK/out" -T 2
[ -z "$(counted "$WORK/out")" ] || fail "a rerun counted $(counted "$WORK/out")"

rm "$WORK/out/samples/S03.counts.tsv"*
run "$WORK/c/samples.tsv" "$WORK/out" -T 2
[ "$(counted "$WORK/out")" = "S03" ] || fail "after deleting S03's counts, counted: $(counted "$WORK/out")"
for t in $TABLES; do cmp "$WORK/first/$t" "$WORK/out/$t" || fail "$t differs after the restart"; done

# A new mtime with the same content is recognised by its MD5; a changed option recounts everything.
touch -d '2001-01-01' "$WORK/c/bam/S05.sam"
run "$WORK/c/samples.tsv" "$WORK/out" -T 2
[ -z "$(counted "$WORK/out")" ] || fail "touching a BAM recounted $(counted "$WORK/out")"
run "$WORK/c/samples.tsv" "$WORK/q10" -T 1
cp -r "$WORK/q10/samples" "$WORK/q10/samples.keep"
run "$WORK/c/samples.tsv" "$WORK/q10" -T 1 -Q 10
[ "$(counted "$WORK/q10" | wc -w)" -eq 7 ] || fail "-Q 10 did not recount every sample"

# Adding rows counts only the new samples; -T 1 and -T 4 give identical tables.
python3 "$SRC/tests/report/make_cohort.py" "$WORK/n" --controls 1 --high 1 --low 0 --prefix N --seed 11
cp "$WORK/n/bam/"*.sam "$WORK/c/bam/"
{ cat "$WORK/c/samples.tsv"; tail -n +2 "$WORK/n/samples.tsv"; } >"$WORK/c/more.tsv"
run "$WORK/c/more.tsv" "$WORK/out" -T 4
[ "$(counted "$WORK/out")" = "N01 N02" ] || fail "adding rows counted: $(counted "$WORK/out")"
# The step a grown cohort redoes (merge, normalization, scores) is timed in run.json and the log.
grep -q "run: merged, normalized and scored the cohort of 9 samples (2 counted by this run) in [0-9.]* s" \
  "$WORK/stderr.txt" || fail "no log line for the cohort step: $(cat "$WORK/stderr.txt")"
python3 -c 'import json, sys; t = json.load(open(sys.argv[1]))["timings_seconds"]
assert t["cohort"] >= 0 and abs(t["cohort"] - t["merge_normalize"] - t["score"]) < 0.1, t' "$WORK/out/run.json" ||
  fail "run.json has no cohort timing"
run "$WORK/c/more.tsv" "$WORK/t1" -T 1
for t in $TABLES; do cmp "$WORK/t1/$t" "$WORK/out/$t" || fail "$t differs between -T 1 and -T 4"; done
grep -q "samples counted" "$WORK/stderr.txt" || fail "no progress lines"

# Samples scored alone against the cohort's frozen reference score exactly as inside the cohort.
{ head -1 "$WORK/c/samples.tsv"; grep -P "^S0[56]\t" "$WORK/c/samples.tsv"; } >"$WORK/c/new.tsv"
run "$WORK/c/new.tsv" "$WORK/alone" --reference "$WORK/out/reference.json"
diff <(grep -P "^S0[56]\t" "$WORK/out/calls.tsv") <(tail -n +2 "$WORK/alone/calls.tsv") || fail "reference scores differ"
# Its checksum: edited by hand (a gene's control statistics removed, a threshold's digit changed), it is refused
# before anything is counted or created; re-indented, it is the same reference, used without a warning.
python3 - "$WORK/out/reference.json" "$WORK/c/ref_" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
ref = json.loads(text)
del ref["score"]["genes"][sorted(ref["score"]["genes"])[0]]
json.dump(ref, open(sys.argv[2] + "gene_removed.json", "w"), indent=1)
at = re.search(r'"value": [0-9]+[.]', text).end()  # the first decimal: the value changes
open(sys.argv[2] + "digit_changed.json", "w").write(text[:at] + str((int(text[at]) + 1) % 10) + text[at + 1:])
json.dump(json.loads(text), open(sys.argv[2] + "reindented.json", "w"), indent=4)
PY
for edit in gene_removed digit_changed; do
  expect_failure 1 "ref_$edit.json: the reference was modified after ifnsig wrote it" "$IFNSIG" run \
    --samples "$WORK/c/new.tsv" -a "$WORK/c/annotation.gtf" -o "$WORK/edited" --reference "$WORK/c/ref_$edit.json"
  [ ! -e "$WORK/edited" ] || fail "a reference with $edit left $WORK/edited behind"
done
run "$WORK/c/new.tsv" "$WORK/reindented" --reference "$WORK/c/ref_reindented.json"
! grep -i "warning" "$WORK/stderr.txt" || fail "a re-indented reference is warned of (above)"
cmp "$WORK/alone/calls.tsv" "$WORK/reindented/calls.tsv" || fail "the re-indented reference scores differently"

# Detected layout: paired-end, reverse-stranded, recorded in run.json; a sheet that disagrees is flagged.
python3 - "$WORK/out/run.json" "$WORK/c" <<'PY' || fail "run.json lacks the detected layout or the inputs' MD5"
import hashlib, json, os, sys
samples = json.load(open(sys.argv[1]))["inputs"]["samples"]
s = samples[0]
assert s["paired"] and s["paired_source"] == "detected" and s["strandedness"] == "reverse", s
assert s["strand_source"] == "detected", s
for s in samples:
    assert s["md5"] == hashlib.md5(open(os.path.join(sys.argv[2], s["bam"]), "rb").read()).hexdigest(), s
PY
awk 'BEGIN {FS = OFS = "\t"} NR == 1 {print $0, "strand"; next} {print $0, "unstranded"}' "$WORK/c/samples.tsv" >"$WORK/c/fwd.tsv"
run "$WORK/c/fwd.tsv" "$WORK/fwd" -T 2
grep -q "the sheet says unstranded, the reads look reverse" "$WORK/fwd/report.html" || fail "strand disagreement not reported"

# Single-end unstranded reads are detected as such.
python3 "$SRC/tests/report/make_cohort.py" "$WORK/se" --single --strand unstranded --controls 3 --high 1 --low 0
"$IFNSIG" run --samples "$WORK/se/samples.tsv" -a "$WORK/se/annotation.gtf" -o "$WORK/se_out" -q >/dev/null ||
  fail "single-end run failed"
python3 - "$WORK/se_out/run.json" <<'PY' || fail "single-end layout not detected"
import json, sys
for s in json.load(open(sys.argv[1]))["inputs"]["samples"]:
    assert not s["paired"] and s["strandedness"] == "unstranded", s
PY

# Bad sheet: one error naming every problem, nothing counted, no output directory.
cp "$WORK/se/bam/S01.sam" "$WORK/c/bam/single.sam"
printf 'sample\tbam\tgroup\tage\nS01\tbam/S01.sam\tpatient\t1\nS01\tbam/S02.sam\tpatient\t2\nX\tbam/none.bam\tpatient\t3\nY\tbam/single.sam\tpatient\t4\n' \
  >"$WORK/c/bad.tsv"
expect_failure 1 "5 problems, nothing was counted" "$IFNSIG" run --samples "$WORK/c/bad.tsv" -a "$WORK/c/annotation.gtf" -o "$WORK/bad"
for problem in "unknown column 'age'" "duplicate sample id 'S01'" "none.bam does not exist" "no control samples" \
               "mix paired-end .* and single-end \(Y\)"; do
  grep -Eq -- "$problem" "$WORK/stderr.txt" || fail "the error does not mention: $problem"
done
[ ! -e "$WORK/bad" ] || fail "the output directory was created despite the errors"
# Text that could not be written (a field that is not UTF-8, for run.json) or be a file name (NUL, '/', over
# 213 bytes) is found with the sheet's other problems, before anything is created.
{ printf 'sample\tbam\tgroup\nS01\tbam/S01.sam\tcontrol\nS02\tbam/S02.sam\tcontr\xF4le\n'
  printf 'S03\000x\tbam/S03.sam\tcontrol\nrun1/S04\tbam/S04.sam\tcontrol\n%s\tbam/S05.sam\tcontrol\n' "$(printf 'S%.0s' {1..300})"
} >"$WORK/c/bad_text.tsv"
expect_failure 1 "4 problems, nothing was counted" "$IFNSIG" run --samples "$WORK/c/bad_text.tsv" -a "$WORK/c/annotation.gtf" -o "$WORK/bad"
for problem in "line 3: the 'group' value 'contr\\\\xF4le' is not valid UTF-8" "line 4: sample id 'S03\\\\0x' has a control character" \
               "line 5: sample id 'run1/S04' has a '/'" "line 6: sample id 'S{60}…' \(300 bytes\) is longer than 213 bytes"; do
  grep -Eq -- "$problem" "$WORK/stderr.txt" || fail "the error does not mention: $problem ($(cat "$WORK/stderr.txt"))"
done
[ ! -e "$WORK/bad" ] || fail "the output directory was created despite the errors"
# Bad options fail before anything is created or counted.
expect_failure 2 "unknown panel 'nope'" "$IFNSIG" run --samples "$WORK/c/samples.tsv" -a "$WORK/c/annotation.gtf" \
  -o "$WORK/bad" --panel nope
[ ! -e "$WORK/bad" ] || fail "an unknown --panel left $WORK/bad behind"
echo '{"format": "ifnsig-reference", "version": 1}' >"$WORK/c/broken_reference.json"
expect_failure 1 "broken_reference.json" "$IFNSIG" run --samples "$WORK/c/samples.tsv" -a "$WORK/c/annotation.gtf" \
  -o "$WORK/bad" --reference "$WORK/c/broken_reference.json"
[ ! -e "$WORK/bad" ] || fail "a broken --reference left $WORK/bad behind"
expect_failure 1 "no up-to-date counts" "$IFNSIG" run --samples "$WORK/c/more.tsv" -a "$WORK/c/annotation.gtf" \
  -o "$WORK/empty" --gather
