# The Snakemake workflow on a real Slurm cluster: a single-node cluster on localhost (munged, slurmctld and
# slurmd started here from configs under $WORK, on free ports, stopped at exit; tests/cli/slurm_cluster.bash)
# runs pipelines/snakemake with its two Slurm profiles, and the tables are byte for byte those of one
# `ifnsig run`. Each run has a count job cancelled with scancel while it runs. profiles/slurm (Snakemake
# 7.21's own --slurm executor, restart-times: 1): the same snakemake submits the job again and finishes.
# profiles/slurm-sbatch (--cluster sbatch) with --restart-times 0: snakemake reports the cancelled job and
# fails without gathering; a second invocation counts that sample alone and gathers.
source "$SRC/tests/lib.sh"
source "$SRC/tests/cli/slurm_cluster.bash"
[ "$(id -u)" -eq 0 ] || { echo "SKIP: the Slurm test cluster needs root" >&2; exit 77; }
need_packages snakemake munge slurmctld slurmd slurm-client
# Snakemake 7.21's Slurm executor looks the account up for $USER (unset in a bare chroot).
export USER="${USER:-$(id -un)}"

python3 "$SRC/tests/report/make_cohort.py" "$WORK/c" --controls 2 --high 1 --low 1
"$IFNSIG" run --samples "$WORK/c/samples.tsv" -a "$WORK/c/annotation.gtf" -o "$WORK/run" -T 2 -q >/dev/null ||
  fail "ifnsig run failed"

smk_pid=""
cleanup() {  # also on failure: no snakemake, job or daemon outlives the test
  set +e
  local i
  [ -n "$smk_pid" ] && kill "$smk_pid" 2>/dev/null
  slurm_cluster_stop
  if [ -n "$smk_pid" ]; then
    for i in $(seq 100); do kill -0 "$smk_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$smk_pid" 2>/dev/null; wait "$smk_pid" 2>/dev/null
  fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP  # a signal exits through the EXIT trap too
slurm_cluster_start

# The profile as shipped, with the per-rule resources cut to this node (config.yaml's defaults ask for 4 CPUs
# and up to 8 GB; a config file, as docs/run.md says: --config gives nested values as strings) and a status
# poll every second instead of Snakemake's every 30 s on Slurm.
cat >"$WORK/resources.yaml" <<EOF
count: {threads: 1, mem_mb: 500, runtime: 10}
gather: {threads: 2, mem_mb: 1000, runtime: 10}
EOF
# Run as "${workflow[@]}" [OPTIONS] --config "${config[@]}" outdir=DIR (not through a function, so that $! of a
# background run is snakemake itself).
workflow=(snakemake -s "$SRC/pipelines/snakemake/Snakefile" --profile "$SRC/pipelines/snakemake/profiles/slurm"
  --max-status-checks-per-second 1 --configfile "$WORK/resources.yaml")
config=(samples="$WORK/c/samples.tsv" annotation="$WORK/c/annotation.gtf" ifnsig="$IFNSIG")
same_tables() {  # OUTDIR WHAT
  local t
  for t in counts.tsv counts.tsv.summary normalized.tsv scores.tsv calls.tsv signature_genes.tsv \
           ifnsig_scores_mqc.tsv reference.json; do
    cmp "$WORK/run/$t" "$1/$t" || fail "$t differs between ifnsig run and $2"
  done
  grep -q '"mode": "gather"' "$1/run.json" || fail "$2: run.json does not record the gather step"
}
# Waits until a count job (name matching $1) runs - with --slurm, until its srun step (the rule itself) runs
# ($2 = step) - then cancels it and prints its id.
cancel_running_count() {
  local i job steps
  for i in $(seq 600); do
    kill -0 "$smk_pid" 2>/dev/null || fail "snakemake ended before a count job ran"
    steps=$(squeue -h -s -o %i)
    for job in $(squeue -h -t RUNNING -o '%i %j' | awk -v name="$1" '$2 ~ name {print $1}'); do
      if [ "${2:-}" != step ] || grep -qx "$job[.]0" <<<"$steps"; then
        scancel "$job" || fail "scancel $job failed"; echo "$job"; return 0
      fi
    done
    sleep 0.1
  done
  fail "no count job ran within 60 s: $(squeue 2>&1)"
}

cd "$WORK"
# 1. The profile's restart-times: 1 submits the cancelled job again within the same run.
"${workflow[@]}" --config "${config[@]}" outdir="$WORK/smk" >"$WORK/smk.log" 2>&1 &
smk_pid=$!
job=$(cancel_running_count ^snakejob_count_ step)
status=0; wait "$smk_pid" || status=$?; smk_pid=""
[ "$status" -eq 0 ] || fail "snakemake failed after the cancel: $(tail -30 "$WORK/smk.log")"
grep -q "SLURM-job '$job' failed, SLURM status is: 'CANCELLED'" "$WORK/smk.log" ||
  fail "snakemake did not see job $job cancelled: $(tail -30 "$WORK/smk.log")"
grep -q "Trying to restart job" "$WORK/smk.log" || fail "snakemake did not restart the cancelled job"
[ "$(grep -c '^rule count:' "$WORK/smk.log")" -eq 5 ] || fail "expected 4 count jobs plus 1 restart"
same_tables "$WORK/smk" "the workflow on Slurm (one job cancelled)"

# 2. profiles/slurm-sbatch (sbatch through --cluster, job states from the profile's status.sh) without
# restarts: the run fails on the cancelled job; a second run counts that sample only, then gathers.
sbatch_workflow=("${workflow[@]/%profiles\/slurm/profiles/slurm-sbatch}")
"${sbatch_workflow[@]}" --restart-times 0 --config "${config[@]}" outdir="$WORK/sbatch" >"$WORK/sbatch.log" 2>&1 &
smk_pid=$!
job=$(cancel_running_count ^ifnsig-count$)
status=0; wait "$smk_pid" || status=$?; smk_pid=""
[ "$status" -ne 0 ] || fail "snakemake succeeded although job $job was cancelled and not restarted"
grep -q "Error executing rule count on cluster (jobid: [0-9]*, external: $job," "$WORK/sbatch.log" ||
  fail "snakemake did not report job $job failed: $(tail -30 "$WORK/sbatch.log")"
! grep -q "Trying to restart job" "$WORK/sbatch.log" || fail "snakemake restarted a job with --restart-times 0"
[ ! -e "$WORK/sbatch/report.html" ] || fail "the failed run gathered"
"${sbatch_workflow[@]}" --config "${config[@]}" outdir="$WORK/sbatch" >"$WORK/sbatch-again.log" 2>&1 ||
  fail "the second run failed: $(tail -30 "$WORK/sbatch-again.log")"
[ "$(grep -c '^rule count:' "$WORK/sbatch-again.log")" -eq 1 ] && grep -q '^rule gather:' "$WORK/sbatch-again.log" ||
  fail "the second run should count the cancelled sample only, then gather: $(grep -A6 '^Job stats' "$WORK/sbatch-again.log")"
same_tables "$WORK/sbatch" "the workflow on Slurm with profiles/slurm-sbatch, rerun after a failed run"

# Slurm ended every process of the cancelled jobs (proctrack/pgid): none runs on once the queue is empty.
[ -z "$(squeue -h -o %i)" ] || fail "jobs left in the queue: $(squeue 2>&1)"
leftovers=$(slurm_job_processes)
[ -z "$leftovers" ] || fail "processes of ended jobs still run: $(ps -o pid,args -p "${leftovers//$'\n'/,}" 2>&1)"
