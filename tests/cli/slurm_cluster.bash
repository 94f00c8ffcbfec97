# A throwaway single-node Slurm cluster on localhost for the workflow tests (sourced by run_slurm.sh; not a
# test itself: only tests/cli/*.sh are). Everything lives under $WORK/cluster: the MUNGE key, socket and log,
# slurm.conf, the state and spool directories, the pid and log files. The daemons listen on free ports
# picked at start (never Slurm's defaults 6817/6818), and the client commands find this cluster only through
# SLURM_CONF, so a real Slurm or MUNGE on the machine is neither used nor touched. No systemd needed: munged,
# slurmctld and slurmd are started as plain daemons, as root (SlurmUser=root), and slurm_cluster_stop (run it
# from an EXIT trap) cancels the jobs and stops all three, whatever state the test ended in.
#
# Needs root (slurmd runs jobs as their user) and Debian's munge, slurmctld, slurmd and slurm-client.

SLURM_CLUSTER_DIR="$WORK/cluster"

# Prints two TCP ports free on 127.0.0.1 (the kernel's choice, so they are free now and not Slurm's defaults).
slurm_free_ports() {
  python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])'
}

# Starts munged, slurmctld and slurmd and waits until the node is idle; exports SLURM_CONF.
slurm_cluster_start() {
  local d=$SLURM_CLUSTER_DIR
  [ "$(id -u)" -eq 0 ] || fail "the Slurm test cluster needs root (slurmd launches the jobs)"
  mkdir -p "$d/munge" "$d/state" "$d/spool"
  # munged refuses a key or socket directory that others can write to or read.
  chmod 700 "$d/munge"
  local socket="$d/munge/munge.socket"
  # A Unix socket path has at most 107 bytes.
  [ ${#socket} -lt 100 ] || fail "MUNGE socket path too long for a Unix socket: $socket"
  mungekey --create --keyfile="$d/munge/munge.key" || fail "mungekey failed"
  chown root:root "$d/munge/munge.key"; chmod 600 "$d/munge/munge.key"
  munged --force --socket="$socket" --key-file="$d/munge/munge.key" --pid-file="$d/munge/munged.pid" \
    --log-file="$d/munge/munged.log" --seed-file="$d/munge/munged.seed" --origin=127.0.0.1 ||
    fail "munged did not start: $(tail -5 "$d/munge/munged.log" 2>/dev/null)"
  local ports node
  ports=$(slurm_free_ports) || fail "no free ports"
  # The node as slurmd sees this machine (CPUs, sockets, cores, threads, memory), named localhost.
  node=$(slurmd -C | sed -n 's/^NodeName=[^ ]* //p')
  [ -n "$node" ] || fail "slurmd -C printed no node line"
  cat >"$d/slurm.conf" <<EOF
ClusterName=ifnsigtest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=${ports% *}
SlurmdPort=${ports#* }
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
PlugStackConfig=$d/plugstack.conf
ProctrackType=proctrack/pgid
KillWait=5
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 $node State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
  : >"$d/plugstack.conf"
  # slurmd 22.05 loads a cgroup plugin even with proctrack/pgid and task/none, and its default
  # (autodetect) fails where /sys/fs/cgroup is not mounted, e.g. in a chroot with /sys bound without its
  # submounts. Named, cgroup/v1 loads without looking at /sys/fs/cgroup; nothing here uses cgroups.
  echo "CgroupPlugin=cgroup/v1" >"$d/cgroup.conf"
  export SLURM_CONF="$d/slurm.conf"
  slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start: $(tail -5 "$d/slurmctld.log" 2>/dev/null)"
  slurmd -f "$SLURM_CONF" -N localhost || fail "slurmd did not start: $(tail -5 "$d/slurmd.log" 2>/dev/null)"
  local i
  for i in $(seq 60); do
    [ "$(sinfo -h -N -o %t 2>/dev/null)" = idle ] && return 0
    sleep 0.5
  done
  fail "the node did not come up: $(sinfo -N 2>&1; tail -5 "$d/slurmctld.log" "$d/slurmd.log")"
}

# Kills the process in pid file $1 (if it is still running) and waits up to 10 s for it to end.
slurm_kill_pidfile() {
  local pid i
  [ -s "$1" ] || return 0
  pid=$(cat "$1")
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# Prints the ids of running processes that jobs of this cluster started (their environment has this
# SLURM_CONF and a SLURM_JOB_ID).
slurm_job_processes() {
  local p env
  for p in /proc/[0-9]*; do
    { env=$(tr '\0' '\n' <"$p/environ"); } 2>/dev/null || continue
    grep -qxF "SLURM_CONF=$SLURM_CLUSTER_DIR/slurm.conf" <<<"$env" && grep -q '^SLURM_JOB_ID=' <<<"$env" &&
      echo "${p#/proc/}"
  done
  return 0
}

# Cancels what is left on the cluster (so that no job step outlives slurmd), then stops slurmd, slurmctld and
# munged. Safe to call more than once and on a half-started cluster.
slurm_cluster_stop() {
  local -; set +e
  local d=$SLURM_CLUSTER_DIR i
  if [ -s "$d/slurmctld.pid" ] && kill -0 "$(cat "$d/slurmctld.pid")" 2>/dev/null; then
    scancel --full --quiet --user="$(id -un)" 2>/dev/null || true
    for i in $(seq 50); do
      [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
  slurm_kill_pidfile "$d/slurmd.pid"
  slurm_kill_pidfile "$d/slurmctld.pid"
  slurm_kill_pidfile "$d/munge/munged.pid"
  # A job's process that left its process group (so Slurm did not kill it) must not outlive the test either.
  local pid
  for pid in $(slurm_job_processes); do
    echo "slurm_cluster_stop: killing $pid, left over from a job: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-200)" >&2
    kill -KILL "$pid" 2>/dev/null
  done
}
