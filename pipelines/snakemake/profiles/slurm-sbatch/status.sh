#!/bin/sh
# Snakemake's --cluster-status for the sbatch profile: prints running, success or failed for the Slurm job id
# that `sbatch --parsable` printed ($1, "ID" or "ID;CLUSTER"). Without it Snakemake waits for marker files
# that the job script writes when the rule ends, so a job Slurm cancels, times out or kills for memory
# never writes one and Snakemake waits for it forever.
# The state comes from sacct when Slurm keeps accounting, else from scontrol (which knows a job until
# MinJobAge, 300 s by default, after it ended).
id=${1%%;*}
state=$(sacct -n -X -P -o State -j "$id" 2>/dev/null | head -n 1)
if [ -z "$state" ]; then
  if out=$(scontrol show job "$id" 2>&1); then
    state=$(printf '%s\n' "$out" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n 1)
  elif printf '%s\n' "$out" | grep -q "Invalid job id"; then
    # Ended and forgotten: Snakemake then checks the job's outputs itself.
    echo success; exit 0
  else
    # slurmctld not answering (restart, overload): ask again at the next poll.
    echo running; exit 0
  fi
fi
case "$state" in
  COMPLETED) echo success ;;
  PENDING|CONFIGURING|RUNNING|COMPLETING|SUSPENDED|REQUEUED|REQUEUE_FED|REQUEUE_HOLD|RESIZING|SIGNALING|STAGE_OUT|"")
    echo running ;;
  *) echo failed ;;  # BOOT_FAIL, CANCELLED (sacct: "CANCELLED by UID"), DEADLINE, FAILED, NODE_FAIL, OUT_OF_MEMORY, PREEMPTED, TIMEOUT
esac
