# ifnsig score / panels end to end: panels listing, calls and signature on the tb_hiv cohort, the frozen
# reference (a sample scores the same alone), and the documented errors for bad input.
source "$SRC/tests/lib.sh"
COUNTS="$SHARED_DATA/tb_hiv/TB_hiv_counts.tsv"
SHEET="$SHARED_DATA/tb_hiv/TB_hiv_coldata.tsv"
[ -f "$COUNTS" ] || { echo "skip: $COUNTS missing"; exit 77; }

"$IFNSIG" panels >"$WORK/panels.txt"
for p in rice6 isg4_az feng5 chiche_m1_2 chiche_m3_4 chiche_m5_12 hallmark_ifna hallmark_ifng; do
  grep -q "^$p	" "$WORK/panels.txt" || fail "panel $p not listed"
done
grep -q "^isg4_az	4	unconfirmed" "$WORK/panels.txt" || fail "isg4_az is not marked unconfirmed"
grep -q "^gsva	no	no" "$WORK/panels.txt" || fail "gsva not listed as cohort-dependent"
[ "$("$IFNSIG" panels show rice6 | grep -vc '^#')" -eq 7 ] || fail "panels show rice6: expected 6 genes + header"

# CPM (linear scale) for the control-referenced methods.
awk 'BEGIN{FS=OFS="\t"} NR==FNR {if (FNR>1) for (i=2;i<=NF;i++) lib[i]+=$i; next}
     FNR==1 {$1="gene_id"; print; next} {for (i=2;i<=NF;i++) $i=$i/lib[i]*1e6; print}' "$COUNTS" "$COUNTS" >"$WORK/cpm.tsv"
"$IFNSIG" -q score -i "$WORK/cpm.tsv" --samples "$SHEET" --group-column Disease --control hiv_only \
  --panel rice6 --panel feng5 --method rice --method zscore-controls --method module --method singscore \
  -o "$WORK/scores.tsv" --signature "$WORK/signature.tsv" --save-reference "$WORK/ref.json"
head -1 "$WORK/scores.tsv" | grep -q "^sample	panel	method	score	call	threshold	n_genes_used" || fail "scores header"
[ "$(grep -c . "$WORK/scores.tsv")" -eq $((1 + 31 * 2 * 4)) ] || fail "expected 248 score rows"
awk -F'\t' 'NR>1 && $5!="high" && $5!="low" {exit 1}' "$WORK/scores.tsv" || fail "a call is neither high nor low"
[ "$(grep -c . "$WORK/signature.tsv")" -eq $((1 + 31 * 11)) ] || fail "expected 341 signature rows"
grep -q '"format": "ifnsig-reference"' "$WORK/ref.json" || fail "reference lacks its format key"

# One tb_hiv sample alone against the frozen reference scores exactly as inside its cohort.
cut -f1,2 "$WORK/cpm.tsv" >"$WORK/one.tsv"
sample=$(head -1 "$WORK/one.tsv" | cut -f2)
"$IFNSIG" -q score -i "$WORK/one.tsv" --reference "$WORK/ref.json" --panel rice6 --panel feng5 \
  --method rice --method zscore-controls --method module --method singscore -o "$WORK/one_scores.tsv"
diff <(awk -F'\t' -v s="$sample" '$1==s {print $1,$2,$3,$4,$5,$6}' "$WORK/scores.tsv") \
     <(awk -F'\t' 'NR>1 {print $1,$2,$3,$4,$5,$6}' "$WORK/one_scores.tsv") || fail "reference scores differ"
# The cohort's sheet (31 samples) serves the one-sample matrix too.
"$IFNSIG" -q score -i "$WORK/one.tsv" --samples "$SHEET" --group-column Disease --control hiv_only \
  --reference "$WORK/ref.json" --panel rice6 --panel feng5 --method rice --method zscore-controls --method module \
  --method singscore -o "$WORK/one_sheet_scores.tsv"
cmp -s "$WORK/one_scores.tsv" "$WORK/one_sheet_scores.tsv" || fail "one sample with the cohort's sheet scores differently"
# Updating the reference keeps the keys that normalize owns.
python3 - "$WORK/ref.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["norm"] = {"keep": 1}; del d["checksum"]  # an edit on purpose
json.dump(d, open(sys.argv[1], "w"))
PY
"$IFNSIG" -q score -i "$WORK/cpm.tsv" --samples "$SHEET" --group-column Disease --control hiv_only \
  -o "$WORK/scores2.tsv" --save-reference "$WORK/ref.json"
grep -q '"keep": 1' "$WORK/ref.json" || fail "--save-reference dropped another module's key"
# Edited by hand, it is not sealed with a new checksum by --save-reference: refused before any output.
sed 's/"keep": 1/"keep": 2/' "$WORK/ref.json" >"$WORK/edited_ref.json"
expect_failure 1 "edited_ref.json: the reference was modified after ifnsig wrote it" "$IFNSIG" score -i "$WORK/cpm.tsv" \
  --samples "$SHEET" --group-column Disease --control hiv_only -o "$WORK/x.tsv" --save-reference "$WORK/edited_ref.json"
[ ! -e "$WORK/x.tsv" ] || fail "a refused --save-reference left scores behind"

# Identical output at 1 and 2 threads.
for t in 1 2; do "$IFNSIG" -q score -i "$WORK/cpm.tsv" --panel hallmark_ifna --method gsva --method ssgsea \
  --ssgsea-norm --method plage -T $t -o "$WORK/t$t.tsv"; done
cmp "$WORK/t1.tsv" "$WORK/t2.tsv" || fail "-T 1 and -T 2 differ"

# A gene zero in every sample but one value of 1e-200 (its SD underflows to 0) crashed gsva's Gaussian kernel.
# GSVA 1.46 drops it (SD below 1e-10): R gives 0.33333333333333326 0.5 0.33333333333333326 1 on this input.
printf 'gene_id\tS1\tS2\tS3\tS4\nG1\t5\t3\t8\t1\nG2\t2\t9\t4\t3\nG3\t7\t7\t1\t2\nG4\t6\t6\t6\t1\nU\t0\t0\t0\t1e-200\n' \
  >"$WORK/underflow.tsv"
printf 'ifn\tunderflow\tG1\tG2\tG3\tU\n' >"$WORK/underflow.gmt"
"$IFNSIG" -q score -i "$WORK/underflow.tsv" --panel "$WORK/underflow.gmt" --method gsva -o "$WORK/underflow_scores.tsv"
[ "$(awk -F'\t' 'NR>1 {printf "%s %s %s;", $1, $4, $7}' "$WORK/underflow_scores.tsv")" = \
  "S1 0.33333333333333326 3;S2 0.5 3;S3 0.33333333333333326 3;S4 1 3;" ] ||
  fail "gsva with an underflowing gene: $(cat "$WORK/underflow_scores.tsv")"

# Bad input: documented errors, never NaN.
expect_failure 2 "needs control samples" "$IFNSIG" score -i "$WORK/cpm.tsv" -o "$WORK/x.tsv"
expect_failure 2 "needs control samples" "$IFNSIG" score -i "$WORK/cpm.tsv" --samples "$SHEET" \
  --group-column Disease -o "$WORK/x.tsv"
expect_failure 2 "unknown panel" "$IFNSIG" score -i "$WORK/cpm.tsv" --panel nope -o "$WORK/x.tsv"
expect_failure 2 "save-reference needs control samples" "$IFNSIG" score -i "$WORK/cpm.tsv" --method ssgsea \
  -o "$WORK/x.tsv" --save-reference "$WORK/x.json"
expect_failure 2 "unknown method" "$IFNSIG" score -i "$WORK/cpm.tsv" --method nope -o "$WORK/x.tsv"
expect_failure 1 "only 6 of 6 genes found.*minimum 7" "$IFNSIG" score -i "$WORK/cpm.tsv" --samples "$SHEET" \
  --group-column Disease --control hiv_only --min-genes 7 -o "$WORK/x.tsv"
awk 'BEGIN{FS=OFS="\t"} NR>1 && $1=="IFI27" {$3=-1} {print}' "$WORK/cpm.tsv" >"$WORK/neg.tsv"
expect_failure 1 "neg.tsv:gene 'IFI27': negative value.*linear-scale" "$IFNSIG" score -i "$WORK/neg.tsv" --samples "$SHEET" \
  --group-column Disease --control hiv_only -o "$WORK/x.tsv"
awk 'BEGIN{FS=OFS="\t"} NR>1 && $1=="IFI27" {$4="NaN"} {print}' "$WORK/cpm.tsv" >"$WORK/nan.tsv"
expect_failure 1 "nan.tsv: 1 NA, NaN or infinite values, e.g. gene 'IFI27' in sample '[^']+'" "$IFNSIG" score \
  -i "$WORK/nan.tsv" --samples "$SHEET" --group-column Disease --control hiv_only -o "$WORK/x.tsv"
expect_failure 1 "not valid JSON|not an ifnsig reference" "$IFNSIG" score -i "$WORK/cpm.tsv" --reference "$SHEET" -o "$WORK/x.tsv"
python3 - "$WORK/ref.json" "$WORK/bad_ref.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["score"]["thresholds"][0]["panel"] = 5; del d["checksum"]
json.dump(d, open(sys.argv[2], "w"))
PY
expect_failure 1 "bad_ref.json:key '/score/thresholds/0/panel': expected a string, found a number" \
  "$IFNSIG" score -i "$WORK/cpm.tsv" --reference "$WORK/bad_ref.json" -o "$WORK/x.tsv"
[ ! -e "$WORK/x.tsv" ] || fail "a failed run left an output file"
echo PASS
