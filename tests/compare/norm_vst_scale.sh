#!/usr/bin/env bash
# ifnsig's VST against DESeq2 1.38 on a large cohort: N samples (default 500) resampled from the TB/HIV counts by
# norm_vst_scale.R, which also runs DESeq2 stage by stage. With hundreds of samples DESeq2's line search takes
# its decisions on differences of 2N-term sums near their rounding noise, so only DESeq2's own arithmetic gives
# DESeq2's gene-wise estimates (docs/normalize.md, "Agreement with R"). Size factors must agree to 1e-12, the
# trend coefficients of varianceStabilizingTransformation() and of vst() to 1e-12 (before ifnsig reproduced
# that arithmetic they differed by 1e-10 at 500 samples and 4e-9 at 1,000), and both transformations to 1e-8.
# IFNSIG_VST_SCALE_N sets another N (R's side takes about 4 CPU minutes at 1,000).
source "$SRC/tests/lib.sh"
need_packages r-base-core libblas3 liblapack3 r-bioc-deseq2
TB="$SHARED_DATA/tb_hiv"
[ -f "$TB/TB_hiv_counts.tsv" ] || fail "missing $TB/TB_hiv_counts.tsv"
N=${IFNSIG_VST_SCALE_N:-500}
R="$WORK/r"
reference_rscript "$SRC/tests/compare/norm_vst_scale.R" "$N" "$R" "$TB/TB_hiv_counts.tsv" >"$WORK/r.log" 2>&1 ||
  fail "R failed (see $WORK/r.log)"
compare() { python3 "$SRC/tests/compare/norm_compare.py" "$@" || fail "disagreement: $*"; }

"$IFNSIG" -q normalize -i "$R/counts.tsv" --method ratio --transform vst -T 2 -o "$WORK/vst.tsv" \
  --factors "$WORK/factors.tsv" --save-reference "$WORK/vst.json"
compare "$WORK/factors.tsv" "$R/size_factors.tsv" 1e-12 1e-300 factor
compare "$WORK/vst.tsv" "$R/vst_full.tsv" 1e-8 1
"$IFNSIG" -q normalize -i "$R/counts.tsv" --method ratio --transform vst --vst-genes subsample -T 2 \
  -o "$WORK/vst_sub.tsv" --save-reference "$WORK/vst_sub.json"
compare "$WORK/vst_sub.tsv" "$R/vst_sub.tsv" 1e-8 1

python3 - "$R/coefficients.tsv" "$WORK/vst.json" "$WORK/vst_sub.json" <<'EOF' || fail "trend coefficients differ"
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
EOF
echo "VST at $N samples agrees with DESeq2"
