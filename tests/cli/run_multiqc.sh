# MultiQC (Debian's multiqc) on an `ifnsig run` output directory finds the featureCounts summaries and
# ifnsig's custom-content score table, and writes both to multiqc_data/.
source "$SRC/tests/lib.sh"
need_packages multiqc
python3 "$SRC/tests/report/make_cohort.py" "$WORK/c" --controls 3 --high 2 --low 1
"$IFNSIG" run --samples "$WORK/c/samples.tsv" -a "$WORK/c/annotation.gtf" -o "$WORK/out" -q >/dev/null || fail "ifnsig run failed"
multiqc -q -o "$WORK/mqc" "$WORK/out" >"$WORK/multiqc.log" 2>&1 || fail "multiqc failed: $(cat "$WORK/multiqc.log")"
data="$WORK/mqc/multiqc_data"
[ -s "$data/multiqc_featureCounts.txt" ] || fail "no featureCounts section: $(ls "$data")"
[ -s "$data/multiqc_ifnsig_scores_table.txt" ] || fail "no ifnsig scores section: $(ls "$data")"
for s in S01 S02 S03 S04 S05 S06; do
  grep -q "^$s	" "$data/multiqc_featureCounts.txt" || fail "featureCounts section lacks $s"
  grep -q "^$s	" "$data/multiqc_ifnsig_scores_table.txt" || fail "scores section lacks $s"
done
head -1 "$data/multiqc_ifnsig_scores_table.txt" | grep -q "rice6_rice_call" || fail "scores section lacks the calls"
awk -F'\t' '$1 == "S04" && $4 != "high" {exit 1}' "$data/multiqc_ifnsig_scores_table.txt" || fail "S04 should be high"
grep -q "ifnsig interferon scores" "$WORK/mqc/multiqc_report.html" || fail "the MultiQC report lacks ifnsig's section"
