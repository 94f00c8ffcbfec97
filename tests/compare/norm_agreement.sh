#!/usr/bin/env bash
# ifnsig normalize against DESeq2 1.38, edgeR 3.40 and sva 3.46 on two matrices: DESeq2's
# makeExampleDESeqDataSet (seeded, made at test time) and the TB/HIV whole-blood cohort.
# Factors, CPM, logCPM and TPM must agree to 1e-12 relative; VST, vst() and ComBat to 1e-8.
# The VST with DESeq2's local (locfit) trend: --vst-fit local on both, and the automatic fallback on a third
# seeded matrix on which DESeq2's parametric trend fails.
source "$SRC/tests/lib.sh"
need_packages r-base-core libblas3 liblapack3 r-bioc-deseq2 r-bioc-edger r-bioc-sva
TB="$SHARED_DATA/tb_hiv"
[ -f "$TB/TB_hiv_counts.tsv" ] || fail "missing $TB/TB_hiv_counts.tsv"
compare() { python3 "$SRC/tests/compare/norm_compare.py" "$@" || fail "disagreement: $*"; }

# Both R runs at once (2 cores); each writes its results under $WORK/<name>.
reference_rscript "$SRC/tests/compare/norm_reference.R" example "$WORK/example" >"$WORK/r_example.log" 2>&1 &
example_pid=$!
reference_rscript "$SRC/tests/compare/norm_reference.R" tb "$WORK/tb" "$TB/TB_hiv_counts.tsv" "$TB/TB_hiv_coldata.tsv" \
  >"$WORK/r_tb.log" 2>&1 || fail "R failed on the TB cohort (see $WORK/r_tb.log)"
wait "$example_pid" || fail "R failed on the example data (see $WORK/r_example.log)"
reference_rscript "$SRC/tests/compare/norm_reference.R" fallback "$WORK/fallback" >"$WORK/r_fallback.log" 2>&1 ||
  fail "R failed on the fallback matrix (see $WORK/r_fallback.log)"

check_matrix() {  # name counts-file R-dir
  local name=$1 input=$2 r=$3 out="$WORK/$1-ifnsig"
  mkdir -p "$out"
  for m in ratio poscounts tmm tmmwsp upperquartile rle; do
    "$IFNSIG" -q normalize -i "$input" --method $m --transform counts -o "$out/counts_$m.tsv" --factors "$out/f_$m.tsv"
    compare "$out/f_$m.tsv" "$r/factors_$m.tsv" 1e-12 1e-300 factor
  done
  compare "$out/counts_ratio.tsv" "$r/counts_ratio.tsv" 1e-12
  "$IFNSIG" -q normalize -i "$input" --method ratio --control-genes "$r/control_genes.txt" -o "$out/counts_control.tsv" \
    --factors "$out/f_control.tsv"
  compare "$out/f_control.tsv" "$r/factors_control.tsv" 1e-12 1e-300 factor
  "$IFNSIG" -q normalize -i "$input" --method tmm --transform cpm -o "$out/cpm.tsv"
  compare "$out/cpm.tsv" "$r/cpm_tmm.tsv" 1e-12
  "$IFNSIG" -q normalize -i "$input" --method tmm --transform logcpm -o "$out/logcpm.tsv"
  compare "$out/logcpm.tsv" "$r/logcpm_tmm.tsv" 1e-12 1
  "$IFNSIG" -q normalize -i "$input" --method ratio --transform vst -o "$out/vst.tsv" -T 2
  compare "$out/vst.tsv" "$r/vst_full.tsv" 1e-8 1
  "$IFNSIG" -q normalize -i "$input" --method ratio --transform vst --vst-genes subsample -o "$out/vst_sub.tsv"
  compare "$out/vst_sub.tsv" "$r/vst_sub.tsv" 1e-8 1
  "$IFNSIG" -q normalize -i "$input" --method ratio --transform vst --vst-fit local -o "$out/vst_local.tsv" -T 2
  compare "$out/vst_local.tsv" "$r/vst_local.tsv" 1e-8 1
  "$IFNSIG" -q normalize -i "$input" --method ratio --transform vst --vst-fit local --vst-genes subsample \
    -o "$out/vst_sub_local.tsv"
  compare "$out/vst_sub_local.tsv" "$r/vst_sub_local.tsv" 1e-8 1
}

check_matrix example "$WORK/example/counts.tsv" "$WORK/example"
"$IFNSIG" -q normalize -i "$WORK/example/counts.tsv" --method ratio --transform tpm -o "$WORK/example/tpm_ifnsig.tsv"
compare "$WORK/example/tpm_ifnsig.tsv" "$WORK/example/tpm.tsv" 1e-12
E="$WORK/example"
"$IFNSIG" -q normalize -i "$E/counts.tsv" --samples "$E/samples.tsv" --method tmm --transform logcpm \
  --batch batch --covariate group -o "$E/combat.tsv"
compare "$E/combat.tsv" "$E/combat_param.tsv" 1e-8 1
"$IFNSIG" -q normalize -i "$E/counts.tsv" --samples "$E/samples.tsv" --method tmm --transform logcpm \
  --batch batch --covariate group --combat-mean-only -o "$E/combat_mo.tsv"
compare "$E/combat_mo.tsv" "$E/combat_meanonly.tsv" 1e-8 1
"$IFNSIG" -q normalize -i "$E/logcpm_sub.tsv" --samples "$E/samples.tsv" --method none --transform none \
  --batch batch --covariate group --combat-nonparametric -o "$E/combat_np.tsv" -T 2
compare "$E/combat_np.tsv" "$E/combat_nonparam.tsv" 1e-8 1

# DESeq2's fallback to the local trend (announced on stderr; no frozen reference can hold it).
FB="$WORK/fallback"
"$IFNSIG" -q normalize -i "$FB/counts.tsv" --method ratio --transform vst -o "$FB/vst_ifnsig.tsv" 2>"$FB/stderr.txt"
grep -q "using the local (locfit) trend instead" "$FB/stderr.txt" || fail "no fallback warning: $(cat "$FB/stderr.txt")"
compare "$FB/vst_ifnsig.tsv" "$FB/vst_full.tsv" 1e-8 1
"$IFNSIG" -q normalize -i "$FB/counts.tsv" --method ratio --transform vst --vst-genes subsample -o "$FB/vst_sub_ifnsig.tsv"
compare "$FB/vst_sub_ifnsig.tsv" "$FB/vst_sub.tsv" 1e-8 1
expect_failure 1 "a frozen reference cannot hold a local VST" "$IFNSIG" normalize -i "$FB/counts.tsv" --method ratio \
  --transform vst -o "$FB/refused.tsv" --save-reference "$FB/refused.json"
[ ! -e "$FB/refused.tsv" ] && [ ! -e "$FB/refused.json" ] || fail "output left behind by the refused reference"
expect_failure 2 "a frozen reference cannot hold a local" "$IFNSIG" normalize -i "$E/counts.tsv" --method ratio \
  --transform vst --vst-fit local -o "$FB/refused.tsv" --save-reference "$FB/refused.json"

check_matrix tb "$TB/TB_hiv_counts.tsv" "$WORK/tb"
"$IFNSIG" -q normalize -i "$TB/TB_hiv_counts.tsv" --samples "$WORK/tb/samples.tsv" --method tmm --transform logcpm \
  --batch batch -o "$WORK/tb/combat.tsv"
compare "$WORK/tb/combat.tsv" "$WORK/tb/combat_param.tsv" 1e-8 1
echo "all normalize results agree with DESeq2, edgeR and sva"
