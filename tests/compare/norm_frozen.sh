#!/usr/bin/env bash
# Frozen reference: fit on 20 TB/HIV samples, apply to the 11 others one sample at a time.
# - held-out samples get what DESeq2/edgeR give with the reference's quantities imposed (norm_frozen.R);
# - reference samples re-applied one at a time reproduce their in-cohort values exactly;
# - held-out samples get identical values alone or together.
source "$SRC/tests/lib.sh"
need_packages r-base-core libblas3 liblapack3 r-bioc-deseq2 r-bioc-edger r-bioc-sva
COUNTS="$SHARED_DATA/tb_hiv/TB_hiv_counts.tsv"
[ -f "$COUNTS" ] || fail "missing $COUNTS"
compare() { python3 "$SRC/tests/compare/norm_compare.py" "$@" || fail "disagreement: $*"; }
n_ref=20
cut -f1-$((n_ref + 1)) "$COUNTS" >"$WORK/ref.tsv"
cut -f1,$((n_ref + 2))- "$COUNTS" >"$WORK/held.tsv"
mapfile -t ref_samples < <(head -1 "$WORK/ref.tsv" | tr '\t' '\n' | tail -n +2)
mapfile -t held_samples < <(head -1 "$WORK/held.tsv" | tr '\t' '\n' | tail -n +2)
{ printf 'sample\tbatch\n'; head -1 "$COUNTS" | tr '\t' '\n' | tail -n +2 | awk '{print $1 "\t" substr($1, 1, 3)}'; } \
  >"$WORK/samples.tsv"
head -$((n_ref + 1)) "$WORK/samples.tsv" >"$WORK/ref_samples.tsv"
{ head -1 "$WORK/samples.tsv"; tail -n +$((n_ref + 2)) "$WORK/samples.tsv"; } >"$WORK/held_samples.tsv"
single() { cut -f1,$(($(head -1 "$1" | tr '\t' '\n' | grep -nx "$2" | cut -d: -f1))) "$1" >"$WORK/one_$2.tsv"; }

# Applies REF.json to each listed sample of FILE alone; joins outputs into PREFIX.tsv and PREFIX_factors.tsv.
apply_one_by_one() {
  local json=$1 file=$2 prefix=$3; shift 3
  cut -f1 "$file" >"$prefix.tsv"; printf 'sample\tlib_size\tfactor\n' >"$prefix"_factors.tsv
  for s in "$@"; do
    single "$file" "$s"
    local extra=()
    if [ -n "${SHEET:-}" ]; then
      { head -1 "$SHEET"; awk -v s="$s" '$1 == s' "$SHEET"; } >"$WORK/one_sheet.tsv"
      extra=(--samples "$WORK/one_sheet.tsv")
    fi
    "$IFNSIG" -q normalize -i "$WORK/one_$s.tsv" "${extra[@]}" --reference "$json" -o "$WORK/o.tsv" --factors "$WORK/f.tsv"
    paste "$prefix.tsv" <(cut -f2 "$WORK/o.tsv") >"$WORK/joined" && mv "$WORK/joined" "$prefix.tsv"
    tail -n +2 "$WORK/f.tsv" >>"$prefix"_factors.tsv
  done
}

# 1. ratio + VST
"$IFNSIG" -q normalize -i "$WORK/ref.tsv" --method ratio --transform vst --save-reference "$WORK/vst.json" \
  -o "$WORK/ref_vst.tsv"
grep -q '"format": "ifnsig-reference"' "$WORK/vst.json" || fail "reference JSON lacks its format tag"
grep -q '"fit_type": "parametric"' "$WORK/vst.json" || fail "reference JSON lacks the VST fit type"
# Only a parametric trend can be frozen (docs/normalize.md): a reference claiming a local one is refused
# (an edit made on purpose: its checksum deleted, as docs/normalize.md says).
sed -e 's/"fit_type": "parametric"/"fit_type": "local"/' -e '/^ "checksum": /d' "$WORK/vst.json" >"$WORK/vst_local.json"
expect_failure 1 "only a parametric VST trend can be frozen" "$IFNSIG" normalize -i "$WORK/held.tsv" \
  --reference "$WORK/vst_local.json" -o "$WORK/refused.tsv"
grep -q "vst_local.json: the reference has no \"checksum\"" "$WORK/stderr.txt" || fail "no warning of the missing checksum"
# Edited by hand, it is refused before anything is written: a gene removed (with its value), a digit changed.
# Re-indented, it is the same reference.
python3 - "$WORK/vst.json" "$WORK/vst_" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
ref = json.loads(text)
del ref["genes"][1], ref["factors"]["log_geo_means"][1]
json.dump(ref, open(sys.argv[2] + "gene_removed.json", "w"), indent=1)
at = re.search(r'"asympt_disp": [0-9]+[.]', text).end()  # the first decimal: the value changes
open(sys.argv[2] + "digit_changed.json", "w").write(text[:at] + str((int(text[at]) + 1) % 10) + text[at + 1:])
json.dump(json.loads(text), open(sys.argv[2] + "reindented.json", "w"), indent=4)
PY
for edit in gene_removed digit_changed; do
  expect_failure 1 "vst_$edit.json: the reference was modified after ifnsig wrote it" "$IFNSIG" normalize \
    -i "$WORK/held.tsv" --reference "$WORK/vst_$edit.json" -o "$WORK/refused.tsv" --factors "$WORK/refused_factors.tsv"
  grep -q "regenerate it with .ifnsig normalize --save-reference" "$WORK/stderr.txt" || fail "$edit: no hint"
  [ ! -e "$WORK/refused.tsv" ] && [ ! -e "$WORK/refused_factors.tsv" ] || fail "$edit: an output was written"
done
"$IFNSIG" normalize -i "$WORK/held.tsv" --reference "$WORK/vst_reindented.json" -o "$WORK/reindented.tsv" 2>"$WORK/stderr.txt" ||
  fail "a re-indented reference is refused: $(cat "$WORK/stderr.txt")"
! grep -i "warning" "$WORK/stderr.txt" || fail "a re-indented reference is warned of (above)"
"$IFNSIG" -q normalize -i "$WORK/held.tsv" --reference "$WORK/vst.json" -o "$WORK/held_vst_together.tsv"
cmp -s "$WORK/reindented.tsv" "$WORK/held_vst_together.tsv" || fail "the re-indented reference normalizes differently"
# 2. TMM + logCPM, and TMM + logCPM + ComBat over the R01/R02 runs
"$IFNSIG" -q normalize -i "$WORK/ref.tsv" --method tmm --transform logcpm --save-reference "$WORK/tmm.json" \
  -o "$WORK/ref_logcpm.tsv"
"$IFNSIG" -q normalize -i "$WORK/ref.tsv" --samples "$WORK/ref_samples.tsv" --method tmm --transform logcpm \
  --batch batch --save-reference "$WORK/combat.json" -o "$WORK/ref_combat.tsv"
tmm_ref=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["factors"]["ref_column"]["sample"])' "$WORK/tmm.json")
reference_rscript "$SRC/tests/compare/norm_frozen.R" "$WORK/ref.tsv" "$WORK/held.tsv" "$WORK/samples.tsv" "$tmm_ref" "$WORK/r" \
  >"$WORK/r.log" 2>&1 || fail "R failed (see $WORK/r.log)"

apply_one_by_one "$WORK/vst.json" "$WORK/held.tsv" "$WORK/held_vst" "${held_samples[@]}"
compare "$WORK/held_vst_factors.tsv" "$WORK/r/held_ratio_factors.tsv" 1e-12 1e-300 factor
compare "$WORK/held_vst.tsv" "$WORK/r/held_vst.tsv" 1e-8 1
apply_one_by_one "$WORK/tmm.json" "$WORK/held.tsv" "$WORK/held_logcpm" "${held_samples[@]}"
compare "$WORK/held_logcpm_factors.tsv" "$WORK/r/held_tmm_factors.tsv" 1e-12 1e-300 factor
compare "$WORK/held_logcpm.tsv" "$WORK/r/held_logcpm.tsv" 1e-12 1

# Reference samples one at a time: exactly their in-cohort values.
apply_one_by_one "$WORK/vst.json" "$WORK/ref.tsv" "$WORK/again_vst" "${ref_samples[@]}"
compare "$WORK/again_vst.tsv" "$WORK/ref_vst.tsv" 0 1
SHEET="$WORK/samples.tsv" apply_one_by_one "$WORK/combat.json" "$WORK/ref.tsv" "$WORK/again_combat" "${ref_samples[@]}"
compare "$WORK/again_combat.tsv" "$WORK/ref_combat.tsv" 0 1
compare "$WORK/again_combat.tsv" "$WORK/r/ref_combat.tsv" 1e-8 1

# Held-out samples alone or together: identical.
SHEET="$WORK/samples.tsv" apply_one_by_one "$WORK/combat.json" "$WORK/held.tsv" "$WORK/held_combat" "${held_samples[@]}"
"$IFNSIG" -q normalize -i "$WORK/held.tsv" --samples "$WORK/held_samples.tsv" --reference "$WORK/combat.json" \
  -o "$WORK/held_combat_together.tsv"
compare "$WORK/held_combat.tsv" "$WORK/held_combat_together.tsv" 0 1
echo "frozen reference reproduces in-cohort values"
