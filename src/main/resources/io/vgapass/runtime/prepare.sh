# prepare/begin without Java: what runtime.Lifecycle.prepare does (the RT trap check, huge pages,
# the CPU shield, the performance governor), recording each change in the state file before
# making it, for the common shape of vgapass's metadata. Anything else (a GPU hand-over by the
# hook, a state file left by a VM that died, an odd metadata shape) returns 2 before any change,
# and Java does it all. Returns 0 when done, 1 when the start must fail (the reason on stderr,
# everything undone), 2 for Java.
#   vgapass_prepare DOMAIN METADATA   (METADATA: the <vgapass:vm> element's text)
vgapass_prepare() {
  dom=$1 meta=$2 r=${VGAPASS_ROOT:-}
  st="$r/run/vgapass/$dom.state"
  case "$meta" in *'&'*|*'<!--'*|*'handover='*|*'<![CDATA['*) return 2 ;; esac
  [ -e "$st" ] && return 2
  vgapass_attr cpu vcpus || return 2; vcpus=$val
  vgapass_attr cpu iothread-priority || return 2; prio=$val
  vgapass_attr memory hugepage-kib || return 2; hkib=$val
  vgapass_attr memory hugepages || return 2; pages=$val
  vgapass_attr memory node || return 2; node=$val
  for n in "$prio" "$hkib" "$pages"; do case "$n" in ''|*[!0-9]*) return 2 ;; esac; done
  case "$node" in *[!0-9]*) return 2 ;; esac
  case ",$vcpus," in *[!0-9,]*|*,,*) return 2 ;; esac
  [ -n "$vcpus" ] || return 2

  # the cgroup v1 RT trap: refuse before anything changes
  if [ "$prio" -gt 0 ] && { [ -e "$r/sys/fs/cgroup/cpu,cpuacct/cpu.rt_runtime_us" ] ||
      [ -e "$r/sys/fs/cgroup/cpu/cpu.rt_runtime_us" ]; }; then
    controlled=1
    if [ -e "$r/etc/libvirt/qemu.conf" ]; then
      while IFS= read -r line || [ -n "$line" ]; do
        line=${line#"${line%%[![:space:]]*}"}
        case "$line" in cgroup_controllers*'['*)
          case "$line" in *'"cpu"'*) controlled=1 ;; *) controlled=0 ;; esac ;;
        esac
      done < "$r/etc/libvirt/qemu.conf"
    fi
    if [ "$controlled" = 1 ]; then
      vgapass_fail "$dom: its FIFO I/O thread cannot start here: cgroup v1 RT group scheduling gives libvirt's cpu\
 cgroups no RT budget; remove \"cpu\" from cgroup_controllers in /etc/libvirt/qemu.conf and restart libvirtd\
 (sudo vgapass selftest --fix does it)"
      vgapass_log "$dom" "prepare/begin FAILED: $failed"
      return 1
    fi
  fi

  [ -d "$r/run/vgapass" ] || mkdir -p "$r/run/vgapass" || return 2
  log=
  if [ "$hkib" -gt 0 ] && [ "$pages" -gt 0 ]; then
    vgapass_grant || { vgapass_undo_prepare; return 1; }
  fi
  vgapass_shield || { vgapass_undo_prepare; return 1; }
  log="$log; shield: $shield"
  changed=0
  oldifs=$IFS; IFS=,; set -f; set -- $vcpus; IFS=$oldifs; set +f
  for cpu; do
    g="sys/devices/system/cpu/cpu$cpu/cpufreq/scaling_governor"
    now=; { read -r now < "$r/$g"; } 2>/dev/null || [ -n "$now" ] || continue
    [ "$now" = performance ] && continue
    vgapass_record governor "$g" "$now" 0
    if ! { echo performance > "$r/$g"; } 2>/dev/null; then
      vgapass_fail "cannot write 'performance' to /$g"
      vgapass_undo_prepare; return 1
    fi
    changed=$((changed + 1))
  done
  if [ "$changed" = 1 ]; then log="$log; governor: performance on 1 CPU"
  else log="$log; governor: performance on $changed CPUs"; fi
  vgapass_log "$dom" "prepare/begin: ${log#; }"
  return 0
}

# val = attribute $2 of our element $1 (either quote style); fails when absent
vgapass_attr() {
  l=${meta#*:$1 }
  [ "$l" = "$meta" ] && return 1
  l=" ${l%%>*}"
  case "$l" in
    *" $2='"*) val=${l#*" $2='"}; val=${val%%\'*} ;;
    *" $2=\""*) val=${l#*" $2=\""}; val=${val%%\"*} ;;
    *) return 1 ;;
  esac
}

vgapass_fail() { # message: to libvirt (stderr) and kept for the log
  failed=$1
  echo "vgapass: $1" >&2
}

vgapass_undo_prepare() { # a step failed: undo what the state file records, log why
  vgapass_release "$st" quiet
  vgapass_log "$dom" "prepare/begin FAILED: $failed"
}

vgapass_record() { # kind path previous added: appended before the change it describes
  printf 'v1\t%s\t%s\t%s\t%s\tend\n' "$1" "$2" "$3" "$4" >> "$st"
}

# huge pages: grow the pool by what is missing; on a shortfall sync, drop caches, compact, ask again
vgapass_grant() {
  if [ -n "$node" ]; then pool="sys/devices/system/node/node$node/hugepages/hugepages-${hkib}kB/"
  else pool="sys/kernel/mm/hugepages/hugepages-${hkib}kB/"; fi
  if [ ! -e "$r/${pool}nr_hugepages" ]; then
    on=; [ -n "$node" ] && on=" on NUMA node $node"
    vgapass_fail "$dom: this kernel has no $((hkib / 1024)) MiB huge pages$on (/$pool missing); plan with\
 --hugepages 2M or off"
    return 1
  fi
  vgapass_num "${pool}nr_hugepages"; nr=$num
  vgapass_num "${pool}free_hugepages"; free=$num
  added=0
  if [ "$free" -lt "$pages" ]; then
    target=$((nr + pages - free))
    vgapass_record hugepages "${pool}nr_hugepages" "$nr" $((target - nr))
    { echo "$target" > "$r/${pool}nr_hugepages"; } 2>/dev/null
    vgapass_num "${pool}nr_hugepages"
    if [ "$num" -lt "$target" ]; then
      sync
      { echo 3 > "$r/proc/sys/vm/drop_caches"; } 2>/dev/null
      { echo 1 > "$r/proc/sys/vm/compact_memory"; } 2>/dev/null
      { echo "$target" > "$r/${pool}nr_hugepages"; } 2>/dev/null
    fi
    vgapass_num "${pool}nr_hugepages"; got=$num
    if [ "$got" -lt "$target" ]; then
      { echo "$nr" > "$r/${pool}nr_hugepages"; } 2>/dev/null
      vgapass_record hugepages-granted "${pool}nr_hugepages" "$nr" 0
      vgapass_fail "$dom: only $((got - nr + free)) of $pages huge pages of $((hkib / 1024)) MiB could be reserved,\
 even after dropping caches and compacting memory; close programs, give the VM less memory, or reserve them\
 at boot (vgapass host apply --boot-hugepages)"
      return 1
    fi
    vgapass_record hugepages-granted "${pool}nr_hugepages" "$nr" $((target - nr))
    added=$((target - nr))
  fi
  log="$log; hugepages: $pages x $((hkib / 1024)) MiB ready ($added added)"
}

# the host's CPUs (online minus the vCPUs') as a cpulist; then the shield on them
vgapass_shield() {
  online=; { read -r online < "$r/sys/devices/system/cpu/online"; } 2>/dev/null
  list=
  oldifs=$IFS; IFS=,; set -f; set -- $online; IFS=$oldifs; set +f
  for part; do
    a=${part%-*} b=${part#*-}
    case "$a$b" in ''|*[!0-9]*) continue ;; esac
    while [ "$a" -le "$b" ]; do
      case ",$vcpus," in *",$a,"*) ;; *) list="$list $a" ;; esac
      a=$((a + 1))
    done
  done
  cpus= start= prev=
  for c in $list end; do
    if [ "$c" != end ] && [ -n "$prev" ] && [ "$c" -eq $((prev + 1)) ]; then prev=$c; continue; fi
    if [ -n "$start" ]; then
      cpus="$cpus,$start"; [ "$prev" != "$start" ] && cpus="$cpus-$prev"
    fi
    start=$c prev=$c
  done
  cpus=${cpus#,}
  if [ -z "$cpus" ]; then shield="not shielded: the VM's vCPUs cover every CPU"; return 0; fi
  if [ -e "$r/run/systemd/system" ]; then
    for unit in system.slice user.slice init.scope; do
      vgapass_record systemd-allowed-cpus "$unit" "" 0
      if ! systemctl set-property --runtime "$unit" "AllowedCPUs=$cpus" >/dev/null 2>&1; then
        vgapass_fail "systemctl set-property $unit AllowedCPUs=$cpus failed"
        return 1
      fi
    done
    shield="host work on CPUs $cpus (systemd AllowedCPUs)"; return 0
  fi
  if [ -e "$r/sys/fs/cgroup/cpuset/cpuset.cpus" ] && [ -e "$r/sys/fs/cgroup/cpuset/cgroup.procs" ]; then
    vgapass_cgroup sys/fs/cgroup/cpuset "cgroup v1 cpuset"; return
  fi
  base=sys/fs/cgroup
  controllers=; { read -r controllers < "$r/$base/cgroup.controllers"; } 2>/dev/null
  case " $controllers " in
    *" cpuset "*)
      subtree=; { read -r subtree < "$r/$base/cgroup.subtree_control"; } 2>/dev/null
      case " $subtree " in
        *" cpuset "*) ;;
        *) vgapass_record cgroup2-subtree "$base/cgroup.subtree_control" -cpuset 0
           if ! { echo +cpuset > "$r/$base/cgroup.subtree_control"; } 2>/dev/null; then
             vgapass_fail "cannot write '+cpuset' to /$base/cgroup.subtree_control"; return 1
           fi ;;
      esac
      vgapass_cgroup "$base" "cgroup v2 cpuset"; return ;;
  esac
  shield="not shielded: no systemd and no cpuset cgroup controller on this host"
}

vgapass_cgroup() { # base how: a cpuset cgroup on the host's CPUs holding the host's processes
  dir="$1/vgapass-shield"
  vgapass_record shield-cgroup "$dir" "$1/cgroup.procs" 0
  if [ ! -d "$r/$dir" ] && ! mkdir "$r/$dir" 2>/dev/null; then
    vgapass_fail "cannot create the cgroup /$dir"; return 1
  fi
  mems=; { read -r mems < "$r/$1/cpuset.effective_mems"; } 2>/dev/null
  [ -n "$mems" ] || { { read -r mems < "$r/$1/cpuset.mems"; } 2>/dev/null; }
  [ -n "$mems" ] || mems=0
  for f in "cpuset.mems:$mems" "cpuset.cpus:$cpus"; do
    if ! { echo "${f#*:}" > "$r/$dir/${f%%:*}"; } 2>/dev/null; then
      vgapass_fail "cannot write '${f#*:}' to /$dir/${f%%:*}"; return 1
    fi
  done
  moved=0
  while IFS= read -r pid || [ -n "$pid" ]; do
    [ -n "$pid" ] || continue
    cmd=; { read -r cmd < "$r/proc/$pid/cmdline"; } 2>/dev/null
    comm=; { read -r comm < "$r/proc/$pid/comm"; } 2>/dev/null
    [ -n "$cmd" ] || continue # per-CPU kernel threads cannot move
    case "$comm" in libvirtd|virtqemud|virtlogd|virtlockd|systemd) continue ;; esac # domain.ShieldPolicy
    { echo "$pid" > "$r/$dir/cgroup.procs"; } 2>/dev/null && moved=$((moved + 1))
  done < "$r/$1/cgroup.procs"
  shield="host work on CPUs $cpus ($2, $moved processes)"
}
