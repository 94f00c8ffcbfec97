# ifnsig score vs GSVA 1.46 (Debian r-bioc-gsva) and singscore's definition on the real whole-blood cohort
# (../shared/data/tb_hiv) as logCPM with the MSigDB Hallmark IFN sets and the Rice genes: equal to 1e-8.
source "$SRC/tests/lib.sh"
need_packages r-base-core libblas3 liblapack3 r-bioc-gsva python3
COUNTS="$SHARED_DATA/tb_hiv/TB_hiv_counts.tsv"
[ -f "$COUNTS" ] || { echo "skip: $COUNTS missing"; exit 77; }
HERE="$SRC/tests/compare"

# Each set lists the matrix rows ifnsig matches its genes to (panels show -i: WARS for WARS1, FAM46A for
# TENT5A, MARCH1 for MARCHF1 through the gene alias table), so that GSVA, which matches names exactly, is given
# the same genes.
for p in hallmark_ifna hallmark_ifng rice6; do
  "$IFNSIG" -q panels show "$p" -i "$COUNTS" |
    awk -F'\t' -v n="$p" '!/^#/ && $1 != "gene" && $4 != "-" {sub(/ \(.*/, "", $4); g = g "\t" $4} END {print n "\tifnsig" g}'
done >"$WORK/sets.gmt"
reference_rscript "$HERE/score_gsva.R" "$COUNTS" "$WORK/sets.gmt" "$WORK" 2>"$WORK/r.log" || fail "R failed: $(tail "$WORK/r.log")"

score() {  # name, then ifnsig options
  local name=$1; shift
  "$IFNSIG" -q score -i "$WORK/logcpm.tsv" --panel "$WORK/sets.gmt" -o "$WORK/$name.tsv" "$@"
}
score gsva_gaussian --method gsva
score gsva_gaussian_nomxdiff --method gsva --no-mx-diff
score ssgsea_norm --method ssgsea --ssgsea-norm
score ssgsea --method ssgsea
score zscore --method zscore
score plage --method plage
score singscore --method singscore -T 2
# Poisson kernel on the raw counts, as GSVA is given them. R's ppois and ifnsig's incomplete gamma differ in
# the last bits, which reorders genes whose kernel sums tie up to rounding: one rank step is ~1/25,000, hence 1e-4.
"$IFNSIG" -q score -i "$COUNTS" --panel "$WORK/sets.gmt" -o "$WORK/gsva_poisson.tsv" --method gsva --kcdf poisson

cd "$WORK"
python3 "$HERE/score_compare.py" r_scores.tsv 1e-8 gsva_gaussian.tsv:gsva_gaussian \
  gsva_gaussian_nomxdiff.tsv:gsva_gaussian_nomxdiff gsva_poisson.tsv:gsva_poisson:tol=1e-4 ssgsea_norm.tsv:ssgsea_norm \
  ssgsea.tsv:ssgsea zscore.tsv:zscore plage.tsv:plage:sign singscore.tsv:singscore || fail "ifnsig differs from R"
echo "PASS: gsva (gaussian, poisson, no mx.diff), ssgsea (with and without norm), zscore, plage, singscore"
