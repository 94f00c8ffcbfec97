#!/usr/bin/env bash
# ifnsig normalize and score against DESeq2 1.38, edgeR 3.40, sva 3.46 and GSVA 1.46 on a realistic large
# cohort: N samples (default 1,000) made by scale_cohort.R from the TB/HIV counts, with mean-dependent
# negative-binomial dispersion, 8 batches, a group and outlier genes. The tolerances are those of the small
# cohorts (norm_agreement.sh, score_gsva.sh): size factors, TMM factors and logCPM to 1e-12, VST, vst() and
# ComBat to 1e-8, the trend coefficients of varianceStabilizingTransformation() and of vst() to 1e-12 (before
# ifnsig reproduced DESeq2's arithmetic of the dispersion fit they differed by 4e-9 at 1,000 samples,
# docs/normalize.md "The VST at scale"), GSVA's gsva, ssgsea, zscore and plage to 1e-8.
# GSVA runs on the first IFNSIG_SCALE_GSVA_N samples (default 300): its kernel estimate costs samples² per gene
# (gsva() alone takes R over 2 minutes at 1,000 samples of 20,000 genes). IFNSIG_SCALE_N sets another N.
# R's side (4.5 CPU minutes for DESeq2 beside 4 for edgeR, sva and GSVA, on 2 cores; 7 GB peak) is kept under $DATA/cohort_scale/<checksum of its inputs>, so a CI run
# that runs this test again reuses it; delete that directory to remake it.
source "$SRC/tests/lib.sh"
need_packages r-base-core libblas3 liblapack3 r-bioc-deseq2 r-bioc-edger r-bioc-sva r-bioc-gsva python3
TB="$SHARED_DATA/tb_hiv"
[ -f "$TB/TB_hiv_counts.tsv" ] || fail "missing $TB/TB_hiv_counts.tsv"
N=${IFNSIG_SCALE_N:-1000}
GSVA_N=${IFNSIG_SCALE_GSVA_N:-300}
HERE="$SRC/tests/compare"

# Each set lists the matrix rows ifnsig matches its genes to (panels show -i; the cohort has TB/HIV's genes), some
# through the gene alias table, so that GSVA, which matches names exactly, is given the same genes.
for p in hallmark_ifna hallmark_ifng rice6; do
  "$IFNSIG" -q panels show "$p" -i "$TB/TB_hiv_counts.tsv" |
    awk -F'\t' -v n="$p" '!/^#/ && $1 != "gene" && $4 != "-" {sub(/ \(.*/, "", $4); g = g "\t" $4} END {print n "\tifnsig" g}'
done >"$WORK/sets.gmt"

# R's side, once per distinct input (scripts, TB/HIV data, panels, N).
key=$( { cat "$HERE/scale_cohort.R" "$HERE/norm_vst_scale.R" "$HERE/scale_reference.R" "$TB/TB_hiv_counts.tsv" \
  "$TB/TB_hiv_coldata.tsv" "$WORK/sets.gmt"; echo "$N $GSVA_N"; } | sha256sum | cut -c1-16)
R="$DATA/cohort_scale/$key"
(
  flock 9
  if [ ! -f "$R/.done" ]; then
    rm -rf "$R"; mkdir -p "$R"
    reference_rscript "$HERE/scale_cohort.R" "$N" "$R" "$TB/TB_hiv_counts.tsv" "$TB/TB_hiv_coldata.tsv" \
      >"$WORK/r_cohort.log" 2>&1 || fail "R failed making the cohort (see $WORK/r_cohort.log)"
    # Both R runs at once (2 cores).
    reference_rscript "$HERE/scale_reference.R" "$R/counts.tsv" "$R/samples.tsv" "$WORK/sets.gmt" "$GSVA_N" "$R" \
      >"$WORK/r_reference.log" 2>&1 &
    reference_pid=$!
    reference_rscript "$HERE/norm_vst_scale.R" "$R/counts.tsv" "$R" >"$WORK/r_deseq2.log" 2>&1 ||
      fail "R failed in DESeq2 (see $WORK/r_deseq2.log)"
    wait "$reference_pid" || fail "R failed in edgeR, sva or GSVA (see $WORK/r_reference.log)"
    touch "$R/.done"
  fi
) 9>"$DATA/cohort_scale.lock" || exit 1
compare() { python3 "$HERE/norm_compare.py" "$@" || fail "disagreement: $*"; }

"$IFNSIG" -q normalize -i "$R/counts.tsv" --method ratio --transform vst -T 2 -o "$WORK/vst.tsv" \
  --factors "$WORK/factors.tsv" --save-reference "$WORK/vst.json"
compare "$WORK/factors.tsv" "$R/size_factors.tsv" 1e-12 1e-300 factor
compare "$WORK/vst.tsv" "$R/vst_full.tsv" 1e-8 1
"$IFNSIG" -q normalize -i "$R/counts.tsv" --method ratio --transform vst --vst-genes subsample -T 2 \
  -o "$WORK/vst_sub.tsv" --save-reference "$WORK/vst_sub.json"
compare "$WORK/vst_sub.tsv" "$R/vst_sub.tsv" 1e-8 1

python3 - "$R/coefficients.tsv" "$WORK/vst.json" "$WORK/vst_sub.json" <<'PY' || fail "trend coefficients differ"
import csv, json, sys
r = {row["fit"]: row for row in csv.DictReader(open(sys.argv[1]), delimiter="\t")}
worst = 0.0
for fit, path in (("vst_full", sys.argv[2]), ("vst_sub", sys.argv[3])):
    ours = json.load(open(path))["vst"]
    for name, key in (("asymptDisp", "asympt_disp"), ("extraPois", "extra_pois")):
        theirs = float(r[fit][name])
        rel = abs(ours[key] - theirs) / abs(theirs)
        print(f"{fit} {name}: ifnsig {ours[key]!r}, DESeq2 {theirs!r}, relative difference {rel:.2g}")
        worst = max(worst, rel)
sys.exit(0 if worst <= 1e-12 else 1)
PY

"$IFNSIG" -q normalize -i "$R/counts.tsv" --method tmm --transform logcpm -T 2 -o "$WORK/logcpm.tsv" \
  --factors "$WORK/factors_tmm.tsv"
compare "$WORK/factors_tmm.tsv" "$R/factors_tmm.tsv" 1e-12 1e-300 factor
compare "$WORK/logcpm.tsv" "$R/logcpm_tmm.tsv" 1e-12 1
"$IFNSIG" -q normalize -i "$R/counts.tsv" --samples "$R/samples.tsv" --method tmm --transform logcpm \
  --batch batch --covariate group -T 2 -o "$WORK/combat.tsv"
compare "$WORK/combat.tsv" "$R/combat.tsv" 1e-8 1

score() {  # name, then ifnsig options
  local name=$1; shift
  "$IFNSIG" -q score -i "$R/logcpm_gsva.tsv" --panel "$WORK/sets.gmt" -T 2 -o "$WORK/$name.tsv" "$@"
}
score gsva_gaussian --method gsva
score ssgsea_norm --method ssgsea --ssgsea-norm
score zscore --method zscore
score plage --method plage
(cd "$WORK" && python3 "$HERE/score_compare.py" "$R/gsva_scores.tsv" 1e-8 gsva_gaussian.tsv:gsva_gaussian \
  ssgsea_norm.tsv:ssgsea_norm zscore.tsv:zscore plage.tsv:plage:sign) || fail "ifnsig's scores differ from GSVA"
echo "at $N samples ($GSVA_N for GSVA) normalize and score agree with DESeq2, edgeR, sva and GSVA"
