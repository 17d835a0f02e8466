# The IRQ follower of --shield deep: while the VM's QEMU lives, it moves the interrupts of the VM's own
# passed-through devices to the guest's CPUs. They do not exist at prepare/begin (vfio requests the INTx line when
# QEMU opens the device, and an MSI vector when the guest's driver enables it), so the prepare hook cannot move them
# itself; and a new vector starts on the default affinity, which the deep shield has just pointed at the host's CPUs.
# Nothing here needs undoing: the deep shield recorded every such IRQ that existed before the start (release puts
# it back), and the vectors made after it are freed with the device. A line the VM's devices share with a host
# device is left alone: the host device's interrupts would follow to the guest's CPUs.
# Shell builtins only, apart from one sleep a second; it ends when QEMU ends, when release removes the state file,
# or when no QEMU has appeared after two minutes (the start failed).
#   irq-follow.sh ROOT STATEFILE PIDFILE GUESTCPUS ADDRESS...
r=$1 st=$2 pidf=$3 guest=$4
shift 4
pid= waited=0
while [ -e "$st" ]; do
  if [ -z "$pid" ]; then
    # a pid file older than the state file is a previous run's
    if [ -s "$pidf" ] && [ "$pidf" -nt "$st" ]; then read -r pid < "$pidf"; fi # (no newline at its end: read fails but keeps the digits)
    case $pid in ''|*[!0-9]*) pid= ;; esac
    if [ -z "$pid" ]; then
      waited=$((waited + 1))
      [ "$waited" -gt 120 ] && exit 0
      sleep 1
      continue
    fi
  fi
  [ -d "$r/proc/$pid" ] || exit 0
  while IFS= read -r line; do
    case $line in *vfio*) ;; *) continue ;; esac
    own=0
    for a in "$@"; do case $line in *"($a)"*) own=$((own + 1)) ;; esac; done
    [ "$own" -gt 0 ] || continue
    # the handlers on the line, separated by ", " (the VM's two functions may share one INTx line)
    rest=$line handlers=1
    while :; do case $rest in *', '*) rest=${rest#*, }; handlers=$((handlers + 1)) ;; *) break ;; esac; done
    [ "$handlers" -le "$own" ] || continue
    irq=${line%%:*}
    irq=${irq##* }
    case $irq in ''|*[!0-9]*) continue ;; esac
    f="$r/proc/irq/$irq/smp_affinity_list"
    cur=
    read -r cur < "$f" 2>/dev/null
    [ "$cur" = "$guest" ] || { printf '%s\n' "$guest" > "$f"; } 2>/dev/null
  done < "$r/proc/interrupts"
  sleep 1
done
exit 0
