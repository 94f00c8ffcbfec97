# The Snakemake workflow (pipelines/snakemake), run locally with Debian's snakemake --cores 2, counts each
# sample as its own job and gathers into the same tables, byte for byte, as one `ifnsig run`. The Slurm
# profiles parse (dry run).
source "$SRC/tests/lib.sh"
need_packages snakemake
python3 "$SRC/tests/report/make_cohort.py" "$WORK/c" --controls 4 --high 3 --low 1
"$IFNSIG" run --samples "$WORK/c/samples.tsv" -a "$WORK/c/annotation.gtf" -o "$WORK/run" -T 2 -q >/dev/null ||
  fail "ifnsig run failed"
cd "$WORK"
snakemake -s "$SRC/pipelines/snakemake/Snakefile" --cores 2 --config samples="$WORK/c/samples.tsv" \
  annotation="$WORK/c/annotation.gtf" outdir="$WORK/smk" ifnsig="$IFNSIG" >"$WORK/snakemake.log" 2>&1 ||
  fail "snakemake failed: $(tail -30 "$WORK/snakemake.log")"
[ "$(grep -c '^rule count:\|^localrule count:' "$WORK/snakemake.log")" -eq 8 ] || fail "expected 8 count jobs"
for t in counts.tsv counts.tsv.summary normalized.tsv scores.tsv calls.tsv signature_genes.tsv panel_genes.tsv ifnsig_scores_mqc.tsv \
         reference.json; do
  cmp "$WORK/run/$t" "$WORK/smk/$t" || fail "$t differs between ifnsig run and the workflow"
done
[ -s "$WORK/smk/report.html" ] && [ -s "$WORK/smk/run.json" ] || fail "the workflow wrote no report or run.json"
grep -q '"mode": "gather"' "$WORK/smk/run.json" || fail "run.json does not record the gather step"
# A second invocation has nothing to do.
snakemake -s "$SRC/pipelines/snakemake/Snakefile" --cores 2 --config samples="$WORK/c/samples.tsv" \
  annotation="$WORK/c/annotation.gtf" outdir="$WORK/smk" ifnsig="$IFNSIG" >"$WORK/again.log" 2>&1 || fail "rerun failed"
grep -q "Nothing to be done" "$WORK/again.log" || fail "the rerun did work: $(tail -5 "$WORK/again.log")"
# Profiles: the Slurm ones plan the same 10 jobs (dry run; no cluster needed), the local one runs.
for profile in slurm slurm-sbatch; do
  rm -rf "$WORK/dry"
  snakemake -n -s "$SRC/pipelines/snakemake/Snakefile" --profile "$SRC/pipelines/snakemake/profiles/$profile" \
    --config samples="$WORK/c/samples.tsv" annotation="$WORK/c/annotation.gtf" outdir="$WORK/dry" ifnsig="$IFNSIG" \
    >"$WORK/dry.log" 2>&1 || fail "dry run with profile $profile failed: $(tail -20 "$WORK/dry.log")"
  grep -Eq "^total +10( |$)" "$WORK/dry.log" || fail "profile $profile: expected 10 jobs: $(tail -20 "$WORK/dry.log")"
done
snakemake -s "$SRC/pipelines/snakemake/Snakefile" --profile "$SRC/pipelines/snakemake/profiles/local" --cores 2 \
  --config samples="$WORK/c/samples.tsv" annotation="$WORK/c/annotation.gtf" outdir="$WORK/local" ifnsig="$IFNSIG" \
  >"$WORK/local.log" 2>&1 || fail "local profile failed: $(tail -20 "$WORK/local.log")"
cmp "$WORK/run/calls.tsv" "$WORK/local/calls.tsv" || fail "calls differ with the local profile"
